package foundation.foxlight.skulklogs.agent.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's counters. Every line read is counted once in {@code skulk_agent_lines_read_total}; lines
 * changed on the way are counted by reason in {@code skulk_agent_lines_flagged_total}; lines not shipped
 * are counted by reason in {@code skulk_agent_lines_dropped_total} (and logged). Thread-safe.
 */
public final class AgentMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong linesShipped = new AtomicLong();
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong linesDropped = new AtomicLong();
    private final AtomicLong linesFlagged = new AtomicLong();
    private final Timer produceLatency;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.produceLatency = Timer.builder("skulk_agent_produce_latency").description("buffer read to Kafka acknowledgement")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void linesRead(String source, long n) {
        linesRead.addAndGet(n);
        counter("skulk_agent_lines_read_total", "source", source, null, null).increment(n);
    }

    public void lineFlagged(String source, String reason) {
        linesFlagged.incrementAndGet();
        counter("skulk_agent_lines_flagged_total", "source", source, "reason", reason).increment();
    }

    public void linesDropped(String source, String reason, long n) {
        linesDropped.addAndGet(n);
        counter("skulk_agent_lines_dropped_total", "source", source, "reason", reason).increment(n);
    }

    /** Lines whose Kafka record was acknowledged. */
    public void linesShipped(long n, long recordBytes) {
        linesShipped.addAndGet(n);
        counter("skulk_agent_lines_shipped_total", null, null, null, null).increment(n);
        counter("skulk_agent_kafka_records_acked_total", null, null, null, null).increment();
        counter("skulk_agent_kafka_bytes_acked_total", null, null, null, null).increment(recordBytes);
    }

    /**
     * A file was truncated in place and the lines written between the last read and the truncation could not
     * be found in the writer's copy: an unknown number of lines may be missing (also logged).
     */
    public void truncationUnrecovered(String source) {
        counter("skulk_agent_truncations_unrecovered_total", "source", source, null, null).increment();
    }

    /** Bytes written just before a truncation in place, found and shipped from the writer's copy ({@code .1}). */
    public void truncationRecoveredBytes(String source, long bytes) {
        counter("skulk_agent_truncation_recovered_bytes_total", "source", source, null, null).increment(bytes);
    }

    public void produceFailed(String reason) {
        counter("skulk_agent_kafka_send_failures_total", "reason", reason, null, null).increment();
    }

    public Timer produceLatency() {
        return produceLatency;
    }

    public long linesShippedTotal() {
        return linesShipped.get();
    }

    public long linesReadTotal() {
        return linesRead.get();
    }

    public long linesDroppedTotal() {
        return linesDropped.get();
    }

    public long linesFlaggedTotal() {
        return linesFlagged.get();
    }

    private Counter counter(String name, String k1, String v1, String k2, String v2) {
        String key = name + '|' + v1 + '|' + v2;
        return counters.computeIfAbsent(key, k -> {
            Counter.Builder b = Counter.builder(name);
            if (k1 != null) {
                b.tag(k1, v1);
            }
            if (k2 != null) {
                b.tag(k2, v2);
            }
            return b.register(registry);
        });
    }
}
