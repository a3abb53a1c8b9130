#!/usr/bin/env bash
# Benchmark: the whole pipeline end to end (issue 5). 4 simulated nodes, each a file appended to by a writer and
# tailed by its own `skulk-logs agent` process, one embedded broker, one relay, one store. Per run: lines/s from the
# files into the store, line written -> store's 200 latency (p50/p90/p99/p99.9/max) at a steady rate, CPU-seconds per
# million lines of every process, peak RSS. Then a markdown table with the medians over the runs.
#
#   integration-tests/bench/end-to-end.sh                                        # TimingStore, 3 runs
#   RUNS=1 LINES=100000 SECONDS_MEASURED=20 integration-tests/bench/end-to-end.sh
#   VICTORIALOGS_URL=http://127.0.0.1:9428 integration-tests/bench/end-to-end.sh # a real VictoriaLogs
#
# Settings (environment):
#   NODES (4)            agents / files        LINES (200000)   lines per node in the throughput phase
#   RATE (10000)         lines/s in all in the latency phase (RATE / NODES per node, a chunk every CHUNK_MS = 10 ms)
#   WARMUP (10)          s at RATE first, not counted (start-up, JIT)   SECONDS_MEASURED (30)   s of the latency phase
#   RUNS (3)             runs, each with a fresh broker, agents, relay and store
#   AGENT_OPTS           the agents' JVM flags (default: bin/skulk-logs's for the agent)
#   RELAY_OPTS, RELAY_CONFIG, RELAY_CLASSES, CP_DIR   see relay-bench-lib.sh
#   VICTORIALOGS_URL     the store: a VictoriaLogs (or the stand-in) instead of the benchmark's TimingStore. Then only
#                        arrival is known (vl_rows_ingested_total on its /metrics, polled every 50 ms): no per-line
#                        latency, only the drain (last line written -> every line counted). The store must not ingest
#                        anything else meanwhile. STORE_PID: its process id, to report its CPU and RSS too.
#
# Every run: a fresh embedded broker; EndToEndBench (integration-tests, package it.bench) creates the node files and
# starts the TimingStore (or counts the given store); the relay and the agents are started against them (the real
# launcher, from a copy of the jars made at the start, so that rebuilds during a run change nothing); the bench then
# runs warm-up, throughput and latency phases and reads every process's CPU (/proc/<pid>/stat) and VmHWM.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/relay-bench-lib.sh"
NODES=${NODES:-4}
LINES=${LINES:-200000}
RATE=${RATE:-10000}
CHUNK_MS=${CHUNK_MS:-10}
WARMUP=${WARMUP:-10}
SECONDS_MEASURED=${SECONDS_MEASURED:-30}
RUNS=${RUNS:-3}
AGENT_OPTS=${AGENT_OPTS:--Xms16m -Xmx128m -XX:+UseSerialGC -Xss512k -XX:CICompilerCount=2}   # bin/skulk-logs's for the agent
snapshot_classpath

RESULTS="$WORK/results.tsv"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $NODES nodes, $LINES lines per node, $RATE lines/s for" \
  "${SECONDS_MEASURED} s, $RUNS runs; store: ${VICTORIALOGS_URL:-TimingStore}; agents: $AGENT_OPTS; relay: $RELAY_OPTS" \
  "${RELAY_CONFIG:+config $RELAY_CONFIG}" >&2
