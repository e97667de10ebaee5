#!/bin/bash
# alternates the load generator's RawHttp: $1 = bench args, $2 = label, $3.. = order (before/after)
cd /work/main
args=$1; label=$2; shift 2
P=bench/profiles/2026-12-04-command-cpu
for v in "$@"; do
  cp /tmp/lg/$v/RawHttp*.class bench/target/classes/io/streamfold/bench/
  touch bench/target/bench.classpath launcher/target/launcher.classpath
  rm -f /tmp/lg/stop; python3 $P/procs.py /tmp/lg/$label-$v.procs /tmp/lg/stop &
  ./bench.sh --commands $args > /tmp/lg/$label-$v.log 2>&1
  touch /tmp/lg/stop; sleep 3
  r=$(ls -t bench/results | head -1)
  python3 - "$r" "$v" "$label" >> /tmp/lg/$label.txt <<'PY'
import json,sys,os
r,v,label=sys.argv[1:]
d='bench/results/'+r
if os.path.exists(d+'/saturation.json'):
    j=json.load(open(d+'/saturation.json'))
    print(label,v,r,' '.join('%.0f(p99 %.1f cpu %s)'%(x['accepted/s'],x['p99Ms'],x.get('CPU µs per command')) for x in j['saturation']))
else:
    j=json.load(open(d+'/steady.json'))
    s=j['steady']; 
    print(label,v,r,'p50 %.2f p90 %.2f p99 %.2f p999 %.2f'%(s['p50Ms'],s['p90Ms'],s['p99Ms'],s['p999Ms']), s.get('CPU µs per command'))
PY
done
cp /tmp/lg/after/RawHttp*.class bench/target/classes/io/streamfold/bench/
echo done >> /tmp/lg/$label.txt
