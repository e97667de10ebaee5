#!/bin/bash
# ./run.sh's time to ready on a fresh data folder, per variant ($@):
#   off / on          the stack's JVMs without class data sharing (STREAMFOLD_CDS_DIR=off) / with it
#   svc-dump / svc-on / svc-off   the services' JVM writing / mapping / without an archive of its own
#                     (needs run.sh changed by hand to put launcher/target/launcher-*.jar, not
#                     launcher/target/classes, first on its classpath, as JDK 17 requires)
cd /work/main
for v in "$@"; do
  d=$(mktemp -d)
  unset STREAMFOLD_CDS_DIR JAVA_OPTS
  quiet="-Xlog:cds=off -Xlog:cds+dynamic=off"
  case $v in
    off) export STREAMFOLD_CDS_DIR=off ;;
    svc-dump) export JAVA_OPTS="-XX:ArchiveClassesAtExit=/tmp/cds/svc.jsa $quiet" ;;
    svc-on) export JAVA_OPTS="-XX:SharedArchiveFile=/tmp/cds/svc.jsa $quiet" ;;
  esac
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
