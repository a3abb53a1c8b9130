#!/usr/bin/env bash
# Benchmark: skulk-logs agent (file -> disk buffer -> Kafka) against `kcat -P` and rsyslog imfile -> omkafka
# (file -> Kafka), side by side in one run: same Skulk-like lines, same broker. Not a test: it prints numbers.
#
#   integration-tests/bench/agent-vs-kcat.sh                       # 1,000,000 lines, 3 rounds, 60 s idle
#   LINES=200000 RUNS=1 IDLE_SECONDS=20 integration-tests/bench/agent-vs-kcat.sh
#   AGENT_CONFIG=lz4.yaml integration-tests/bench/agent-vs-kcat.sh     # e.g. kafka: {compression: lz4}
#   KAFKA=host:9092 integration-tests/bench/agent-vs-kcat.sh           # an external broker instead of the embedded one
#   SKULK_LOGS_JAVA_OPTS="-Xmx64m ..." integration-tests/bench/agent-vs-kcat.sh   # other agent JVM flags
#
# Every round produces the same file with each peer in turn, into a fresh topic (the agent: a fresh state dir):
#   kcat -P -l        one Kafka message per line; exits when every message is acknowledged
#   rsyslogd -n       its own instance (own config, work dir, pid file), started first; imfile follows a path where
#                     the file then appears (hard link), omkafka sends to the broker; done when the topic's end
#                     offsets add up to every line (or nothing arrived for STALL_SECONDS: lost lines are reported)
#   skulk-logs agent  started first (its start-up time, CPU and RSS are reported apart); the file then appears in
#                     the path it follows; done when /metrics says Kafka acknowledged every line; then the file is
#                     rotated (renamed) and a copy takes its place: the warm pass, timed the same way (the agent as it
#                     runs for days, past its JIT warm-up); then left idle for IDLE_SECONDS (RSS and CPU while idle)
# All three use acks=all, idempotence, zstd and linger.ms=5. Rate and CPU (user + system, all threads) count from
# the moment the file appears (kcat: from its start); peak RSS is VmHWM. Medians over the rounds are printed at the
# end; ratios are taken within a round.
#
# Needs: a JDK 17, python3, curl, kcat (Debian package `kcat`), rsyslogd with omkafka (`rsyslog rsyslog-kafka`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SKULK_LOGS=${SKULK_LOGS:-$ROOT/bin/skulk-logs}
LINES=${LINES:-1000000}
RUNS=${RUNS:-3}
IDLE_SECONDS=${IDLE_SECONDS:-60}
STALL_SECONDS=${STALL_SECONDS:-20}
WORK=$(mktemp -d /tmp/skulk-bench.XXXXXX)
TICK=$(getconf CLK_TCK)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v kcat >/dev/null || { echo "kcat not found: apt-get install kcat" >&2; exit 2; }
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
[ -x "$RSYSLOGD" ] || { echo "rsyslogd not found: apt-get install rsyslog rsyslog-kafka" >&2; exit 2; }

ticks() { local s; read -r -a s < "/proc/$1/stat"; echo $((s[13] + s[14])); }   # user + system CPU, clock ticks
status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Messages in a topic: the sum of its partitions' end offsets (idempotent producers, no transactions: one per record).
topic_count() {
  local parts p q=()
  parts=$(kcat -L -b "$BS" -t "$1" 2>/dev/null | awk '/^ *partition [0-9]+,/ {sub(",", "", $2); print $2}')
  [ -n "$parts" ] || { echo 0; return; }
  for p in $parts; do q+=(-t "$1:$p:-1"); done
  kcat -Q -b "$BS" "${q[@]}" 2>/dev/null | awk '/offset/ {s += $NF} END {printf "%d", s}'
}

"$SKULK_LOGS" --version >/dev/null   # builds on first use

