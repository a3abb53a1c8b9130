#!/usr/bin/env bash
# Benchmark: relay (Kafka backlog -> VictoriaLogs) against the ceiling: the same lines bulk-POSTed straight
# into the same VictoriaLogs, in the same run. Prints, per run, lines/s of both, the ratio, the relay's
# CPU-seconds per million lines and the store's CPU-seconds in each phase — over the whole run (the relay's JVM
# start-up and JIT included), from the first stored row to the last (each side's start and first response left out)
# and over the second half of the lines (steady state); then the medians.
#
#   integration-tests/bench/relay-vs-direct.sh                      # in-repo stand-in, 500,000 lines, 3 runs
#   VICTORIALOGS_URL=http://127.0.0.1:9428 integration-tests/bench/relay-vs-direct.sh   # a real VictoriaLogs
#
# Settings (environment):
#   LINES (500000)   lines per run (the stand-in keeps both phases in its 4 GiB heap: up to ~1.5 M)
#   RUNS (3)         runs, each with a fresh broker (and stand-in)
#   CHUNK (10000)    lines per direct POST  PARALLEL (4)   direct POSTs in flight (the relay's batch.max_in_flight)
#   RELAY_CONFIG     a relay YAML file (batch.*, victorialogs.compression, ...)
#   RELAY_OPTS       JVM flags of the relay (default: bin/skulk-logs's: -Xms64m -Xmx768m -XX:+UseSerialGC)
#   RELAY_CLASSES    a class path put first on the relay's only (e.g. the schema, common and relay jars being tuned)
#   CP_DIR           take every jar from this directory instead of building launcher/target (a fixed snapshot)
#   JFR_DIR          record a JFR profile of each relay run there (relay-<run>.jfr)   KEEP_LOGS  copy relay logs there
#   FRESH_STORE=1    the relay phase gets a fresh stand-in too (else it finds the direct phase's rows in the stand-in's
#                    heap, and the stand-in's JIT warm): each phase starts from the same, empty store
#   STORE_CPUS, PIPELINE_CPUS   e.g. 0 and 1: the stand-in on its own CPU(s) (taskset), everything else — the direct
#                    POSTs, broker, agent and relay — on the others; both phases then give the store the same CPU, and
#                    the ratio says whether the relay keeps it as busy as a bulk client does (unset: all share every CPU)
#
# Every run: a fresh stand-in (unless VICTORIALOGS_URL), the ceiling (curl, CHUNK lines per request, PARALLEL at once,
# uncompressed), then the agent
# puts the same lines into a fresh embedded broker while no relay runs; the relay is started and timed until the
# store's vl_rows_ingested_total grew by every line (JVM start-up included). The jars are copied once at the start,
# so that rebuilds during the run do not change what is measured. Needs python3 and curl.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/relay-bench-lib.sh"
LINES=${LINES:-500000}
CHUNK=${CHUNK:-10000}
PARALLEL=${PARALLEL:-4}
RUNS=${RUNS:-3}
snapshot_classpath
STORE_PIN=()
if [ -n "${STORE_CPUS:-}" ]; then
  taskset -pc "${PIPELINE_CPUS:?set PIPELINE_CPUS with STORE_CPUS}" $$ > /dev/null # inherited by every later child
  STORE_PIN=(taskset -c "$STORE_CPUS")
fi

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

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $LINES lines, $RUNS runs; relay: $RELAY_OPTS ${RELAY_CONFIG:+config $RELAY_CONFIG}${STORE_CPUS:+; store on CPU $STORE_CPUS, the rest on CPU $PIPELINE_CPUS}" >&2
RESULTS="$WORK/results.tsv"
# The store for a phase: VICTORIALOGS_URL, or a fresh stand-in (sets VL, VL_PID).
start_store() {
  VL_PID=""
  if [ -n "${VICTORIALOGS_URL:-}" ]; then
    VL="$VICTORIALOGS_URL"
  else
    VL_PORT=$(free_port)
    "${STORE_PIN[@]}" java ${STORE_OPTS:--Xmx4g} -cp "$IT_CP" foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsStandIn "$VL_PORT" \
      > "$WORK/vl.log" 2>&1 &
    VL_PID=$!
    PIDS+=("$VL_PID")
    VL="http://127.0.0.1:$VL_PORT"
    until curl -sf "$VL/health" >/dev/null; do sleep 0.2; done
  fi
}

