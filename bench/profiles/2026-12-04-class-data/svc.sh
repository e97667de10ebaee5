#!/bin/bash
cd /work/main
for v in "$@"; do
  d=$(mktemp -d)
  case $v in
    dump) export JAVA_OPTS="-XX:ArchiveClassesAtExit=/tmp/cds/svc.jsa -Xlog:cds=off -Xlog:cds+dynamic=off";;
    on) export JAVA_OPTS="-XX:SharedArchiveFile=/tmp/cds/svc.jsa -Xlog:cds=off -Xlog:cds+dynamic=off";;
    off) export JAVA_OPTS="";;
  esac
  s=$(date +%s%N)
  ./run.sh --data-dir "$d" > /tmp/cds/svc-$v.log 2>&1 &
  pid=$!
  for i in $(seq 1 240); do grep -q "Streamfold is ready" /tmp/cds/svc-$v.log && break; sleep 0.25; done
  r=$(date +%s%N)
  sleep 3
  kill -TERM $pid; wait $pid
  e=$(date +%s%N)
  echo "svc-$v $(grep -o 'ready ([0-9]* ms)' /tmp/cds/svc-$v.log) wall-to-ready $(( (r-s)/1000000 )) ms, stop $(( (e-r)/1000000 - 3000 )) ms" | tee -a /tmp/cds/ready.txt
  sleep 3; rm -rf "$d"
done
