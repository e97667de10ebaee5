#!/bin/bash
# ./run.sh's time to ready, alternating the launcher and projection-service builds: $@ = variants
cd /work/main
V=0.1.0-SNAPSHOT
for v in "$@"; do
  cp /tmp/rs/$v/projection-service-$V.jar projection-service/target/
  cp /tmp/rs/$v/launcher-$V.jar launcher/target/
  (cd launcher/target/classes && unzip -q -o /tmp/rs/$v/launcher-$V.jar 'io/*')
  touch launcher/target/launcher.classpath
  d=$(mktemp -d)
  ./run.sh --data-dir "$d" > /tmp/rs/out-$v.log 2>&1 &
  pid=$!
  for i in $(seq 1 120); do grep -q "Streamfold is ready" /tmp/rs/out-$v.log && break; sleep 1; done
  echo "$v $(grep -o 'ready ([0-9]* ms)' /tmp/rs/out-$v.log)" >> /tmp/rs/runs.txt
  sleep 5
  kill -TERM $pid; wait $pid; sleep 3; rm -rf "$d"
done
cp /tmp/rs/after/projection-service-$V.jar projection-service/target/
cp /tmp/rs/after/launcher-$V.jar launcher/target/
(cd launcher/target/classes && unzip -q -o /tmp/rs/after/launcher-$V.jar 'io/*')
echo done >> /tmp/rs/runs.txt
