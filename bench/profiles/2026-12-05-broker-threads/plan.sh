#!/bin/bash
T='JAVA_OPTS=-Dstreamfold.broker.config=num.network.threads=1,num.io.threads=2'
"$(dirname "$0")/../2026-12-05-gated-lanes/ab.sh" sat def=X=1 "thr=$T"
"$(dirname "$0")/../2026-12-05-gated-lanes/ab.sh" steady "thr=$T" def=X=1
"$(dirname "$0")/../2026-12-05-gated-lanes/ab.sh" sat "thr=$T" def=X=1
"$(dirname "$0")/../2026-12-05-gated-lanes/ab.sh" steady def=X=1 "thr=$T"
echo done >> /tmp/lanes/ab.txt
#!/bin/bash
T='JAVA_OPTS=-Dstreamfold.broker.config=num.network.threads=1,num.io.threads=2'
"$(dirname "$0")/../2026-12-05-gated-lanes/ab.sh" steady "thr=$T" def=X=1 def=X=1 "thr=$T"
echo done >> /tmp/lanes/ab.txt