python3 - "$WORK/skulk.stdout.log" "$LINES" <<'PY'
import json, sys, random
path, n = sys.argv[1], int(sys.argv[2])
comps = ["worker", "api", "master", "shard"]
with open(path, "w") as f:
    for i in range(n):
        f.write(json.dumps({"ts": "2026-11-28T12:%02d:%02d.%03dZ" % (i // 60000 % 60, i // 1000 % 60, i % 1000),
            "level": "INFO", "node_id": "bench-node", "component": comps[i % 4], "module": "skulk.%s.runner" % comps[i % 4],
            "function": "step", "line": i % 500, "msg": "step %d done in %d ms, tokens=%d" % (i, random.randint(1, 999), random.randint(1, 4096))}) + "\n")
PY
BYTES=$(stat -c %s "$WORK/skulk.stdout.log")
echo "lines: $LINES ($((BYTES / 1024 / 1024)) MiB), $(nproc) cores, $RUNS round(s); agent JVM flags: ${SKULK_LOGS_JAVA_OPTS:-launcher defaults}" >&2

if [ -n "${KAFKA:-}" ]; then
  BS=$KAFKA
else
  "$SKULK_LOGS" broker --data-dir "$WORK/kafka" --port 0 > "$WORK/broker.out" 2> "$WORK/broker.log" &
  PIDS+=($!)
  until [ -s "$WORK/broker.out" ]; do kill -0 "${PIDS[-1]}" || { cat "$WORK/broker.log" >&2; exit 1; }; sleep 0.2; done
  BS=$(head -1 "$WORK/broker.out")
fi
# Warm-up: the first idempotent producer waits for the broker's coordinators; no peer should pay for that.
echo warm-up | kcat -P -b "$BS" -t bench-warmup -X enable.idempotence=true -X acks=all 2>/dev/null

RESULTS="$WORK/results.tsv"
for RUN in $(seq 1 "$RUNS"); do
  LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

  # --- kcat: one Kafka message per line
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/kcat.time" kcat -P -b "$BS" -t "bench-kcat-$RUN" -z zstd \
    -X enable.idempotence=true -X acks=all -X linger.ms=5 -l "$WORK/skulk.stdout.log"
  read -r K_WALL K_USER K_SYS K_RSS < "$WORK/kcat.time"
  K_CPU=$(calc "$K_USER + $K_SYS")

  # --- rsyslog: imfile -> omkafka
  RS="$WORK/rsyslog-$RUN"
  mkdir -p "$RS/work" "$RS/in"
  # resubmitOnFailure: without it omkafka drops lines when librdkafka's queue is full (imfile reads faster than
  # Kafka takes them); partitions.auto: librdkafka's partitioner, as kcat's (else everything goes to partition 0).
  cat > "$RS/rsyslog.conf" <<EOF
global(workDirectory="$RS/work")
module(load="imfile")
module(load="omkafka")
template(name="line" type="string" string="%rawmsg%")
input(type="imfile" file="$RS/in/skulk.stdout.log" tag="skulk" ruleset="kafka")
ruleset(name="kafka") {
  action(type="omkafka" broker=["$BS"] topic="bench-rsyslog-$RUN" template="line" partitions.auto="on"
         resubmitOnFailure="on" action.resumeRetryCount="-1"
         confParam=["compression.codec=zstd", "enable.idempotence=true", "acks=all", "linger.ms=5"])
}
EOF
  "$RSYSLOGD" -n -f "$RS/rsyslog.conf" -i "$RS/rsyslogd.pid" > "$RS/out.log" 2>&1 &
  RS_PID=$!
  PIDS+=("$RS_PID")
  until [ -s "$RS/rsyslogd.pid" ]; do kill -0 "$RS_PID" || { cat "$RS/out.log" >&2; exit 1; }; sleep 0.1; done
  sleep 2
  R_TICKS0=$(ticks "$RS_PID"); R_TICKS=$R_TICKS0
  START=$(now)
  ln "$WORK/skulk.stdout.log" "$RS/in/skulk.stdout.log"
  R_COUNT=0; LAST_PROGRESS=$START
  while [ "$R_COUNT" -lt "$LINES" ]; do
    kill -0 "$RS_PID" || { cat "$RS/out.log" >&2; exit 1; }
    sleep 0.2
    C=$(topic_count "bench-rsyslog-$RUN")
    if [ "$C" -gt "$R_COUNT" ]; then
      R_COUNT=$C; LAST_PROGRESS=$(now); R_TICKS=$(ticks "$RS_PID")
    elif [ "$(calc "int($(now) - $LAST_PROGRESS > $STALL_SECONDS)")" = 1 ]; then
      echo "rsyslog: only $R_COUNT of $LINES lines reached Kafka; its messages:" >&2
      head -c 600 "$RS/out.log" >&2; echo >&2
      break
    fi
  done
  R_WALL=$(calc "$LAST_PROGRESS - $START")
  R_CPU=$(calc "($R_TICKS - $R_TICKS0) / $TICK")
  R_RSS=$(status_kib "$RS_PID" VmHWM)
  kill "$RS_PID"; wait "$RS_PID" 2>/dev/null || true

  # --- skulk-logs agent
  A="$WORK/agent-$RUN"
  mkdir -p "$A/in"
  cp "$WORK/skulk.stdout.log" "$A/second.log"   # the same lines as a new file, for the warm pass
  HTTP_PORT=$(free_port)
  T0=$(now)
  "$SKULK_LOGS" agent --file "$A/in/skulk.stdout.log" --kafka "$BS" --node-id bench --state-dir "$A/state" \
    --http "127.0.0.1:$HTTP_PORT" --env-file /dev/null ${AGENT_CONFIG:+--config "$AGENT_CONFIG"} 2> "$A/agent.log" &
  AGENT_PID=$!
  PIDS+=("$AGENT_PID")
  shipped() { curl -s "http://127.0.0.1:$HTTP_PORT/metrics" 2>/dev/null | awk '$1 == "skulk_agent_lines_shipped_total" {printf "%d", $2}'; }
  until curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/metrics"; do kill -0 "$AGENT_PID" || { cat "$A/agent.log" >&2; exit 1; }; sleep 0.1; done
  A_READY=$(calc "$(now) - $T0")
  sleep 2
  A_TICKS0=$(ticks "$AGENT_PID")
  A_START_RSS=$(status_kib "$AGENT_PID" VmRSS)
  # Waits until the agent shipped $1 lines in all; sets PASS_WALL and PASS_CPU counted from time $2 and CPU ticks $3,
  # and PASS_TICKS (the CPU ticks at the end).
  agent_pass() {
    until [ "$(shipped)" = "$1" ]; do kill -0 "$AGENT_PID" || { cat "$A/agent.log" >&2; exit 1; }; sleep 0.1; done
    PASS_TICKS=$(ticks "$AGENT_PID")
    PASS_WALL=$(calc "$(now) - $2")
    PASS_CPU=$(calc "($PASS_TICKS - $3) / $TICK")
  }
  START=$(now)
  ln "$WORK/skulk.stdout.log" "$A/in/skulk.stdout.log"
  agent_pass "$LINES" "$START" "$A_TICKS0"
  A_WALL=$PASS_WALL; A_CPU=$PASS_CPU
  A_START_CPU=$(calc "$A_TICKS0 / $TICK")
  # Warm pass: the file is rotated (renamed) and a new one with the same lines takes its place; the agent, now past
  # its JIT warm-up, ships it too. This is the agent as it runs for days.
  W_START=$(now)
  mv "$A/in/skulk.stdout.log" "$A/in/skulk.stdout.log.1"
  mv "$A/second.log" "$A/in/skulk.stdout.log"
  agent_pass "$((2 * LINES))" "$W_START" "$PASS_TICKS"
  W_WALL=$PASS_WALL; W_CPU=$PASS_CPU; A_TICKS=$PASS_TICKS
  A_RSS=$(status_kib "$AGENT_PID" VmHWM)
  LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
  sleep "$IDLE_SECONDS"   # idle: no new lines
  IDLE_CPU=$(calc "($(ticks "$AGENT_PID") - $A_TICKS) / $TICK / $IDLE_SECONDS * 100")
  IDLE_RSS=$(status_kib "$AGENT_PID" VmRSS)
  kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true

  echo "$RUN $LOAD_BEFORE $LOAD_AFTER $K_WALL $K_CPU $K_RSS $R_WALL $R_CPU $R_RSS $R_COUNT $A_WALL $A_CPU $A_RSS" \
    "$IDLE_RSS $IDLE_CPU $A_READY $A_START_CPU $A_START_RSS $W_WALL $W_CPU" >> "$RESULTS"
  echo "round $RUN done (1-min load $LOAD_BEFORE before, $LOAD_AFTER after)" >&2
done

python3 - "$LINES" "$RESULTS" <<'PY'
import statistics, sys
n = int(sys.argv[1])
keys = "run load_before load_after k_wall k_cpu k_rss r_wall r_cpu r_rss r_count a_wall a_cpu a_rss idle_rss idle_cpu a_ready a_start_cpu a_start_rss w_wall w_cpu".split()
rows = [dict(zip(keys, map(float, line.split()))) for line in open(sys.argv[2]) if line.strip()]
def peers(r):
    return [("kcat -P (1 message per line)", n / r["k_wall"], r["k_cpu"] / n * 1e6, r["k_rss"] / 1024),
            ("rsyslog imfile -> omkafka", r["r_count"] / r["r_wall"], r["r_cpu"] / r["r_count"] * 1e6, r["r_rss"] / 1024),
            ("skulk-logs agent (disk buffer in the path)", n / r["a_wall"], r["a_cpu"] / n * 1e6, r["a_rss"] / 1024),
            ("skulk-logs agent, warm (the next file, same process)", n / r["w_wall"], r["w_cpu"] / n * 1e6, r["a_rss"] / 1024)]
med = statistics.median
print("| round | 1-min load before / after | lines/s kcat, rsyslog, agent, agent warm | agent/kcat (warm) | agent/rsyslog |"
      " CPU-s per M lines kcat, rsyslog, agent, agent warm | peak RSS MiB kcat, rsyslog, agent | agent start: s, CPU-s, MiB |"
      " agent idle: MiB RSS, % CPU |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    k, s, a, w = peers(r)
    print("| %d | %.2f / %.2f | %.0f, %.0f, %.0f, %.0f | %.2f× (%.2f×) | %.2f× | %.2f, %.2f, %.2f, %.2f | %.0f, %.0f, %.0f | %.1f, %.1f, %.0f | %.0f, %.2f |" % (
        r["run"], r["load_before"], r["load_after"], k[1], s[1], a[1], w[1], a[1] / k[1], w[1] / k[1], a[1] / s[1], k[2], s[2], a[2], w[2],
        k[3], s[3], a[3], r["a_ready"], r["a_start_cpu"], r["a_start_rss"] / 1024, r["idle_rss"] / 1024, r["idle_cpu"]))
    if r["r_count"] < n:
        print("|   | rsyslog delivered only %d of %d lines in round %d |" % (r["r_count"], n, r["run"]))
print()
print("Medians over %d round(s):" % len(rows))
print()
print("| producer | lines/s | CPU-s per million lines | peak RSS MiB |")
print("|---|---|---|---|")
for i in range(4):
    print("| %s | %.0f | %.2f | %.0f |" % (peers(rows[0])[i][0], med(peers(r)[i][1] for r in rows),
          med(peers(r)[i][2] for r in rows), med(peers(r)[i][3] for r in rows)))
print()
print("agent / kcat: %.2f× (warm: %.2f×), agent / rsyslog: %.2f× (medians of the per-round ratios)" % (
    med(peers(r)[2][1] / peers(r)[0][1] for r in rows), med(peers(r)[3][1] / peers(r)[0][1] for r in rows),
    med(peers(r)[2][1] / peers(r)[1][1] for r in rows)))
print("agent start-up: ready in %.1f s, %.2f CPU-s, %.0f MiB RSS; idle after the load: %.0f MiB RSS, %.2f%% of a core" % (
    med(r["a_ready"] for r in rows), med(r["a_start_cpu"] for r in rows), med(r["a_start_rss"] for r in rows) / 1024,
    med(r["idle_rss"] for r in rows) / 1024, med(r["idle_cpu"] for r in rows)))
PY
