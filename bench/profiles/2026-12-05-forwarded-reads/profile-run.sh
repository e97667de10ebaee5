#!/bin/bash
cd /work/main
touch bench/target/bench.classpath launcher/target/launcher.classpath
./bench.sh --commands --forwarded > /tmp/pfwd/bench.log 2>&1 &
while ! grep -q 'Started projection-second' /tmp/pfwd/bench.log 2>/dev/null; do sleep 1; done
svc=$(pgrep -f 'io.streamfold.launcher.Launcher' | head -1)
sec=$(pgrep -f 'io.streamfold.projection.Main' | head -1)
echo "svc=$svc sec=$sec" > /tmp/pfwd/pids
sleep 20
jcmd $svc JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"start,event=itimer,interval=5ms,threads,loop=10s,collapsed,file=/tmp/pfwd/svc-%t.collapsed\"" >> /tmp/pfwd/jcmd.log 2>&1
jcmd $sec JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"start,event=itimer,interval=5ms,threads,loop=10s,collapsed,file=/tmp/pfwd/sec-%t.collapsed\"" >> /tmp/pfwd/jcmd.log 2>&1
wait
echo done > /tmp/pfwd/done
