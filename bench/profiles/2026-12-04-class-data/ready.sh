#!/bin/bash
# ./run.sh's time to ready, with class data sharing off or on: $@ = off|on ...
cd /work/main
for v in "$@"; do
  d=$(mktemp -d)
  if [ "$v" = off ]; then export STREAMFOLD_CDS_DIR=off; else unset STREAMFOLD_CDS_DIR; fi
  s=$(date +%s%N)
  ./run.sh --data-dir "$d" > /tmp/cds/out-$v.log 2>&1 &
  pid=$!
  for i in $(seq 1 240); do grep -q "Streamfold is ready" /tmp/cds/out-$v.log && break; sleep 0.25; done
  r=$(date +%s%N)
  sleep 3
  kill -TERM $pid; wait $pid
  e=$(date +%s%N)
  echo "$v $(grep -o 'ready ([0-9]* ms)' /tmp/cds/out-$v.log) wall-to-ready $(( (r-s)/1000000 )) ms, stop $(( (e-r)/1000000 - 3000 )) ms" | tee -a /tmp/cds/ready.txt
  sleep 3; rm -rf "$d"
done
