#!/usr/bin/env python3
"""Where the committer thread's samples go in a collapsed-stack profile of the services' JVM:
python3 committer-share.py ../2026-12-04-c2-again/saturation-services-memtable-bloom.collapsed.gz
Prints the share of each call under Committer.round, then the store reads inside decideOne."""
import collections, gzip, sys

rounds, decide, total = collections.Counter(), collections.Counter(), 0
for line in gzip.open(sys.argv[1], 'rt'):
    if not line.startswith('[committer'):
        continue
    stack, n = line.rstrip().rsplit(' ', 1)
    n, frames = int(n), stack.split(';')
    total += n
    at = [i for i, f in enumerate(frames) if 'Committer.round' in f]
    if not at:
        rounds['(outside a round)'] += n
        continue
    i = at[0]
    callee = frames[i + 1].split('(')[0] if i + 1 < len(frames) else '(self)'
    if 'Batch.finish' in callee or 'Batch.decide' in callee:
        callee += ' > ' + (frames[i + 2].split('(')[0] if i + 2 < len(frames) else '(self)')
    rounds[callee] += n
    one = [j for j, f in enumerate(frames) if 'Batch.decideOne' in f]
    if one:
        j = one[0]
        decide[';'.join(f.split('(')[0].split('/')[-1] for f in frames[j + 1:j + 4])] += n
print('committer samples', total)
for k, v in rounds.most_common(8):
    print('%5.1f%% %s' % (100 * v / total, k))
whole = sum(decide.values())
print('inside decideOne', whole)
for k, v in decide.most_common(8):
    print('%5.1f%% %s' % (100 * v / whole, k))
