#!/bin/bash
T='JAVA_OPTS=-Dstreamfold.broker.config=num.network.threads=1,num.io.threads=2'
/tmp/lanes/ab.sh sat def=X=1 "thr=$T"
/tmp/lanes/ab.sh steady "thr=$T" def=X=1
/tmp/lanes/ab.sh sat "thr=$T" def=X=1
/tmp/lanes/ab.sh steady def=X=1 "thr=$T"
echo done >> /tmp/lanes/ab.txt
#!/bin/bash
T='JAVA_OPTS=-Dstreamfold.broker.config=num.network.threads=1,num.io.threads=2'
/tmp/lanes/ab.sh steady "thr=$T" def=X=1 def=X=1 "thr=$T"
echo done >> /tmp/lanes/ab.txt
