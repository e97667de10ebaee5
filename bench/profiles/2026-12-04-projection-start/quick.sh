#!/bin/bash
# ./bench.sh --commands --quick, alternating the session's service-common, projection-service and launcher builds
cd /work/main
V=0.1.0-SNAPSHOT
for v in "$@"; do
  for m in service-common projection-service launcher; do cp /tmp/qk/$v/$m-$V.jar $m/target/; done
  (cd launcher/target/classes && unzip -q -o /tmp/qk/$v/launcher-$V.jar 'io/*')
  touch bench/target/bench.classpath launcher/target/launcher.classpath
  ./bench.sh --commands --quick > /tmp/qk/$v.log 2>&1
  r=$(ls -t bench/results | head -1)
  echo "$v $r" >> /tmp/qk/runs.txt
done
for m in service-common projection-service launcher; do cp /tmp/qk/after/$m-$V.jar $m/target/; done
(cd launcher/target/classes && unzip -q -o /tmp/qk/after/launcher-$V.jar 'io/*')
echo done >> /tmp/qk/runs.txt
