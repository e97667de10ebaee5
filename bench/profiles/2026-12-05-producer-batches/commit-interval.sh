#!/bin/bash
# command-to-visible with 32 readers: the projections' commit interval 1000 (default) against 5000, in turns
cd /work/main
out=/tmp/bs/commit.txt
for v in 1000 5000 5000 1000; do
  pkill -9 java; sleep 2
  COMMIT_INTERVAL_MS=$v timeout 1200 ./bench.sh --commands --reads --warmup=60 > /tmp/bs/commit-last.log 2>&1
  r=$(grep -o 'results in bench/results/[0-9-]*' /tmp/bs/commit-last.log | head -1 | cut -d' ' -f3)
  echo "[$v] $r" >> $out
done
echo done >> $out
