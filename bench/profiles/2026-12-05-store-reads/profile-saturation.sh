#!/bin/bash
# CPU profile of the services' JVM over the second and third 64-client loops of
# `./bench.sh --commands --saturation=30` (async-profiler 3.0 in /tmp/ap, attached with jcmd)
# usage: profile-saturation.sh OUT.collapsed
cd /work/main
out=$1; log=/tmp/profile-saturation.log
touch bench/target/bench.classpath launcher/target/launcher.classpath
./bench.sh --commands --saturation=30 > $log 2>&1 &
while ! grep -q 'Stack ready' $log 2>/dev/null; do sleep 1; done
sleep 75 # the 30 s warm-up and the first loop
svc=$(pgrep -f 'io.streamfold.launcher.Launcher' | head -1)
lib=/tmp/ap/linux-x64/libasyncProfiler.so
jcmd $svc JVMTI.agent_load $lib "\"start,event=itimer,interval=2ms,threads\"" > /dev/null
sleep 50
jcmd $svc JVMTI.agent_load $lib "\"stop,collapsed,threads,file=$out\"" > /dev/null
wait
gzip -f $out
