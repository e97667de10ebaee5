#!/bin/bash
# usage: age.sh <label> [ENV=VAL...]: a steady 60 s run at 500/s (./bench.sh --commands --steady=60)
# with the given environment, scraping the projection service's /metrics every 8 s; prints the
# event-age histogram between two scrapes of the steady part (agecalc.py)
label=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../.."
rm -f /tmp/age-$label.*
(env "$@" timeout 600 ./bench.sh --commands --steady=60 > /tmp/age-$label.log 2>&1 &)
sleep 18
port=$(grep -o "projection service  http://127.0.0.1:[0-9]*" $(ls -td bench/results/*/ | head -1)/stack.log | grep -o "[0-9]*$")
for i in $(seq 1 12); do curl -s http://127.0.0.1:$port/metrics > /tmp/age-$label.$i 2>/dev/null; sleep 8; done
sleep 20
python3 "$here/agecalc.py" /tmp/age-$label.8 /tmp/age-$label.10 "$label"
grep -E '"p50Ms"|"p99Ms"' /tmp/age-$label.log | head -2 | tr -d '\n'; echo
