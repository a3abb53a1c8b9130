package foundation.foxlight.skulklogs.relay.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ingest endpoint's meters, registered on the relay's registry ({@code RelayMetrics.registry()}):
 * <ul>
 *   <li>{@code skulk_relay_ingest_requests_total{status}}: answered requests by HTTP status;</li>
 *   <li>{@code skulk_relay_ingest_lines_accepted_total}: lines whose records Kafka acknowledged;</li>
 *   <li>{@code skulk_relay_ingest_lines_debug_total}: lines of {@code debug} requests (parsed, not stored);</li>
 *   <li>{@code skulk_relay_ingest_lines_flagged_total{reason}}: accepted lines kept with a flag:
 *       {@code not_json}, {@code invalid_utf8}, {@code truncated};</li>
 *   <li>{@code skulk_relay_ingest_blank_lines_total}: blank lines skipped;</li>
 *   <li>{@code skulk_relay_ingest_bytes_total{stage}}: body bytes {@code received} (as sent) and
 *       {@code decompressed};</li>
 *   <li>{@code skulk_relay_ingest_records_total}: Kafka records acknowledged;</li>
 *   <li>{@code skulk_relay_ingest_publish_latency}: from the first send to the last acknowledgement;</li>
 *   <li>{@code skulk_relay_ingest_in_flight_requests}: requests being processed (gauge).</li>
 * </ul>
 * Thread-safe.
 */
public final class IngestMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer publishLatency;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.publishLatency = Timer.builder("skulk_relay_ingest_publish_latency")
                .description("time from the first Kafka send of an ingest request to its last acknowledgement")
                .publishPercentiles(0.5, 0.99).register(registry);
        registry.gauge("skulk_relay_ingest_in_flight_requests", inFlight);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void request(int status) {
        counter("skulk_relay_ingest_requests_total", "status", Integer.toString(status)).increment();
    }

    public void linesAccepted(long n) {
        counter("skulk_relay_ingest_lines_accepted_total", null, null).increment(n);
    }

    public void linesDebug(long n) {
        counter("skulk_relay_ingest_lines_debug_total", null, null).increment(n);
    }

    public void linesFlagged(String reason, long n) {
        if (n > 0) {
            counter("skulk_relay_ingest_lines_flagged_total", "reason", reason).increment(n);
        }
    }

    public void blankLines(long n) {
        if (n > 0) {
            counter("skulk_relay_ingest_blank_lines_total", null, null).increment(n);
        }
    }

    public void bytesReceived(long n) {
        counter("skulk_relay_ingest_bytes_total", "stage", "received").increment(n);
    }

    public void bytesDecompressed(long n) {
        counter("skulk_relay_ingest_bytes_total", "stage", "decompressed").increment(n);
    }

    public void recordsPublished(long n) {
        counter("skulk_relay_ingest_records_total", null, null).increment(n);
    }

    public Timer publishLatency() {
        return publishLatency;
    }

    /** The live count of requests in flight (the handler increments and decrements it). */
    AtomicInteger inFlight() {
        return inFlight;
    }

    /** The count of a counter so far (0 when never incremented); for tests and status pages. */
    public double count(String name, String tagValue) {
        Counter c = counters.get(name + '|' + tagValue);
        return c == null ? 0 : c.count();
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
