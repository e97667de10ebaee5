#!/bin/bash
# alternates service-common and projection-service (the rebuilding process's jars, from ~/.m2):
# $1 label, rest variants (directories /tmp/rbab/<v> holding both jars)
cd /work/main
label=$1; shift
m2=/root/.m2/repository/io/streamfold
for v in "$@"; do
  cp /tmp/rbab/$v/service-common-0.1.0-SNAPSHOT.jar $m2/service-common/0.1.0-SNAPSHOT/
  cp /tmp/rbab/$v/projection-service-0.1.0-SNAPSHOT.jar $m2/projection-service/0.1.0-SNAPSHOT/
  touch bench/target/bench.classpath launcher/target/launcher.classpath
  ./bench.sh --rebuild --events=2000000 --repeats=2 > /tmp/rbab/$label-$v.log 2>&1
  r=$(ls -t bench/results | head -1)
  python3 -c "
import json
for j in json.load(open('bench/results/$r/rebuild.json'))['runs']:
  print('$label','$v','$r','rate',j['eventsPerSecond'],'fold',j['foldEventsPerSecond'],'first commit',j['secondsToFirstCommit'],'cpu/ev',j['cpuMicrosPerEvent'],'raw',j['consumerRecordsPerSecond'])
" >> /tmp/rbab/$label.txt
done
cp /tmp/rbab/after/*.jar /tmp/rbab/
cp /tmp/rbab/after/service-common-0.1.0-SNAPSHOT.jar $m2/service-common/0.1.0-SNAPSHOT/
cp /tmp/rbab/after/projection-service-0.1.0-SNAPSHOT.jar $m2/projection-service/0.1.0-SNAPSHOT/
echo done >> /tmp/rbab/$label.txt
