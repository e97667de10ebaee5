#!/bin/bash
cd /work/main
./bench.sh --commands --steady=200 > /tmp/exp/alloc-bench.log 2>&1 &
until grep -q "Steady load" /tmp/exp/alloc-bench.log 2>/dev/null; do sleep 1; done
sleep 140
pid=$(pgrep -f io.streamfold.launcher.Launcher | head -1)
jcmd $pid JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so '"start,event=alloc,alloc=64k,threads"' > /dev/null
sleep 30
jcmd $pid JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so '"stop,collapsed,total,threads,file=/tmp/exp/alloc.collapsed"' > /dev/null
jcmd $pid GC.heap_info > /tmp/exp/heapinfo.txt
wait
