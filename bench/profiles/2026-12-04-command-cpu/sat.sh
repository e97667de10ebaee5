#!/bin/bash
# alternates the command-service jar: before, after, ... ; $1 = bench args, $2 = label, $3.. = order
# (SWAP=rawhttp alternates the load generator's RawHttp classes instead, from /tmp/lg/<v>/)
# procs.py samples the processes' CPU and the services' context switches meanwhile (ctx.py reads
# them); the runs before chunk-answers-runs.txt were made without it
cd /work/main
args=$1; label=$2; shift 2
for v in "$@"; do
  if [ "${SWAP:-}" = rawhttp ]; then
    cp /tmp/lg/$v/RawHttp*.class bench/target/classes/io/streamfold/bench/
  else
    cp /tmp/ab2/cs-$v.jar command-service/target/command-service-0.1.0-SNAPSHOT.jar
  fi
  touch bench/target/bench.classpath launcher/target/launcher.classpath
  rm -f /tmp/ab2/stop; python3 "$(dirname "$0")/procs.py" /tmp/ab2/$label-$v.procs /tmp/ab2/stop &
  ./bench.sh --commands $args > /tmp/ab2/$label-$v.log 2>&1
  touch /tmp/ab2/stop; sleep 3
  r=$(ls -t bench/results | head -1)
  python3 - "$r" "$v" "$label" >> /tmp/ab2/$label.txt <<'PY'
import json,sys,os
r,v,label=sys.argv[1:]
d='bench/results/'+r
if os.path.exists(d+'/saturation.json'):
    j=json.load(open(d+'/saturation.json'))
    print(label,v,r,' '.join('%.0f(p99 %.1f cpu %s)'%(x['accepted/s'],x['p99Ms'],x.get('CPU µs per command')) for x in j['saturation']))
else:
    j=json.load(open(d+'/steady.json'))
    s=j['steady']; ph=j.get('writer phases, mean ms (queued: per command; the rest: per round)',{})
    print(label,v,r,'p50 %.2f p90 %.2f p99 %.2f p999 %.2f'%(s['p50Ms'],s['p90Ms'],s['p99Ms'],s['p999Ms']),ph)
PY
done
if [ "${SWAP:-}" = rawhttp ]; then
  cp /tmp/lg/after/RawHttp*.class bench/target/classes/io/streamfold/bench/
else
  cp /tmp/ab2/cs-after.jar command-service/target/command-service-0.1.0-SNAPSHOT.jar
fi
echo done >> /tmp/ab2/$label.txt
