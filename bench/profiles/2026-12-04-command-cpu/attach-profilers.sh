#!/bin/bash
cd /work/main
touch bench/target/bench.classpath launcher/target/launcher.classpath
./bench.sh --commands --steady=60 --warmup=60 > /tmp/p500/bench.log 2>&1 &
while ! grep -q 'Steady load from now on' /tmp/p500/bench.log 2>/dev/null; do sleep 1; done
sleep 5
svc=$(pgrep -f 'io.streamfold.launcher.Launcher' | head -1)
brk=$(pgrep -f 'kafka.Kafka ' | head -1)
[ -z "$brk" ] && brk=$(pgrep -f 'kafka\.Kafka' | head -1)
echo "svc=$svc brk=$brk" > /tmp/p500/pids
for p in $svc $brk; do jcmd $p JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"start,event=itimer,interval=2ms,threads\"" >> /tmp/p500/jcmd.log 2>&1; done
sleep 40
jcmd $svc JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"stop,collapsed,threads,file=/tmp/p500/services.collapsed\"" >> /tmp/p500/jcmd.log 2>&1
jcmd $brk JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"stop,collapsed,threads,file=/tmp/p500/broker.collapsed\"" >> /tmp/p500/jcmd.log 2>&1
wait
echo done > /tmp/p500/done
