#!/bin/bash
# alternates the command-service jar (m2 copy, which the bench's classpath names) for Failover runs: $1 aggregates, rest variants
cd /work/main
n=$1; shift
m2=/root/.m2/repository/io/streamfold/command-service/0.1.0-SNAPSHOT/command-service-0.1.0-SNAPSHOT.jar
for v in "$@"; do
  cp /tmp/ab2/cs-$v.jar $m2
  java -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.streamfold.bench.Failover $n /tmp/ab3/fo-$v-$(date +%H%M%S) > /tmp/ab3/fo-$v.log 2>&1
  echo "$v $(ls -td /tmp/ab3/fo-$v-* | head -1)" >> /tmp/ab3/fo.txt
done
cp /tmp/ab2/cs-wbm.jar $m2
echo done >> /tmp/ab3/fo.txt
