#!/bin/bash
# $1 = label, $2.. = extra JVM options; formats a fresh dir, starts a broker, times both
cd /tmp/cds
label=$1; shift
CP=$(cat cp.txt)
rm -rf logs; sed "s#^log.dirs=.*#log.dirs=/tmp/cds/logs#" server.properties > s.properties
t0=$(date +%s%N)
java -Xms512m -Xmx512m -XX:+UseG1GC "$@" -Dlog4j2.configurationFile=/tmp/cds/log4j2.properties -cp "$CP" kafka.tools.StorageTool format --standalone --cluster-id MkU3OEVBNTcwNTJENDM2Qk --config s.properties > fmt.log 2>&1
t1=$(date +%s%N)
java -Xms512m -Xmx512m -XX:+UseG1GC "$@" -Dlog4j2.configurationFile=/tmp/cds/log4j2.properties -cp "$CP" kafka.Kafka s.properties > broker.log 2>&1 &
pid=$!
until grep -q "started (kafka.server.KafkaRaftServer)" broker.log 2>/dev/null || grep -qi "Kafka Server started" broker.log; do sleep 0.05; done
t2=$(date +%s%N)
echo "$label format $(( (t1-t0)/1000000 )) ms, broker $(( (t2-t1)/1000000 )) ms"
kill -TERM $pid; wait $pid