for run in $(seq 1 "$RUNS"); do
  R="$WORK/run-$run"
  mkdir -p "$R"
  LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
  start_broker
  java -Xms256m -Xmx1g -XX:+UseSerialGC -cp "$IT_CP" foundation.foxlight.skulklogs.it.bench.EndToEndBench --dir "$R" \
    --pids-file "$R/pids" --nodes "$NODES" --lines "$LINES" --rate "$RATE" --chunk-ms "$CHUNK_MS" --warmup "$WARMUP" \
    --seconds "$SECONDS_MEASURED" ${VICTORIALOGS_URL:+--victorialogs-url "$VICTORIALOGS_URL"} > "$R/bench.out" 2> "$R/bench.log" &
  BENCH_PID=$!
  PIDS+=("$BENCH_PID")
  until grep -q '^store ' "$R/bench.out"; do   # the bench failed before its store was up (e.g. VICTORIALOGS_URL unreachable)
    kill -0 "$BENCH_PID" 2>/dev/null || { echo "EndToEndBench failed:"; cat "$R/bench.out" "$R/bench.log"; exit 1; }
    sleep 0.1
  done
  start_relay "$(store_url "$R/bench.out")"
  { echo "broker $BROKER_PID"; echo "relay $RELAY_PID"; [ -z "${STORE_PID:-}" ] || echo "store $STORE_PID"; } > "$R/pids.tmp"
  AGENT_PIDS=()
  for n in $(seq 1 "$NODES"); do
    skulk "$AGENT_OPTS" agent --node-id "node-$n" --file "$R/node-$n.log" --kafka "$BS" --state-dir "$R/state-$n" \
      --http 127.0.0.1:0 --env-file /dev/null 2> "$R/agent-$n.log" &
    AGENT_PIDS+=($!)
    PIDS+=($!)
    echo "agent-$n $!" >> "$R/pids.tmp"
  done
  mv "$R/pids.tmp" "$R/pids"
  STATUS=0
  wait "$BENCH_PID" || STATUS=$?
  for p in "${AGENT_PIDS[@]}"; do stop "$p"; done
  stop "$RELAY_PID"; stop "$BROKER_PID"
  echo "run $run (load $LOAD_BEFORE -> $(cut -d' ' -f1 /proc/loadavg)):"
  grep -v -e '^store ' -e '^result' "$R/bench.out"
  [ "$STATUS" = 0 ] || { echo "run $run failed ($STATUS)"; tail -20 "$R/bench.log" "$WORK/relay.log" "$R"/agent-*.log; exit 1; }
  { echo -e "$run\tload\t$LOAD_BEFORE"; grep '^result' "$R/bench.out" | cut -f2- | sed "s/^/$run\t/"; } >> "$RESULTS"
  rm -f "$R"/node-*.log   # the files, up to ~45 MiB per node
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$RESULTS" <<'PY'
import collections, statistics, sys
runs = collections.OrderedDict()
for line in open(sys.argv[1]):
    run, key, value = line.rstrip("\n").split("\t")
    runs.setdefault(run, {})[key] = float(value)
def med(key):
    vals = [r[key] for r in runs.values() if key in r]
    return statistics.median(vals) if vals else None
def fmt(v, spec):
    return "" if v is None else format(v, spec)
lat = any("b_p50_ms" in r for r in runs.values())
print("\n| run (load) | throughput lines/s | latency phase lines/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | last written -> all stored ms |")
print("|---|---|---|---|---|---|---|---|---|")
for run, r in list(runs.items()) + [("**median**", None)]:
    g = (lambda k: r.get(k)) if r else med
    label = "%s (%.1f)" % (run, r["load"]) if r else run
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (label, fmt(g("a_lines_per_s"), ",.0f"), fmt(g("b_rate"), ",.0f"),
          fmt(g("b_p50_ms"), ".0f"), fmt(g("b_p90_ms"), ".0f"), fmt(g("b_p99_ms"), ".0f"), fmt(g("b_p999_ms"), ".0f"),
          fmt(g("b_max_ms"), ".0f"), fmt(g("b_drain_ms"), ".0f")))
kinds = []
for r in runs.values():
    for k in r:
        if k.startswith("cpu_a ") and k[6:] not in kinds:
            kinds.append(k[6:])
print("\n| process (median of %d runs) | CPU-s per M lines, throughput phase | CPU-s per M lines, latency phase | peak RSS MiB |" % len(runs))
print("|---|---|---|---|")
for k in kinds:
    print("| %s | %s | %s | %s |" % (k + (" (sum of all)" if k == "agents" else ""), fmt(med("cpu_a " + k), ".1f"),
          fmt(med("cpu_b " + k), ".1f"), fmt(med("rss_mib " + k), ".0f") + (" (max of one)" if k == "agents" else "")))
dups = [r.get("duplicates") for r in runs.values()]
print("\nduplicates per run: %s" % ", ".join("unknown" if d is None or d < 0 else "%d" % d for d in dups))
PY
