#!/usr/bin/env bash
# Benchmark: the agent's idle memory after a load, A against B (two sets of JVM flags), alternating in one run.
# Per round and variant: a fresh agent (the launcher's agent flags plus the variant's), a 1,000,000-line file
# hard-linked into the followed path, then RSS (VmRSS) read IDLE_SECONDS after Kafka acknowledged the last line.
#
#   A_FLAGS="" B_FLAGS="-XX:TrimNativeHeapInterval=5000" integration-tests/bench/agent-idle-ab.sh
#
# Settings (environment): LINES (1000000), ROUNDS (3), IDLE_SECONDS (30), A_FLAGS / B_FLAGS (added to BASE_FLAGS,
# default: bin/skulk-logs's agent flags without the trim flag). Needs python3 and curl.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/relay-bench-lib.sh"
LINES=${LINES:-1000000}
ROUNDS=${ROUNDS:-3}
IDLE_SECONDS=${IDLE_SECONDS:-30}
BASE_FLAGS=${BASE_FLAGS:--Xms16m -Xmx128m -XX:+UseSerialGC -Xss512k -XX:CICompilerCount=2}
A_FLAGS=${A_FLAGS:-}
B_FLAGS=${B_FLAGS:--XX:TrimNativeHeapInterval=5000}
snapshot_classpath

python3 - "$WORK/src.log" "$LINES" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(json.dumps({"ts": "2026-11-28T12:%02d:%02d.%03dZ" % (i // 60000 % 60, i // 1000 % 60, i % 1000),
            "level": "INFO", "node_id": "n", "component": "worker", "module": "skulk.worker.runner",
            "function": "step", "line": i % 500, "msg": "step %d done" % i}) + "\n")
PY
start_broker
shipped() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^skulk_agent_lines_shipped_total/ {printf "%d", $2}'; }

echo "A: $BASE_FLAGS $A_FLAGS"
echo "B: $BASE_FLAGS $B_FLAGS"
echo "| round | A: idle RSS MiB | B: idle RSS MiB |"
echo "|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  row="| $round"
  for flags in "$A_FLAGS" "$B_FLAGS"; do
    A="$WORK/agent"; rm -rf "$A"; mkdir -p "$A/in"
    PORT=$(free_port)
    MALLOC_ARENA_MAX=2 skulk "$BASE_FLAGS $flags" agent --file "$A/in/skulk.stdout.log" --kafka "$BS" --node-id n \
      --state-dir "$A/state" --http "127.0.0.1:$PORT" --env-file /dev/null 2> "$A/agent.log" &
    AGENT_PID=$!
    PIDS+=("$AGENT_PID")
    until curl -sf "http://127.0.0.1:$PORT/metrics" > /dev/null; do sleep 0.2; done
    ln "$WORK/src.log" "$A/in/skulk.stdout.log"
    until [ "$(shipped "$PORT")" = "$LINES" ]; do sleep 0.5; done
    sleep "$IDLE_SECONDS" # the idle period being measured
    row="$row | $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$AGENT_PID/status")"
    stop "$AGENT_PID"
  done
  echo "$row |"
done
