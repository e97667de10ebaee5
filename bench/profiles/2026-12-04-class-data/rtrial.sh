#!/bin/bash
label=$1; shift; rm -rf /tmp/cds/rdb
t0=$(date +%s%N)
java -Xms128m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "$@" -Xlog:cds=off -Xlog:cds+dynamic=off -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8092 -Dquarkus.management.enabled=false -Dquarkus.log.level=WARN -Dquarkus.datasource.jdbc.url=jdbc:h2:file:/tmp/cds/rdb/registry-db -jar /work/main/dev-stack/target/apicurio/apicurio-registry-app-2.6.13.Final-runner.jar > reg.log 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:8092/apis/ccompat/v7/subjects >/dev/null; do sleep 0.05; done
t1=$(date +%s%N)
echo "$label registry $(( (t1-t0)/1000000 )) ms"
kill -TERM $pid; wait $pid
