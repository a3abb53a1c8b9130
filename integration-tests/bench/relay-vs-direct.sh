#!/usr/bin/env bash
# Benchmark: relay (Kafka backlog -> VictoriaLogs) against the ceiling: the same lines bulk-POSTed straight
# into the same VictoriaLogs, in the same run. Prints lines/s, the ratio, and the relay's CPU-s per million lines.
#
#   integration-tests/bench/relay-vs-direct.sh                      # in-repo stand-in, 500,000 lines
#   VICTORIALOGS_URL=http://127.0.0.1:9428 integration-tests/bench/relay-vs-direct.sh   # a real VictoriaLogs
#
# The backlog is put into Kafka by the agent first (relay not running), then the relay is started and timed
# until the store has ingested every line (read from its /metrics: vl_rows_ingested_total). Needs python3, curl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LINES=${LINES:-500000}
CHUNK=${CHUNK:-10000}
WORK=$(mktemp -d /tmp/skulk-bench.XXXXXX)
TICK=$(getconf CLK_TCK)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$ROOT/bin/skulk-logs" --version >/dev/null   # builds on first use

if [ -n "${VICTORIALOGS_URL:-}" ]; then
  VL="$VICTORIALOGS_URL"
else
  [ -d "$ROOT/integration-tests/target/classes/foundation" ] || (cd "$ROOT" && ./mvnw -q -B -Dmaven.test.skip=true install >&2)
  VL_PORT=$(free_port)
  java -Xmx4g -cp "$ROOT/integration-tests/target/classes:$ROOT/launcher/target/lib/*:$ROOT/launcher/target/skulk-logs.jar" \
    foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsStandIn "$VL_PORT" > "$WORK/vl.log" 2>&1 &
  PIDS+=($!)
  VL="http://127.0.0.1:$VL_PORT"
  until curl -sf "$VL/health" >/dev/null; do sleep 0.2; done
fi
ingested() { curl -s "$VL/metrics" | awk '/^vl_rows_ingested_total/ {s += $2} END {printf "%d", s}'; }
wait_for() { until [ "$(ingested)" -ge "$1" ]; do sleep 0.1; done; }

python3 - "$WORK" "$LINES" "$CHUNK" <<'PY'
import json, sys, random, time
work, n, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = time.time()
comps = ["worker", "api", "master", "shard"]
out = open(work + "/skulk.stdout.log", "w")
for i in range(n):
    t = now - 600 + i / n * 600
    line = json.dumps({"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % (int(t * 1000) % 1000), "level": "INFO",
        "node_id": "bench-%d" % (i % 4), "component": comps[i % 4], "module": "skulk.%s.runner" % comps[i % 4], "function": "step",
        "line": i % 500, "msg": "step %d done in %d ms" % (i, random.randint(1, 999))})
    out.write(line + "\n")
    if i % chunk == 0:
        c = open(work + "/chunk-%06d.ndjson" % (i // chunk), "w")
    c.write(line + "\n")
PY

# --- ceiling: bulk POST straight into the store
BASE=$(ingested)
START=$(date +%s.%N)
for f in "$WORK"/chunk-*.ndjson; do
  curl -sf -H 'Expect:' -H 'Content-Type: application/stream+json' --data-binary @"$f" \
    "$VL/insert/jsonline?_stream_fields=node_id,component&_msg_field=msg&_time_field=ts" >/dev/null
done
wait_for $((BASE + LINES))
DIRECT=$(python3 -c "print($(date +%s.%N) - $START)")

# --- relay: a Kafka backlog of the same lines, put there by the agent while no relay runs
"$ROOT/bin/skulk-logs" broker --data-dir "$WORK/kafka" --port 0 > "$WORK/broker.out" 2> "$WORK/broker.log" &
PIDS+=($!)
until [ -s "$WORK/broker.out" ]; do sleep 0.2; done
BS=$(head -1 "$WORK/broker.out")
AGENT_HTTP=$(free_port)
"$ROOT/bin/skulk-logs" agent --file "$WORK/skulk.stdout.log" --kafka "$BS" --node-id bench --state-dir "$WORK/agent" \
  --http "127.0.0.1:$AGENT_HTTP" --env-file /dev/null 2> "$WORK/agent.log" &
PIDS+=($!)
until [ "$(curl -s "http://127.0.0.1:$AGENT_HTTP/metrics" | awk '/^skulk_agent_lines_shipped_total/ {printf "%d", $2}')" = "$LINES" ]; do sleep 0.2; done

BASE=$(ingested)
START=$(date +%s.%N)
"$ROOT/bin/skulk-logs" relay --kafka "$BS" --victorialogs-url "$VL" --http off --env-file /dev/null 2> "$WORK/relay.log" &
RELAY_PID=$!
PIDS+=($RELAY_PID)
wait_for $((BASE + LINES))
RELAY=$(python3 -c "print($(date +%s.%N) - $START)")
read -r -a STAT < "/proc/$RELAY_PID/stat"
RELAY_CPU=$(python3 -c "print(($((STAT[13] + STAT[14]))) / $TICK)")

python3 - "$LINES" "$DIRECT" "$RELAY" "$RELAY_CPU" "$VL" <<'PY'
import sys
n, d, r, cpu, vl = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
print("store: %s, %d lines" % (vl, n))
print("| path | lines/s |")
print("|---|---|")
print("| direct bulk POST (ceiling) | %.0f |" % (n / d))
print("| relay, Kafka backlog -> store (JVM start included) | %.0f |" % (n / r))
print()
print("relay / ceiling: %.2fx; relay CPU: %.2f CPU-s per million lines" % ((n / r) / (n / d), cpu / n * 1e6))
PY
