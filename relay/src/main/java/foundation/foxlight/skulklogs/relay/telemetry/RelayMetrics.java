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
    private final DistributionSummary batchLines;
    private final Timer insertLatency;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchLines = DistributionSummary.builder("skulk_relay_batch_lines").publishPercentiles(0.5, 0.99).register(registry);
        this.insertLatency = Timer.builder("skulk_relay_insert_latency").publishPercentiles(0.5, 0.99).register(registry);
        registry.gauge("skulk_relay_last_commit_age_seconds", lastCommitMillis,
                v -> v.get() == 0 ? -1 : (System.currentTimeMillis() - v.get()) / 1000.0);
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

    public Timer insertLatency() {
        return insertLatency;
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
