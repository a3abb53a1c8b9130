package foundation.foxlight.skulklogs.it.bench.jmh;

import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsRequest;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsRequestBuilder;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSinkConfig;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.BatchFormatException;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-line CPU cost of the contract's codecs on Skulk-like lines, in nanoseconds per line (each operation is
 * one batch of {@value #LINES} lines): what the agent does to every line (parse its JSON, encode the batch) and what
 * the relay does (decode the batch, build the insert request). Run with
 * {@code integration-tests/bench/codec-jmh.sh}; results in {@code docs/performance.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", "-XX:+UseSerialGC"})
@OperationsPerInvocation(CodecBenchmark.LINES)
public class CodecBenchmark {
    static final int LINES = 500;
    private static final Instant NOW = Instant.parse("2026-11-28T12:30:00Z");
    private static final String[] COMPONENTS = {"worker", "api", "master", "shard"};

    private byte[][] lines;
    private EventBatch batch;
    private byte[] encoded;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        lines = new byte[LINES][];
        List<LogEvent> events = new ArrayList<>(LINES);
        for (int i = 0; i < LINES; i++) {
            String component = COMPONENTS[i % 4];
            String line = String.format("{\"ts\": \"2026-11-28T12:%02d:%02d.%03dZ\", \"level\": \"INFO\", \"node_id\": \"bench-node\", "
                    + "\"component\": \"%s\", \"module\": \"skulk.%s.runner\", \"function\": \"step\", \"line\": %d, "
                    + "\"msg\": \"step %d done in %d ms, tokens=%d\"}", i / 60000 % 60, i / 1000 % 60, i % 1000, component, component,
                    i % 500, i, 1 + random.nextInt(999), 1 + random.nextInt(4096));
            lines[i] = line.getBytes(StandardCharsets.UTF_8);
            events.add(LogEventJson.parse(lines[i]));
        }
        batch = new EventBatch("bench-node", "file:/var/log/skulk/skulk.stdout.log", 1, 0, events);
        encoded = BatchCodec.encode(batch);
    }

    /** The request builder of {@link #relayBuildRequest}, once per {@code victorialogs.compression}. */
    @State(Scope.Thread)
    public static class Requests {
        @Param({"zstd", "gzip", "none"})
        public String compression;
        VictoriaLogsRequestBuilder builder;

        @Setup
        public void setUp() {
            builder = new VictoriaLogsRequestBuilder(VictoriaLogsSinkConfig.defaults()
                    .withCompression(VictoriaLogsSinkConfig.Compression.fromName(compression).orElseThrow()));
        }
    }

    /** Agent: a line's bytes to a {@link LogEvent}. */
    @Benchmark
    public void agentParseLine(Blackhole bh) {
        for (byte[] line : lines) {
            bh.consume(LogEventJson.parse(line, 0, line.length));
        }
    }

    /** Agent: the events of a batch to the binary batch format (the disk buffer record and Kafka record value). */
    @Benchmark
    public byte[] agentEncodeBatch() {
        return BatchCodec.encode(batch);
    }

    /** Relay: a Kafka record value back to events. */
    @Benchmark
    public EventBatch relayDecodeBatch() throws BatchFormatException {
        return BatchCodec.decode(encoded);
    }

    /**
     * Relay: the whole {@code /insert/jsonline} request for a batch with the default sink settings but
     * {@link Requests#compression} — every event through the guards (time field, names, field counts, line length),
     * rendered, compressed.
     */
    @Benchmark
    public VictoriaLogsRequest relayBuildRequest(Requests requests) {
        return requests.builder.build(batch.events(), NOW);
    }

    /** Relay: events to newline-delimited JSON with one generator per request (the body before guards and gzip). */
    @Benchmark
    public byte[] relayRenderJsonLines() throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(encoded.length * 2);
        try (JsonGenerator g = LogEventJson.newGenerator(out)) {
            for (LogEvent e : batch.events()) {
                LogEventJson.write(e, g);
                g.writeRaw('\n');
            }
        }
        return out.toByteArray();
    }
}
