#!/bin/bash
# alternates the projection-service jar for rebuilds: $1 label, rest variants (ps-<v>.jar)
cd /work/main
label=$1; shift
m2=/root/.m2/repository/io/streamfold/projection-service/0.1.0-SNAPSHOT/projection-service-0.1.0-SNAPSHOT.jar
for v in "$@"; do
  cp /tmp/ab3/ps-$v.jar $m2
  touch bench/target/bench.classpath launcher/target/launcher.classpath
  rm -f /tmp/ab3/rss.stop; bench/profiles/2026-12-04-store-memory/rss.sh /tmp/ab3/$label-$v.rss /tmp/ab3/rss.stop &
  ./bench.sh --rebuild --events=2000000 --repeats=1 > /tmp/ab3/$label-$v.log 2>&1
  touch /tmp/ab3/rss.stop; sleep 2
  r=$(ls -t bench/results | head -1)
  hwm=$(awk '{print $4}' /tmp/ab3/$label-$v.rss | sort -n | tail -1)
  python3 -c "
import json,sys
j=json.load(open('bench/results/$r/rebuild.json'))['runs'][0]
print('$label','$v','$r','rate',j['eventsPerSecond'],'fold',j['foldEventsPerSecond'],'2nd half',j['secondHalfEventsPerSecond'],'first commit',j['secondsToFirstCommit'],'cpu/ev',j['cpuMicrosPerEvent'],'raw',j['consumerRecordsPerSecond'],'peak RSS MB',round($hwm/1024))
" >> /tmp/ab3/$label.txt
done
cp /tmp/ab3/ps-after.jar $m2
echo done >> /tmp/ab3/$label.txt
