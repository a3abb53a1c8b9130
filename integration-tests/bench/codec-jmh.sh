#!/usr/bin/env bash
# The per-line CPU cost of the schema's codecs (JMH, it.bench.jmh.CodecBenchmark): the agent's parse + encode and
# the relay's decode + request building, in ns per line. Arguments go to JMH, e.g. a benchmark regexp and fewer iterations:
#   integration-tests/bench/codec-jmh.sh relayDecode -wi 1 -i 3
# Needs the build (it builds the modules it needs, tests skipped).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK=$(mktemp -d /tmp/skulk-jmh.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
# package + build-classpath in one reactor run: the project's own modules resolve to their freshly built jars.
./mvnw -q -B -Dmaven.test.skip=true -pl integration-tests -am package dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)" >&2
java -cp "integration-tests/target/classes:$(cat "$WORK/cp.txt")" org.openjdk.jmh.Main "$@"
