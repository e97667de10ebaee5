#!/bin/bash
# alternated rebuilds of 2,000,000 events: the Streams producer's batch.size
cd /work/main
out=/tmp/bs/runs.txt
for order in "default 131072 1048576" "1048576 default 131072" "131072 1048576 default"; do
  for v in $order; do
    pkill -9 java; sleep 2
    if [ $v = default ]; then env=""; else env="KAFKA_PRODUCER_BATCH_SIZE=$v"; fi
    REBUILD_ENV="$env" timeout 900 ./bench.sh --rebuild --events=2000000 --repeats=1 > /tmp/bs/last.log 2>&1
    echo "[$v] $(grep 'Run 1' /tmp/bs/last.log) $(grep -o 'results in bench/results/[0-9-]*' /tmp/bs/last.log)" >> $out
  done
done
echo done >> $out
