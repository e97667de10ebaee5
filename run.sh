#!/usr/bin/env bash
# Starts the whole platform on this machine: a Kafka broker (KRaft), Apicurio Registry, the command
# service (:8080) and the projection service (:8081). Needs only a JDK 17+. ./run.sh --help for options.
set -euo pipefail
cd "$(dirname "$0")"

for arg in "$@"; do
  if [ "$arg" = "-h" ] || [ "$arg" = "--help" ]; then
    sed -n '/static final String USAGE/,/;$/p' launcher/src/main/java/io/streamfold/launcher/LauncherOptions.java \
      | sed -n 's/^ *"\(.*\)"[,);]*$/\1/p' | sed 's/\\"/"/g'
    exit 0
  fi
done

# shellcheck source=launcher/build-if-changed.sh
. launcher/build-if-changed.sh

# The JVM's own compilers, C2 included: on two cores C2 competes with the broker for the first two
# minutes or so, then carries 1.5-1.8 times the commands C1 alone does (README, Performance).
# JAVA_OPTS adds options for the services' JVM after ours, so they win
# (JAVA_OPTS=-XX:TieredStopAtLevel=1 for C1 alone: a faster first minute, half the speed after).
# shellcheck disable=SC2086
exec java -XX:+UseG1GC -Xmx1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 ${JAVA_OPTS:-} -cp "launcher/target/classes:$(cat "$classpath")" io.streamfold.launcher.Launcher "$@"
