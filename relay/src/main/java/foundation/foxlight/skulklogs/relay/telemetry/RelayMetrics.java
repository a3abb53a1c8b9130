package foundation.foxlight.skulklogs.relay.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** The relay's counters: lines in from Kafka, out to VictoriaLogs, dead-lettered by reason; batch sizes; insert latency; commits. Thread-safe. */
public final class RelayMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong linesIn = new AtomicLong();
    private final AtomicLong linesOut = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong lastCommitMillis = new AtomicLong();
    private final AtomicLong partitionsRevoked = new AtomicLong();
    private final DistributionSummary batchLines;
    private final Timer insertLatency;
    private final Timer requestBuild;
    private final Timer deliveryLatency;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchLines = DistributionSummary.builder("skulk_relay_batch_lines").publishPercentiles(0.5, 0.99).register(registry);
        this.insertLatency = Timer.builder("skulk_relay_insert_latency").publishPercentiles(0.5, 0.99).register(registry);
        this.requestBuild = Timer.builder("skulk_relay_request_build").publishPercentiles(0.5, 0.99).register(registry);
        this.deliveryLatency = Timer.builder("skulk_relay_delivery_latency").publishPercentiles(0.5, 0.99).register(registry);
        registry.gauge("skulk_relay_last_commit_age_seconds", lastCommitMillis,
                v -> v.get() == 0 ? -1 : (System.currentTimeMillis() - v.get()) / 1000.0);
        counter("skulk_relay_partitions_revoked_total", null, null); // shown at 0: alerts look for it growing
        registry.gauge("skulk_relay_deliveries_in_flight", this, m -> m.deliveriesInFlight(System.nanoTime())[0]);
        io.micrometer.core.instrument.FunctionCounter.builder("skulk_relay_deliveries_in_flight_seconds_total", this,
                        m -> m.deliveriesInFlight(System.nanoTime())[1])
                .description("integral of skulk_relay_deliveries_in_flight over time: its rate is the average number of batches "
                        + "being delivered (batch.max_in_flight when the relay keeps VictoriaLogs busy)")
                .register(registry);
    }

    private int deliveries;
    private double deliverySeconds;
    private long deliveriesChangedNanos = System.nanoTime();

    /** A batch's delivery to VictoriaLogs started (one or more insert requests: retries, splits after a 400). */
    public void deliveryStarted() {
        deliveriesChange(1);
    }

    /** A batch's delivery finished (delivered, or given up at shutdown). */
    public void deliveryFinished() {
        deliveriesChange(-1);
    }

    private synchronized void deliveriesChange(int delta) {
        long now = System.nanoTime();
        deliveriesInFlight(now);
        deliveries += delta;
    }

    /** Current requests outstanding and the integral up to {@code now}, after accounting up to {@code now}. */
    private synchronized double[] deliveriesInFlight(long now) {
        deliverySeconds += deliveries * (now - deliveriesChangedNanos) / 1e9;
        deliveriesChangedNanos = now;
        return new double[] {deliveries, deliverySeconds};
    }


    public void linesIn(long n) {
        linesIn.addAndGet(n);
        counter("skulk_relay_lines_in_total", null, null).increment(n);
    }

    public void linesOut(long n) {
        linesOut.addAndGet(n);
        counter("skulk_relay_lines_out_total", null, null).increment(n);
        batchLines.record(n);
    }

    public void deadLettered(String reason, long n) {
        deadLettered.addAndGet(n);
        counter("skulk_relay_dead_lettered_total", "reason", reason).increment(n);
    }

    public void guard(String reason, long n) {
        counter("skulk_relay_lines_adjusted_total", "reason", reason).increment(n);
    }

    public void insertFailed(String reason) {
        counter("skulk_relay_insert_failures_total", "reason", reason).increment();
    }

    public void committed() {
        lastCommitMillis.set(System.currentTimeMillis());
        counter("skulk_relay_commits_total", null, null).increment();
    }

    /**
     * Partitions a rebalance took from this relay: another relay joined or left the group, or this one was thought
     * gone (it did not poll within {@code max.poll.interval.ms}, or missed heartbeats). Its deliveries of them are
     * not acknowledged; the new owner delivers them again.
     */
    public void partitionsRevoked(int n) {
        partitionsRevoked.addAndGet(n);
        counter("skulk_relay_partitions_revoked_total", null, null).increment(n);
    }

    public long partitionsRevokedTotal() {
        return partitionsRevoked.get();
    }

    /** One {@code /insert/jsonline} request: sent to answered (whatever the answer). */
    public Timer insertLatency() {
        return insertLatency;
    }

    /** Building one request (guards, rendering, compression), on a worker thread. */
    public Timer requestBuild() {
        return requestBuild;
    }

    /** One batch's delivery: started to delivered (building, every retry, a split after a 400). */
    public Timer deliveryLatency() {
        return deliveryLatency;
    }

    public long linesInTotal() {
        return linesIn.get();
    }

    public long linesOutTotal() {
        return linesOut.get();
    }

    public long deadLetteredTotal() {
        return deadLettered.get();
    }

    private Counter counter(String name, String k, String v) {
        return counters.computeIfAbsent(name + '|' + v, x -> {
            Counter.Builder b = Counter.builder(name);
            if (k != null) {
                b.tag(k, v);
            }
            return b.register(registry);
        });
    }
}
