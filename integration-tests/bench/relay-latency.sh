#!/usr/bin/env bash
# Benchmark: end-to-end latency of the relay at a steady rate: line handed to the Kafka producer -> the store's 200 for
# the request holding it (p50/p90/p99/p99.9/max), with the relay's default settings unless RELAY_CONFIG says otherwise.
#
#   integration-tests/bench/relay-latency.sh              # 10,000 lines/s, 20 s warm-up, 60 s measured, 3 runs
#
# Settings (environment): RATE (10000), WARMUP (20 s), SECONDS_MEASURED (60), RECORD_LINES (100 lines per Kafka
# record, i.e. a record every 10 ms), RUNS (3), RELAY_CONFIG, RELAY_OPTS, RELAY_CLASSES, CP_DIR (see relay-bench-lib.sh).
#
# Every run: a fresh embedded broker; RelayLatencyBench (integration-tests, package it.bench) starts its timing store
# (a minimal /insert/jsonline that notes when each line's request was answered) and produces; the relay is started
# against that store as soon as its URL is known. Lines produced during the warm-up (relay start-up, JIT) are not counted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/relay-bench-lib.sh"
RATE=${RATE:-10000}
WARMUP=${WARMUP:-20}
SECONDS_MEASURED=${SECONDS_MEASURED:-60}
RECORD_LINES=${RECORD_LINES:-100}
RUNS=${RUNS:-3}
snapshot_classpath

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $RATE lines/s, relay: $RELAY_OPTS ${RELAY_CONFIG:+config $RELAY_CONFIG}" >&2
for run in $(seq 1 "$RUNS"); do
  rm -f "$WORK/relay.log"
  start_broker
  java -Xmx1g -XX:+UseSerialGC -cp "$IT_CP" foundation.foxlight.skulklogs.it.bench.RelayLatencyBench --bootstrap "$BS" \
    --rate "$RATE" --warmup "$WARMUP" --seconds "$SECONDS_MEASURED" --record-lines "$RECORD_LINES" > "$WORK/bench.out" 2> "$WORK/bench.log" &
  BENCH_PID=$!
  PIDS+=("$BENCH_PID")
  start_relay "$(store_url "$WORK/bench.out")"
  finish_run "$run"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
