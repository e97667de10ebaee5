#!/bin/bash
# wall-clock profile of the services' JVM during a steady 500/s run, after 150 s
cd /work/main
./bench.sh --commands --steady=260 > /tmp/exp/wall-bench.log 2>&1 &
until grep -q "Stack ready\|steady" /tmp/exp/wall-bench.log 2>/dev/null; do sleep 1; done
sleep 170
pid=$(pgrep -f io.streamfold.launcher.Launcher | head -1)
jcmd $pid JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so '"start,event=wall,interval=2ms,threads"' > /dev/null
sleep 40
jcmd $pid JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so '"stop,collapsed,threads,file=/tmp/exp/wall.collapsed"' > /dev/null
wait
