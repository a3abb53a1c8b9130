#!/usr/bin/env bash
# Benchmark: skulk-logs agent (file -> disk buffer -> Kafka) against `kcat -P` (file -> Kafka), side by side,
# on the same embedded broker with the same Skulk-like lines. Not a test: it prints numbers and ratios.
#
#   integration-tests/bench/agent-vs-kcat.sh            # 1,000,000 lines
#   LINES=200000 integration-tests/bench/agent-vs-kcat.sh
#   AGENT_CONFIG=lz4.yaml integration-tests/bench/agent-vs-kcat.sh   # e.g. kafka: {compression: lz4}
#
# Needs: a JDK 17, python3, kcat (Debian package `kcat`). Both producers use acks=all, idempotence and zstd.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LINES=${LINES:-1000000}
WORK=$(mktemp -d /tmp/skulk-bench.XXXXXX)
TICK=$(getconf CLK_TCK)
cleanup() { [ -n "${AGENT_PID:-}" ] && kill "$AGENT_PID" 2>/dev/null; [ -n "${BROKER_PID:-}" ] && kill "$BROKER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
command -v kcat >/dev/null || { echo "kcat not found: apt-get install kcat" >&2; exit 2; }

"$ROOT/bin/skulk-logs" --version >/dev/null   # builds on first use

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
echo "lines: $LINES ($((BYTES / 1024 / 1024)) MiB), $(nproc) cores" >&2

"$ROOT/bin/skulk-logs" broker --data-dir "$WORK/kafka" --port 0 > "$WORK/broker.out" 2> "$WORK/broker.log" &
BROKER_PID=$!
until [ -s "$WORK/broker.out" ]; do kill -0 "$BROKER_PID" || { cat "$WORK/broker.log" >&2; exit 1; }; sleep 0.2; done
BS=$(head -1 "$WORK/broker.out")

# --- kcat: one Kafka message per line
/usr/bin/time -f "%e %U %S %M" -o "$WORK/kcat.time" kcat -P -b "$BS" -t bench-kcat -z zstd -X enable.idempotence=true \
  -X acks=all -X linger.ms=5 -l "$WORK/skulk.stdout.log"
read -r K_WALL K_USER K_SYS K_RSS < "$WORK/kcat.time"

# --- skulk-logs agent: tail the file from the start until Kafka acknowledged every line
HTTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
START=$(date +%s.%N)
"$ROOT/bin/skulk-logs" agent --file "$WORK/skulk.stdout.log" --kafka "$BS" --node-id bench --state-dir "$WORK/agent" \
  --http "127.0.0.1:$HTTP_PORT" --env-file /dev/null ${AGENT_CONFIG:+--config "$AGENT_CONFIG"} 2> "$WORK/agent.log" &
AGENT_PID=$!
shipped() { curl -s "http://127.0.0.1:$HTTP_PORT/metrics" 2>/dev/null | awk '/^skulk_agent_lines_shipped_total/ {printf "%d", $2}'; }
until [ "$(shipped)" = "$LINES" ]; do kill -0 "$AGENT_PID" || { cat "$WORK/agent.log" >&2; exit 1; }; sleep 0.1; done
END=$(date +%s.%N)
read -r -a STAT < "/proc/$AGENT_PID/stat"
A_CPU=$(python3 -c "print(($((STAT[13] + STAT[14]))) / $TICK)")
A_RSS=$(awk '/VmHWM/ {print $2}' "/proc/$AGENT_PID/status")
A_WALL=$(python3 -c "print($END - $START)")
# idle: no new lines for 20 s
sleep 20
read -r -a STAT2 < "/proc/$AGENT_PID/stat"
IDLE_CPU=$(python3 -c "print(($((STAT2[13] + STAT2[14] - STAT[13] - STAT[14]))) / $TICK / 20 * 100)")
IDLE_RSS=$(awk '/VmRSS/ {print $2}' "/proc/$AGENT_PID/status")

python3 - "$LINES" "$K_WALL" "$K_USER" "$K_SYS" "$K_RSS" "$A_WALL" "$A_CPU" "$A_RSS" "$IDLE_RSS" "$IDLE_CPU" <<'PY'
import sys
n, kw, ku, ks, kr, aw, ac, ar, ir, ic = sys.argv[1:]
n = int(n); kw, ku, ks, aw, ac, ic = map(float, (kw, ku, ks, aw, ac, ic))
k_rate, a_rate = n / kw, n / aw
print("| producer | lines/s | CPU-s per million lines | peak RSS MiB |")
print("|---|---|---|---|")
print("| kcat -P (1 message per line) | %.0f | %.2f | %.0f |" % (k_rate, (ku + ks) / n * 1e6, int(kr) / 1024))
print("| skulk-logs agent (disk buffer in the path) | %.0f | %.2f | %.0f |" % (a_rate, ac / n * 1e6, int(ar) / 1024))
print()
print("agent / kcat rate: %.2fx; agent idle: %.0f MiB RSS, %.1f%% of a core" % (a_rate / k_rate, int(ir) / 1024, ic))
PY
