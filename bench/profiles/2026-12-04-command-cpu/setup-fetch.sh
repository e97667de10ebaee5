# SETUP for steady.sh (with BENCH_ARGS=--visible): the projections' consumer waits up to 5 ms for
# more in variant "wait", the defaults otherwise
setup() {
  if [ "$1" = wait ]; then
    export KAFKA_MAIN_CONSUMER_FETCH_MIN_BYTES=1048576 KAFKA_MAIN_CONSUMER_FETCH_MAX_WAIT_MS=5
  else
    unset KAFKA_MAIN_CONSUMER_FETCH_MIN_BYTES KAFKA_MAIN_CONSUMER_FETCH_MAX_WAIT_MS
  fi
}
