#!/bin/bash
# usage: ab.sh MODE label=ENV... ; MODE sat|steady
# (the variables of a variant are joined with +; the gated-lanes runs joined them with a comma,
# before a broker setting needed commas of its own; CS_JAR=<jar> runs that command-service jar,
# copied over the build's, which the launcher then keeps; LG_CLASSES=<dir> runs the load generator
# compiled there, copied over bench/target/classes)
cd /work/main
mkdir -p /tmp/lanes
mode=$1; shift
for spec in "$@"; do
  label=${spec%%=*}; envs=${spec#*=}
  if [ $mode = sat ]; then args="--saturation=30"; else args="--steady=60 --warmup=60"; fi
  jar=$(echo $envs | tr '+' '\n' | sed -n 's/^CS_JAR=//p')
  if [ -n "$jar" ]; then
    cp "$jar" command-service/target/command-service-0.1.0-SNAPSHOT.jar
    touch bench/target/bench.classpath launcher/target/launcher.classpath
  fi
  classes=$(echo $envs | tr '+' '\n' | sed -n 's/^LG_CLASSES=//p')
  if [ -n "$classes" ]; then
    rm -rf bench/target/classes && cp -r "$classes" bench/target/classes
    touch bench/target/bench.classpath launcher/target/launcher.classpath
  fi
  env $(echo $envs | tr '+' ' ') ./bench.sh --commands $args > /tmp/lanes/$mode-$label-$(date +%s).log 2>&1
  r=$(ls -t bench/results | head -1)
  python3 - "$r" "$label" "$mode" >> /tmp/lanes/ab.txt <<'PY'
import json,sys
r,l,mode=sys.argv[1:]
d='bench/results/'+r
if mode=='sat':
  j=json.load(open(d+'/saturation.json'))
  print('sat',l,r,' | '.join('%.0f/s p50 %.1f p99 %.1f cpu %s %s'%(x['accepted/s'],x['p50Ms'],x['p99Ms'],x.get('CPU µs per command'),x.get([k for k in x if k.startswith('writer')][0])) for x in j['saturation']))
else:
  j=json.load(open(d+'/steady.json'))
  s=j['steady']; ph=j.get([k for k in j if k.startswith('writer')][0])
  print('steady',l,r,'p50 %.2f p90 %.2f p99 %.2f p999 %.2f'%(s['p50Ms'],s['p90Ms'],s['p99Ms'],s['p999Ms']),s.get('CPU µs per command'),ph)
PY
done
