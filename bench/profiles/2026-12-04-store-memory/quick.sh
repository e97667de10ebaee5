#!/bin/bash
# alternates the projection-service jar on the launcher's classpath: ./bench.sh --commands --quick; $@ variants (ps-<v>.jar)
cd /work/main
t=projection-service/target/projection-service-0.1.0-SNAPSHOT.jar
for v in "$@"; do
  cp /tmp/ab3/ps-$v.jar $t
  touch bench/target/bench.classpath launcher/target/launcher.classpath
  ./bench.sh --commands --quick > /tmp/ab3/quick-$v.log 2>&1
  r=$(ls -t bench/results | head -1)
  python3 - "$r" "$v" >> /tmp/ab3/quick.txt <<'PY'
import json,sys
r,v=sys.argv[1:]
j=json.load(open('bench/results/'+r+'/commands.json'))
w=j['warm']; 
p50=sorted(x['commands']['p50Ms'] for x in w)[len(w)//2]; t50=sorted(x['transaction']['p50Ms'] for x in w)[len(w)//2]
s=j['saturation 64 clients']; c=j['command-to-visible']
print(v,r,'warm p50 %.2f (txn %.2f, %.1fx) p99s %s | sat %.0f/s cpu %s | c2v p50 %.1f p99 %.1f'%(p50,t50,p50/t50,[x['commands']['p99Ms'] for x in w],s['accepted/s'],s.get('CPU µs per command'),c['p50Ms'],c['p99Ms']))
PY
done
cp /tmp/ab3/ps-final.jar $t
echo done >> /tmp/ab3/quick.txt
