#!/bin/bash
# usage: age.sh <label> [ENV=VAL...]: a steady 60 s run at 500/s; the projection's event-age histogram over the steady part
label=$1; shift
cd /work/main
rm -f /tmp/age-$label.*
(env "$@" timeout 600 ./bench.sh --commands --steady=60 > /tmp/age-$label.log 2>&1 &)
sleep 18
port=$(grep -o "projection service  http://127.0.0.1:[0-9]*" $(ls -td bench/results/*/ | head -1)/stack.log | grep -o "[0-9]*$")
for i in $(seq 1 12); do curl -s http://127.0.0.1:$port/metrics > /tmp/age-$label.$i 2>/dev/null; sleep 8; done
sleep 20
python3 - /tmp/age-$label.8 /tmp/age-$label.11 "$label" <<'PY'
import sys,re
def load(f):
    b={};m2={}
    for l in open(f).read().splitlines():
        m=re.match(r'streamfold_projection_event_age_seconds_bucket\{.*le="([^"]+)".*\} (\S+)',l)
        if m: b[float(m.group(1)) if m.group(1)!="+Inf" else 1e9]=float(m.group(2))
        m=re.match(r'kafka_stream_thread_(commit_rate|commit_ratio|commit_latency_avg)\{.*\} (\S+)',l)
        if m: m2[m.group(1)]=round(float(m.group(2)),3)
    return b,m2
(a,_),(c,s)=load(sys.argv[1]),load(sys.argv[2])
d=sorted((le,c[le]-a.get(le,0)) for le in c)
total=d[-1][1]; out=[]
for q in (0.5,0.9,0.99,0.999):
    for le,n in d:
        if n>=q*total: out.append(f"p{q*100:g}<={le*1000:.1f}ms"); break
print(sys.argv[3], int(total), " ".join(out), s)
PY
grep -E '"p50Ms"|"p99Ms"' /tmp/age-$label.log | head -2 | tr -d '\n'; echo
