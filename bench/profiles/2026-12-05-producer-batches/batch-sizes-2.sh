#!/bin/bash
# alternated rebuilds of 2,000,000 events: the Streams producer's batch.size (and buffer.memory)
cd /work/main
out=/tmp/bs/runs2.txt
for order in "default 524288 1048576" "1048576 default 524288" "524288 1048576 default"; do
  for v in $order; do
    pkill -9 java; sleep 2
    case $v in
      default) env="";;
      1048576) env="KAFKA_PRODUCER_BATCH_SIZE=$v KAFKA_PRODUCER_BUFFER_MEMORY=67108864";;
      *) env="KAFKA_PRODUCER_BATCH_SIZE=$v";;
    esac
    REBUILD_ENV="$env" timeout 900 ./bench.sh --rebuild --events=2000000 --repeats=1 > /tmp/bs/last.log 2>&1
    echo "[$v] $(grep 'Run 1' /tmp/bs/last.log) $(grep -o 'results in bench/results/[0-9-]*' /tmp/bs/last.log)" >> $out
  done
done
echo done >> $out
