/**
 * Benchmarks that need more than a shell script (run by {@code integration-tests/bench/relay-*.sh}; not tests):
 * {@link foundation.foxlight.skulklogs.it.bench.RelayLatencyBench} (line produced to the store's 200 at a steady
 * rate) and {@link foundation.foxlight.skulklogs.it.bench.RelayCatchUpBench} (a backlog built while the store is
 * down, then drained), both against {@link foundation.foxlight.skulklogs.it.bench.TimingStore}; and
 * {@link foundation.foxlight.skulklogs.it.bench.EndToEndBench} (files on 4 simulated nodes through agent processes, Kafka
 * and the relay into the store; run by {@code integration-tests/bench/end-to-end.sh}).
 */
package foundation.foxlight.skulklogs.it.bench;
