#!/bin/bash
# samples VmRSS/VmHWM of the rebuild's projection process every second until $2 exists
out=$1; stop=$2; : > $out
while [ ! -e $stop ]; do
  for p in $(pgrep -f 'io.streamfold.projection.Main'); do
    echo "$(date +%s) $p $(grep -E 'VmRSS|VmHWM' /proc/$p/status 2>/dev/null | awk '{printf "%s %s ", $1, $2}')" >> $out
  done
  sleep 1
done
