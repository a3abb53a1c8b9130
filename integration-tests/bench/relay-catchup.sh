#!/usr/bin/env bash
# Benchmark: catch-up after a store outage. The relay runs while the store is down; a backlog of LINES lines is put
# into Kafka; then the store comes up and the drain is timed until every line was accepted.
#
#   integration-tests/bench/relay-catchup.sh              # 2,000,000 lines, 3 runs
#
# Settings (environment): LINES (2000000), RECORD_LINES (1000 lines per Kafka record, the agent's default batch),
# RUNS (3), RELAY_CONFIG, RELAY_OPTS, RELAY_CLASSES, CP_DIR (see relay-bench-lib.sh).
#
# The store is RelayCatchUpBench's timing store (a minimal /insert/jsonline that keeps nothing), so the rate is the
# relay's, with the broker and the producer on the same machine. Reported: store up -> first accepted request (the
# relay's retry backoff, up to 30 s after a long outage), the drain rate from the first to the last accepted line,
# and the relay's CPU-seconds per million lines during the drain.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/relay-bench-lib.sh"
LINES=${LINES:-2000000}
RECORD_LINES=${RECORD_LINES:-1000}
RUNS=${RUNS:-3}
snapshot_classpath

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $LINES lines, relay: $RELAY_OPTS ${RELAY_CONFIG:+config $RELAY_CONFIG}" >&2
for run in $(seq 1 "$RUNS"); do
  rm -f "$WORK/relay.log" "$WORK/relay.pid"
  start_broker
  java -Xmx1g -XX:+UseSerialGC -cp "$IT_CP" foundation.foxlight.skulklogs.it.bench.RelayCatchUpBench --bootstrap "$BS" \
    --lines "$LINES" --record-lines "$RECORD_LINES" --relay-pid-file "$WORK/relay.pid" > "$WORK/bench.out" 2> "$WORK/bench.log" &
  BENCH_PID=$!
  PIDS+=("$BENCH_PID")
  start_relay "$(store_url "$WORK/bench.out")"
  echo "$RELAY_PID" > "$WORK/relay.pid"
  finish_run "$run"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
