#!/bin/bash
# saturation with CPU per accepted command: ticks of services, broker, load generator over 60 s of loops 2-3
label=$1; jar=$2
cp $jar /root/.m2/repository/io/streamfold/command-service/0.1.0-SNAPSHOT/command-service-0.1.0-SNAPSHOT.jar
cd /work/main
./bench.sh --commands --saturation=45 > /tmp/exp/cpu-$label.log 2>&1 &
until grep -q "Stack ready" /tmp/exp/cpu-$label.log 2>/dev/null; do sleep 1; done
sleep 100
pid=$(pgrep -f io.streamfold.launcher.Launcher | head -1); bpid=$(pgrep -f "kafka.Kafka " | head -1); lpid=$(pgrep -f io.streamfold.bench.CommandLoad | head -1)
t() { awk '{print $14+$15}' /proc/$1/stat; }
s0=$(t $pid); b0=$(t $bpid); l0=$(t $lpid)
sleep 60
s1=$(t $pid); b1=$(t $bpid); l1=$(t $lpid)
wait
d=$(ls -t bench/results | head -1)
python3 - $d $label $((s1-s0)) $((b1-b0)) $((l1-l0)) <<'PY' >> /tmp/exp/cpu.txt
import json,sys
d,label,s,b,l=sys.argv[1],sys.argv[2],*map(int,sys.argv[3:])
r=json.load(open('/work/main/bench/results/%s/saturation.json'%d))['saturation']
acc=[x['accepted/s'] for x in r]; rate=sum(acc[1:])/2
per=lambda ticks: ticks*10000/60/rate  # µs per command (100 ticks/s)
print(label,d,'accepted/s',' '.join('%.0f'%a for a in acc),'| µs/cmd services %.0f broker %.0f loadgen %.0f'%(per(s),per(b),per(l)))
PY
tail -1 /tmp/exp/cpu.txt
