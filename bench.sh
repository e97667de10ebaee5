#!/usr/bin/env bash
# Runs the benchmarks on this machine (everything on 127.0.0.1) and writes
# bench/results/<timestamp>/report.json, report.md and latency.svg.
#   ./bench.sh --quick   about 3 minutes
#   ./bench.sh           the full run (about 15 minutes): the figures to quote
set -euo pipefail
cd "$(dirname "$0")"
classpath=bench/target/bench.classpath
if [ ! -f "$classpath" ] || [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$classpath" -type f 2>/dev/null | head -n 1)" ]; then
  echo "Building..."
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl bench -am package
fi
exec java -XX:+UseG1GC -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -cp "bench/target/classes:$(cat "$classpath")" io.streamfold.bench.Bench "$@"
