# Shared by the benchmarks (sourced, not run): work directory, process cleanup, a fixed copy of the jars,
# and the embedded broker. Needs python3 and curl.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RELAY_OPTS=${RELAY_OPTS:--Xms64m -Xmx768m -XX:+UseSerialGC}   # bin/skulk-logs's flags for the relay
WORK=$(mktemp -d /tmp/skulk-bench.XXXXXX)
TICK=$(getconf CLK_TCK)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_of() { read -r -a S < "/proc/$1/stat"; echo $((S[13] + S[14])); }   # user + system ticks
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# The jars are copied once (CP_DIR: from there instead of launcher/target), so that rebuilds during a run do not
# change what is measured. RELAY_CLASSES (a class path) goes first on the relay's class path only, e.g. the freshly
# built schema, common and relay jars while tuning (the broker and the agent keep the snapshot).
snapshot_classpath() {
  [ -n "${CP_DIR:-}" ] || "$ROOT/bin/skulk-logs" --version >/dev/null   # builds on first use
  [ -d "$ROOT/integration-tests/target/classes/foundation/foxlight/skulklogs/it/bench" ] \
    || (cd "$ROOT" && ./mvnw -q -B -o -Dmaven.test.skip=true -pl integration-tests compile >&2)
  mkdir -p "$WORK/cp"
  if [ -n "${CP_DIR:-}" ]; then cp "$CP_DIR"/*.jar "$WORK/cp/"
  else cp "$ROOT"/launcher/target/lib/*.jar "$ROOT/launcher/target/skulk-logs.jar" "$WORK/cp/"; fi
  cp -r "$ROOT/integration-tests/target/classes" "$WORK/it-classes"
  CP="$WORK/cp/*"
  RELAY_CP="${RELAY_CLASSES:+$RELAY_CLASSES:}$CP"
  IT_CP="$WORK/it-classes:$WORK/cp/*"
}

# skulk-logs <command> with JVM flags $1; replaces the calling (background) shell, so that $! is the JVM.
skulk() { local opts=$1; shift; exec java $opts -cp "${SKULK_CP:-$CP}" foundation.foxlight.skulklogs.launcher.SkulkLogs "$@"; }

# Starts a fresh embedded broker; sets BROKER_PID and BS (bootstrap servers).
start_broker() {
  rm -rf "$WORK/kafka" "$WORK/broker.out"
  skulk "-Xmx768m -XX:+UseSerialGC" broker --data-dir "$WORK/kafka" --port 0 > "$WORK/broker.out" 2> "$WORK/broker.log" &
  BROKER_PID=$!
  PIDS+=("$BROKER_PID")
  until [ -s "$WORK/broker.out" ]; do sleep 0.2; done
  BS=$(head -1 "$WORK/broker.out")
}

# Starts the relay against $1 (VictoriaLogs URL), extra JVM flags $2; sets RELAY_PID and RELAY_HTTP (its /metrics port).
# RELAY_CONFIG: a YAML file.
start_relay() {
  RELAY_HTTP=$(free_port)
  SKULK_CP="$RELAY_CP" skulk "$RELAY_OPTS ${2:-}" relay --kafka "$BS" --victorialogs-url "$1" --http "127.0.0.1:$RELAY_HTTP" \
    --env-file /dev/null ${RELAY_CONFIG:+--config "$RELAY_CONFIG"} 2>> "$WORK/relay.log" &
  RELAY_PID=$!
  PIDS+=("$RELAY_PID")
}

# The relay's skulk_relay_deliveries_in_flight_seconds_total (0 when not reachable yet).
relay_delivery_seconds() {
  curl -s "http://127.0.0.1:$RELAY_HTTP/metrics" | awk '/^skulk_relay_deliveries_in_flight_seconds_total/ {v = $2} END {printf "%f", v}'
}

# Waits until $1 has a line starting with "store " and prints the URL after it.
store_url() { until grep -q '^store ' "$1" 2>/dev/null; do sleep 0.1; done; grep '^store ' "$1" | head -1 | cut -d' ' -f2; }

# Ends run $1: waits for the bench program, stops relay and broker, prints its results (or the logs and exits).
finish_run() {
  local status=0
  wait "$BENCH_PID" || status=$?
  stop "$RELAY_PID"; stop "$BROKER_PID"
  echo "run $1 (load $(cut -d' ' -f1 /proc/loadavg)):"
  grep -v '^store ' "$WORK/bench.out"
  [ "$status" = 0 ] || { echo "run $1 failed ($status); relay log:"; tail -20 "$WORK/relay.log"; tail -20 "$WORK/bench.log"; exit 1; }
}
