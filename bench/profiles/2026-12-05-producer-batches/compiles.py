#!/usr/bin/env python3
"""C2's work in a rebuild, from -XX:+LogCompilation's XML (the compile tasks' start and end stamps).

Usage: compiles.py LOGFILE   (REBUILD_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation
-XX:LogFile=LOGFILE -XX:+CITime" ./bench.sh --rebuild --events=2000000 --repeats=1)
Prints the number of compiles by tier, C2's busy seconds in each 5 s of the process's life and the
40 longest C2 compiles. A task's time is wall-clock: on a full machine it includes waiting for a core.
"""
import collections
import re
import sys

tasks, current = [], None
for line in open(sys.argv[1], errors="replace"):
    if line.startswith("<task "):
        stamp = float(re.search(r"stamp='([\d.]+)'", line).group(1))
        method = re.search(r"method='([^']+)'", line)
        level = re.search(r"level='(\d)'", line)
        current = (method.group(1) if method else "?", level.group(1) if level else "4", stamp)
    elif line.startswith("<task_done") and current:
        stamp = float(re.search(r"stamp='([\d.]+)'", line).group(1))
        size = re.search(r"nmsize='(\d+)'", line)
        tasks.append((stamp - current[2], current[0], current[1], stamp, int(size.group(1)) if size else 0))
        current = None

c2 = [t for t in tasks if t[1] != "?" and t[2] == "4"]
print(f"compiles {len(tasks)}, of which C2 {len(c2)}, C2 busy {sum(t[0] for t in c2):.1f} s")
busy = collections.Counter()
for t in c2:
    busy[int(t[3] // 5) * 5] += t[0]
print("C2 busy per 5 s of the process's life:", ", ".join(f"{k}-{k + 5}s {v:.1f}" for k, v in sorted(busy.items())))
for t in sorted(c2, reverse=True)[:40]:
    print(f"{t[0] * 1000:6.0f} ms  at {t[3]:5.1f} s  {t[4]:6d} B  {t[1]}")
