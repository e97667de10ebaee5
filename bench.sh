#!/usr/bin/env bash
# Runs the benchmarks on this machine (everything on 127.0.0.1).
#   ./bench.sh --commands [--quick]   the command path as a user runs it: ./run.sh in its own
#                                     processes, a light load generator in another, the raw Kafka
#                                     baselines on the same broker in the same run; writes
#                                     bench/results/<timestamp>/commands.md and commands.json;
#                                     --rate=N sets the open-loop rate, --steady=S runs only one
#                                     warm open loop of S seconds (to attach a profiler meanwhile;
#                                     it reports where the writers spend a round, by phase, and
#                                     the CPU each process used per command;
#                                     the same warm-up first, 150 s or --warmup=S; --visible follows
#                                     each command with its minVersion read),
#                                     --saturation=S only three 64-client closed loops of S seconds
#                                     (each with the CPU per command, too),
#                                     --reads the read side (reads.json), --events the event APIs:
#                                     stream reads, subscriptions beside a plain consumer, commands
#                                     with 100 live subscribers (events.json), --transfers money
#                                     transfers followed to COMPLETED beside single commands
#                                     (transfers.json), --forwarded reads the stack's projection
#                                     service answers itself beside reads it forwards to a second
#                                     instance in a process of its own (forwarded.json)
#   ./bench.sh --rebuild [--events=N] [--repeats=R]
#                                     a projection rebuild as an operator starts one: ./run.sh's
#                                     broker and registry, a log of N bank events (2,000,000) in a
#                                     prefix of its own, projection-service in its own process under
#                                     new application ids (R runs, 3), a plain consumer over the same
#                                     log as the baseline; writes bench/results/<timestamp>/rebuild.md
#                                     (REBUILD_ENV, REBUILD_JAVA_OPTS, REBUILD_VARIANTS="A|B": README)
#   ./bench.sh --quick                every scenario in one JVM, about 3 minutes (report.md, .json, .svg)
#   ./bench.sh                        the same, full (about 15 minutes)
set -euo pipefail
cd "$(dirname "$0")"
classpath=bench/target/bench.classpath
if [ ! -f "$classpath" ] || [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$classpath" -type f 2>/dev/null | head -n 1)" ]; then
  echo "Building..."
  ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl bench,launcher -am package
  touch "$classpath" # the build leaves an unchanged classpath file as it was: mark this build
fi

if [ "${1:-}" = "--commands" ] || [ "${1:-}" = "--rebuild" ]; then
  mode=$1; shift
  free_port() { # the first port from $1 on that nothing listens on
    local port=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
  }
  command_port=$(free_port 18080); projection_port=$(free_port $((command_port + 1)))
  kafka_port=$(free_port 19092); registry_port=$(free_port $((projection_port + 1)))
  data=$(mktemp -d); out="bench/results/$(date +%Y%m%d-%H%M%S)"; mkdir -p "$out"
  ./run.sh --data-dir "$data" --command-port "$command_port" --projection-port "$projection_port" \
    --kafka-port "$kafka_port" --registry-port "$registry_port" > "$out/stack.log" 2>&1 &
  stack=$!
  # the stack ends with 143 (SIGTERM): under set -e a failing wait would end this trap before rm
  trap 'kill "$stack" 2>/dev/null; wait "$stack" 2>/dev/null || true; rm -rf "$data"' EXIT
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$command_port/health/ready" >/dev/null \
       && curl -sf "http://127.0.0.1:$projection_port/health/ready" >/dev/null; then break; fi
    sleep 1
  done
  echo "Stack ready; measuring (results in $out)"
  # the services' JVM is the stack's process (run.sh execs it); the broker is its child
  broker_pid=$(pgrep -P "$stack" -f 'kafka\.Kafka' | head -n 1 || true)
  if [ "$mode" = "--rebuild" ]; then
    java -XX:+UseSerialGC -Xmx512m -cp "bench/target/classes:$(cat "$classpath")" io.streamfold.bench.RebuildLoad \
      "127.0.0.1:$kafka_port" "http://127.0.0.1:$registry_port/apis/ccompat/v7" "$out" \
      ${broker_pid:+"--broker-pid=$broker_pid"} "$@"
    exit 0
  fi
  java -XX:+UseSerialGC -Xmx512m -cp "bench/target/classes:$(cat "$classpath")" io.streamfold.bench.CommandLoad \
    "http://127.0.0.1:$command_port" "http://127.0.0.1:$projection_port" "127.0.0.1:$kafka_port" "$out" \
    "--cpu-pids=services=$stack${broker_pid:+,broker=$broker_pid}" \
    "--registry=http://127.0.0.1:$registry_port/apis/ccompat/v7" "--key-file=$data/key-encryption-key" "$@"
  exit 0
fi
exec java -XX:+UseG1GC -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -cp "bench/target/classes:$(cat "$classpath")" io.streamfold.bench.Bench "$@"
