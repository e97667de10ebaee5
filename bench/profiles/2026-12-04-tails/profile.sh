#!/bin/bash
# usage: profile.sh <async-profiler start options> <stop options> <seconds> <out file>
# Profiles the services' JVM during a steady 500/s run after the bench's 150 s warm-up (C2 done:
# ./bench.sh --commands --steady=100), from 20 s into the steady load, for <seconds>. Runs used here:
#   profile.sh event=wall,interval=2ms,threads collapsed,threads 40 wall.collapsed
#   profile.sh event=alloc,alloc=64k,threads collapsed,total,threads 30 alloc.collapsed
# async-profiler's library at $ASYNC_PROFILER (default /tmp/ap/linux-x64/libasyncProfiler.so).
start=$1; stop=$2; seconds=$3; out=$(realpath -m "$4")
lib=${ASYNC_PROFILER:-/tmp/ap/linux-x64/libasyncProfiler.so}
cd "$(dirname "$0")/../../.."
log=$(mktemp)
./bench.sh --commands --steady=100 > "$log" 2>&1 &
until grep -q "Steady load" "$log" 2>/dev/null; do sleep 1; done
sleep 20
pid=$(pgrep -f io.streamfold.launcher.Launcher | head -1)
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,$start\"" > /dev/null
sleep "$seconds"
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,$stop,file=$out\"" > /dev/null
wait
