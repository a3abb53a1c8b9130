/**
 * Relay benchmarks that need more than a shell script (run by {@code integration-tests/bench/relay-*.sh}; not tests):
 * {@link foundation.foxlight.skulklogs.it.bench.RelayLatencyBench} (line produced to the store's 200 at a steady
 * rate) and {@link foundation.foxlight.skulklogs.it.bench.RelayCatchUpBench} (a backlog built while the store is
 * down, then drained), both against {@link foundation.foxlight.skulklogs.it.bench.TimingStore}.
 */
package foundation.foxlight.skulklogs.it.bench;