for run in $(seq 1 "$RUNS"); do
  start_store
  ingested() { curl -s "$VL/metrics" | awk '/^vl_rows_ingested_total/ {s += $2} END {printf "%d", s}'; }
  wait_for() { until [ "$(ingested)" -ge "$1" ]; do sleep 0.05; done; }
  elapsed() { python3 -c "print($(date +%s.%N) - $START)"; }
  store_cpu() { if [ -n "$VL_PID" ]; then cpu_of "$VL_PID"; else echo 0; fi; }

  # --- ceiling: bulk POST straight into the store
  BASE=$(ingested); VL0=$(store_cpu); START=$(date +%s.%N)
  printf '%s\n' "$WORK"/chunk-*.ndjson | xargs -P "$PARALLEL" -I{} curl -sf -o /dev/null -H 'Expect:' \
    -H 'Content-Type: application/stream+json' --data-binary @{} \
    "$VL/insert/jsonline?_stream_fields=node_id,component&_msg_field=msg&_time_field=ts" &
  POSTS_PID=$!
  until [ "$(ingested)" -gt "$BASE" ]; do sleep 0.05; done
  DIRECT_FIRST=$(elapsed)
  wait_for $((BASE + LINES / 2)); DIRECT_HALF=$(elapsed)
  wait_for $((BASE + LINES))
  DIRECT=$(elapsed); VL1=$(store_cpu)
  wait "$POSTS_PID"

  if [ "${FRESH_STORE:-0}" = 1 ] && [ -n "$VL_PID" ]; then stop "$VL_PID"; start_store; fi

  # --- relay: a Kafka backlog of the same lines, put there by the agent while no relay runs
  rm -rf "$WORK/agent" "$WORK/relay.log"
  start_broker
  AGENT_HTTP=$(free_port)
  skulk "-Xmx128m -XX:+UseSerialGC" agent --file "$WORK/skulk.stdout.log" --kafka "$BS" --node-id bench --state-dir "$WORK/agent" \
    --http "127.0.0.1:$AGENT_HTTP" --env-file /dev/null 2> "$WORK/agent.log" &
  AGENT_PID=$!
  PIDS+=("$AGENT_PID")
  until [ "$(curl -s "http://127.0.0.1:$AGENT_HTTP/metrics" | awk '/^skulk_agent_lines_shipped_total/ {printf "%d", $2}')" = "$LINES" ]; do
    sleep 0.2
  done
  stop "$AGENT_PID"

  JFR=""
  [ -n "${JFR_DIR:-}" ] && JFR="-XX:StartFlightRecording=filename=$JFR_DIR/relay-$run.jfr,settings=profile"
  BASE=$(ingested); VL2=$(store_cpu); START=$(date +%s.%N)
  start_relay "$VL" "$JFR"
  until [ "$(ingested)" -gt "$BASE" ]; do sleep 0.05; done
  FIRST=$(elapsed)
  wait_for $((BASE + LINES / 2)); RELAY_HALF=$(elapsed); RELAY_CPU_HALF=$(cpu_of "$RELAY_PID"); DS_HALF=$(relay_delivery_seconds)
  wait_for $((BASE + LINES))
  RELAY=$(elapsed); VL3=$(store_cpu); DS_END=$(relay_delivery_seconds)
  RELAY_CPU=$(cpu_of "$RELAY_PID")
  stop "$RELAY_PID"; stop "$BROKER_PID"; if [ -n "$VL_PID" ]; then stop "$VL_PID"; fi
  if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS"; cp "$WORK/relay.log" "$KEEP_LOGS/relay-$run.log"; fi
  echo -e "$run\t$DIRECT\t$RELAY\t$RELAY_CPU\t$((VL1 - VL0))\t$((VL3 - VL2))\t$FIRST\t$DIRECT_HALF\t$RELAY_HALF\t$((RELAY_CPU - RELAY_CPU_HALF))\t$DS_HALF\t$DS_END\t$DIRECT_FIRST" >> "$RESULTS"
  echo "run $run done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done

python3 - "$LINES" "$TICK" "$VL" "$RESULTS" <<'PY'
import statistics, sys
n, tick, vl, path = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [l.split("\t") for l in open(path).read().split("\n") if l]
half = n - n // 2
print("store: %s, %d lines per run; whole run (relay: JVM start-up included), from the first stored row to the last "
      "(start-up and the first response excluded on both sides) and second half (steady state)" % (vl, n))
print("| run | direct lines/s | relay lines/s | relay / direct | relay CPU-s per M lines | from the first row: relay / direct "
      "| 2nd half: direct, relay lines/s | 2nd half: relay / direct | 2nd half: relay CPU-s per M lines "
      "| 2nd half: batches in delivery, average | store CPU-s per M lines (direct / relay phase) | start to first row, s (direct, relay) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
cols = {k: [] for k in ("d", "r", "ratio", "cpu", "ratio1", "d2", "r2", "ratio2", "cpu2")}
for run, d, r, cpu, vd, vr, first, dh, rh, cpu2, dsh, dse, dfirst in rows:
    d, r, dh, rh, first, dfirst = float(d), float(r), float(dh), float(rh), float(first), float(dfirst)
    v = {"d": n / d, "r": n / r, "ratio": d / r, "cpu": int(cpu) / tick / n * 1e6, "ratio1": (d - dfirst) / (r - first),
         "d2": half / (d - dh), "r2": half / (r - rh), "ratio2": (d - dh) / (r - rh), "cpu2": int(cpu2) / tick / half * 1e6}
    for k in cols:
        cols[k].append(v[k])
    print("| %s | %.0f | %.0f | %.2f× | %.1f | %.2f× | %.0f, %.0f | %.2f× | %.1f | %.2f | %.1f / %.1f | %.1f, %.1f |" % (run, v["d"],
          v["r"], v["ratio"], v["cpu"], v["ratio1"], v["d2"], v["r2"], v["ratio2"], v["cpu2"],
          (float(dse) - float(dsh)) / (r - rh), int(vd) / tick / n * 1e6, int(vr) / tick / n * 1e6, dfirst, first))
m = {k: statistics.median(x) for k, x in cols.items()}
print("| median | %.0f | %.0f | %.2f× | %.1f | %.2f× | %.0f, %.0f | %.2f× | %.1f | | | |" % (m["d"], m["r"], m["ratio"], m["cpu"],
      m["ratio1"], m["d2"], m["r2"], m["ratio2"], m["cpu2"]))
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
