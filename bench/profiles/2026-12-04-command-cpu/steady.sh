#!/bin/bash
# Alternates variants of the stack at a steady 500/s: ./steady.sh <label> <variant>...
# Each variant is set up by `setup <variant>` from the file named in $SETUP (the two used here:
# setup-jars.sh swaps the command-service jar, setup-fetch.sh sets the projections' fetch
# settings); $BENCH_ARGS adds arguments (--visible for command-to-visible). procs.py samples
# /proc meanwhile; one line per run goes to /tmp/ab2/<label>.txt.
cd /work/main
source "$SETUP"
label=$1; shift
for v in "$@"; do
  setup "$v"
  touch bench/target/bench.classpath launcher/target/launcher.classpath
  rm -f /tmp/ab2/stop; python3 bench/profiles/2026-12-04-command-cpu/procs.py /tmp/ab2/$label-$v.procs /tmp/ab2/stop &
  ./bench.sh --commands --steady=60 --warmup=60 $BENCH_ARGS > /tmp/ab2/$label-$v.log 2>&1
  end=$(date +%s.%N); touch /tmp/ab2/stop; sleep 3
  r=$(ls -t bench/results | head -1)
  python3 - "$r" "$v" "$label" "$end" /tmp/ab2/$label-$v.procs >> /tmp/ab2/$label.txt <<'PY'
import json,sys
r,v,label,end,pf=sys.argv[1:]; end=float(end)
j=json.load(open('bench/results/'+r+'/steady.json'))
s=j['steady']; ph=j.get('writer phases, mean ms (queued: per command; the rest: per round)',{})
rows=[]
for line in open(pf):
    t,*kv=line.split(); d={}
    for x in kv:
        k,val=x.split('='); d[k]=d.get(k,0)+int(val.split('/')[0])
    rows.append((float(t),d))
a=[x for x in rows if x[0]>=end-60]; b=[x for x in rows if x[0]<=end-5]
t0,d0=a[0]; t1,d1=b[-1]; n=s['achieved/s']*(t1-t0)
cpu={k:(d1.get(k,0)-d0.get(k,0))*10000/n for k in ('services','broker','loadgen')}
m=s.get('minVersion read alone')
read=' (read p50 %.2f p99 %.2f)'%(m['p50Ms'],m['p99Ms']) if m else ''
print(label,v,r,'p50 %.2f p90 %.2f p99 %.2f p999 %.2f%s'%(s['p50Ms'],s['p90Ms'],s['p99Ms'],s['p999Ms'],read),'bench cpu',s.get('CPU µs per command'),'sampler',{k:round(x) for k,x in cpu.items()},ph)
PY
done
setup done
echo done >> /tmp/ab2/$label.txt
