#!/bin/bash
# the command path with the projections' producer batches of old (16 KiB) and new, in turns:
# ./bench.sh --commands --quick, a fresh stack each
cd /work/main
out=/tmp/bs/quick.txt
for v in old new; do
  pkill -9 java; sleep 2
  if [ $v = old ]; then export KAFKA_PRODUCER_BATCH_SIZE=16384; else unset KAFKA_PRODUCER_BATCH_SIZE; fi
  timeout 1200 ./bench.sh --commands --quick > /tmp/bs/quick-last.log 2>&1
  r=$(grep -o 'results in bench/results/[0-9-]*' /tmp/bs/quick-last.log | head -1 | cut -d' ' -f3)
  echo "[$v] $r" >> $out
done
echo done >> $out
