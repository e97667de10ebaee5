#!/bin/bash
# the runs of runs.txt, in their order: the broker's default threads ("def") against 2 handler
# threads and 1 network thread ("thr"), alternated
ab="$(dirname "$0")/../2026-12-05-gated-lanes/ab.sh"
thr='thr=JAVA_OPTS=-Dstreamfold.broker.config=num.network.threads=1,num.io.threads=2'
def='def=X=1' # no change
"$ab" sat "$def" "$thr"
"$ab" steady "$thr" "$def"
"$ab" sat "$thr" "$def"
"$ab" steady "$def" "$thr"
"$ab" steady "$thr" "$def" "$def" "$thr"
