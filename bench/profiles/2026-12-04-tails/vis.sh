#!/bin/bash
label=$1; shift
cd /work/main
(env "$@" ./bench.sh --commands --steady=60 --warmup=150 --visible > /tmp/exp/vis-$label.log 2>&1 &)
until grep -q "Steady load" /tmp/exp/vis-$label.log 2>/dev/null; do sleep 0.5; done
st=$(ls -td bench/results/*/ | head -1)/stack.log
pport=$(grep -o "projection service *http://127.0.0.1:[0-9]*" $st | grep -o "[0-9]*$")
cport=$(grep -o "command service  *http://127.0.0.1:[0-9]*" $st | grep -o "[0-9]*$")
curl -s --retry 2 --max-time 5 http://127.0.0.1:$pport/metrics > /tmp/exp/p-$label.a; curl -s --retry 2 --max-time 5 http://127.0.0.1:$cport/metrics > /tmp/exp/c-$label.a
sleep 55; curl -s --retry 2 --max-time 5 http://127.0.0.1:$pport/metrics > /tmp/exp/p-$label.b; curl -s --retry 2 --max-time 5 http://127.0.0.1:$cport/metrics > /tmp/exp/c-$label.b
sleep 15
{ echo "== $label $(ls -t bench/results | head -1)"; python3 /tmp/exp/hdiff.py /tmp/exp/p-$label.a /tmp/exp/p-$label.b event_age; python3 /tmp/exp/hdiff.py /tmp/exp/c-$label.a /tmp/exp/c-$label.b streamfold_writer_phase;
python3 - /work/main/bench/results/$(ls -t bench/results | head -1)/steady.json <<'PY'
import json,sys
d=json.load(open(sys.argv[1]));s=d['steady'];m=s.get('minVersion read alone',{})
print('c2v p50 %s p90 %s p99 %s p999 %s | read p50 %s p90 %s p99 %s p999 %s'%(s['p50Ms'],s['p90Ms'],s['p99Ms'],s['p999Ms'],m.get('p50Ms'),m.get('p90Ms'),m.get('p99Ms'),m.get('p999Ms')))
PY
} >> /tmp/exp/vis.txt
