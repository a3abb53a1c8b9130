package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.BufferRecord;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy;
import foundation.foxlight.skulklogs.agent.config.AgentConfig.WhenFull;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdinSourceTest {
    private static final int LINES = 200_000;

    @TempDir
    Path dir;

    private Vertx vertx;
    private SimpleMeterRegistry registry;
    private AgentMetrics metrics;
    private DiskBuffer buffer;
    private StdinSource source;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        metrics = new AgentMetrics(registry);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (source != null) {
            join(source.stop());
        }
        if (buffer != null) {
            buffer.close();
        }
        join(vertx.close());
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void aTinyFullBufferNeverBlocksTheWriterAndEveryLineIsAccountedFor() throws Exception {
        buffer = DiskBuffer.open(new BufferConfig(dir.resolve("buf"), 64 * 1024, 16 * 1024, FsyncPolicy.never()));
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        source = start(in, config(4 * 1024, 100, WhenFull.DROP_NEWEST));

        Writer writer = Writer.start(out, LINES);
        // Nothing drains the buffer: it is full after a few hundred lines. The writer must still get through.
        assertThat(writer.done.await(60, TimeUnit.SECONDS)).as("the writer finished without being blocked").isTrue();
        assertThat(writer.error.get()).isNull();
        join(source.finished());

        assertThat(source.linesRead()).isEqualTo(LINES);
        assertThat(source.linesAppended() + source.linesDropped()).isEqualTo(LINES);
        assertThat(source.linesDropped()).as("the buffer was full, so lines were dropped").isPositive();
        assertThat(source.linesAppended()).isPositive();
        assertThat(source.bufferFullWaits()).isPositive();
        assertThat(metrics.linesReadTotal()).isEqualTo(LINES);
        assertThat(metrics.linesDroppedTotal()).isEqualTo(source.linesDropped());
        assertThat(dropped("buffer_full") + dropped("backlog_full")).isEqualTo(source.linesDropped());

        List<LogEvent> events = events(readAll());
        assertThat((long) events.size()).isEqualTo(source.linesAppended());
        long previous = -1;
        for (LogEvent e : events) { // what got through is in order, each line once
            long n = number(e);
            assertThat(n).isGreaterThan(previous);
            previous = n;
        }
    }

    @Test
    void aRealPipeIsAlwaysDrainedWhileTheBufferIsFull() throws Exception {
        buffer = DiskBuffer.open(new BufferConfig(dir.resolve("buf"), 64 * 1024, 16 * 1024, FsyncPolicy.never()));
        Process writer = new ProcessBuilder("bash", "-c", "yes '{\"level\":\"INFO\",\"msg\":\"hello\"}' | head -n " + LINES)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        writer.getOutputStream().close();
        source = start(writer.getInputStream(), config(4 * 1024, 100, WhenFull.DROP_NEWEST));

        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).as("the writing process was never blocked on its pipe").isTrue();
        join(source.finished());

        assertThat(source.linesRead()).isEqualTo(LINES);
        assertThat(source.linesAppended() + source.linesDropped()).isEqualTo(LINES);
        assertThat(source.linesDropped()).isPositive();
        assertThat((long) events(readAll()).size()).isEqualTo(source.linesAppended());
    }

    @Test
    void withRoomEveryLineIsAppendedOnceInOrderIntact() throws Exception {
        buffer = DiskBuffer.open(new BufferConfig(dir.resolve("buf"), 256L << 20, 8L << 20, FsyncPolicy.never()));
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        StdinConfig cfg = config(StdinConfig.DEFAULT_MAX_BATCH_BYTES, StdinConfig.DEFAULT_MAX_BATCH_LINES, WhenFull.DROP_NEWEST);
        source = start(in, cfg);

        Writer writer = Writer.start(out, LINES);
        assertThat(writer.done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.error.get()).isNull();
        join(source.finished());

        assertThat(source.linesDropped()).isZero();
        List<BufferRecord> records = readAll();
        List<LogEvent> events = new ArrayList<>();
        for (BufferRecord r : records) {
            EventBatch batch = BatchCodec.decode(r.payload());
            assertThat(batch.source()).isEqualTo("stdin");
            assertThat(batch.nodeId()).isEqualTo("node-a");
            assertThat(batch.events()).hasSizeLessThanOrEqualTo(cfg.maxBatchLines());
            events.addAll(batch.events());
        }
        assertThat(records.size()).as("lines are batched").isLessThan(LINES / 10);
        assertThat(events).hasSize(LINES);
        for (int i = 0; i < LINES; i++) {
            LogEvent e = events.get(i);
            assertThat(e.get("msg")).isEqualTo(Writer.msg(i));
            assertThat(e.get("level")).isEqualTo("INFO");
            assertThat(e.get("line")).isEqualTo((long) i);
            assertThat(e.get("node_id")).isEqualTo("node-a");
            assertThat(e.has(PipelineFields.PARSE_ERROR)).isFalse();
        }
        assertThat(metrics.linesReadTotal()).isEqualTo(LINES);
    }

    @Test
    void atEndOfInputAPartialLastLineIsShippedFlagged() throws Exception {
        buffer = DiskBuffer.open(BufferConfig.defaults(dir.resolve("buf")).withFsyncPolicy(FsyncPolicy.never()));
        byte[] input = "{\"msg\":\"a\"}\r\nnot json\n{\"msg\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        source = start(new ByteArrayInputStream(input), StdinConfig.defaults(true));
        join(source.finished());

        List<LogEvent> events = events(readAll());
        assertThat(events).hasSize(3);
        assertThat(events.get(0).get("msg")).isEqualTo("a");
        assertThat(events.get(0).has(PipelineFields.PARTIAL)).isFalse();
        assertThat(events.get(1).get("msg")).isEqualTo("not json");
        assertThat(events.get(1).has(PipelineFields.PARSE_ERROR)).isTrue();
        assertThat(events.get(2).get("msg")).isEqualTo("b");
        assertThat(events.get(2).get(PipelineFields.PARTIAL)).isEqualTo(Boolean.TRUE);
        assertThat(source.endReason()).isEqualTo("end of input");
    }

    @Test
    void anUnterminatedLineIsShippedAfterThePartialLineTimeoutWhileTheStreamStaysOpen() throws Exception {
        buffer = DiskBuffer.open(BufferConfig.defaults(dir.resolve("buf")).withFsyncPolicy(FsyncPolicy.never()));
        PipedInputStream in = new PipedInputStream(1024);
        PipedOutputStream out = new PipedOutputStream(in);
        StdinConfig d = StdinConfig.defaults(true);
        source = start(in, new StdinConfig(true, d.maxLineBytes(), d.maxBatchBytes(), d.maxBatchLines(), d.maxBatchDelay(),
                Duration.ofMillis(100), d.maxPendingBytes(), WhenFull.DROP_NEWEST));

        out.write("{\"msg\":\"whole\"}\n{\"msg\":\"half\"}".getBytes(StandardCharsets.UTF_8));
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> source.linesAppended() == 2);
        List<LogEvent> events = events(readAll());
        assertThat(events.get(0).has(PipelineFields.PARTIAL)).isFalse();
        assertThat(events.get(1).get("msg")).isEqualTo("half");
        assertThat(events.get(1).get(PipelineFields.PARTIAL)).isEqualTo(Boolean.TRUE);
        assertThat(source.finished().isComplete()).isFalse();
        out.close();
        join(source.finished());
    }

    @Test
    void aReadErrorEndsTheSourceCleanlyKeepingWhatWasRead() throws Exception {
        buffer = DiskBuffer.open(BufferConfig.defaults(dir.resolve("buf")).withFsyncPolicy(FsyncPolicy.never()));
        byte[] head = "{\"msg\":\"1\"}\n{\"msg\":\"2\"}\n{\"msg\":\"tail\"}".getBytes(StandardCharsets.UTF_8);
        InputStream broken = new InputStream() {
            private final ByteArrayInputStream data = new ByteArrayInputStream(head);

            @Override
            public int read() throws IOException {
                throw new IOException("not used");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = data.read(b, off, len);
                if (n < 0) {
                    throw new IOException("Broken pipe");
                }
                return n;
            }
        };
        source = start(broken, StdinConfig.defaults(true));
        join(source.finished());

        assertThat(source.endReason()).startsWith("read error").contains("Broken pipe");
        List<LogEvent> events = events(readAll());
        assertThat(events).extracting(e -> e.get("msg")).containsExactly("1", "2", "tail");
        assertThat(events.get(2).get(PipelineFields.PARTIAL)).isEqualTo(Boolean.TRUE);
        assertThat(source.linesDropped()).isZero();
    }

    @Test
    void aLineThatCanNeverFitIsDroppedAndCountedTheOthersAreKept() throws Exception {
        buffer = DiskBuffer.open(new BufferConfig(dir.resolve("buf"), 64 * 1024, 64 * 1024, FsyncPolicy.never()));
        StdinConfig d = StdinConfig.defaults(true);
        StdinConfig cfg = new StdinConfig(true, 200 * 1024, d.maxBatchBytes(), d.maxBatchLines(), d.maxBatchDelay(),
                d.partialLineTimeout(), d.maxPendingBytes(), WhenFull.DROP_NEWEST);
        String big = "{\"msg\":\"" + "x".repeat(100 * 1024) + "\"}";
        byte[] input = ("{\"msg\":\"before\"}\n" + big + "\n{\"msg\":\"after\"}\n").getBytes(StandardCharsets.UTF_8);
        source = start(new ByteArrayInputStream(input), cfg);
        join(source.finished());

        assertThat(events(readAll())).extracting(e -> e.get("msg")).containsExactly("before", "after");
        assertThat(source.linesDropped()).isEqualTo(1);
        assertThat(dropped("too_large")).isEqualTo(1);
        assertThat(metrics.linesReadTotal()).isEqualTo(3);
    }

    @Test
    void whenFullBlockPausesTheWriterAndLosesNothing() throws Exception {
        buffer = DiskBuffer.open(new BufferConfig(dir.resolve("buf"), 64 * 1024, 8 * 1024, FsyncPolicy.never()));
        PipedInputStream in = new PipedInputStream(16 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        StdinConfig d = StdinConfig.defaults(true);
        source = start(in, new StdinConfig(true, d.maxLineBytes(), 2 * 1024, 100, d.maxBatchDelay(), d.partialLineTimeout(),
                16 * 1024, WhenFull.BLOCK));
        int lines = 20_000; // about 1 MB: far more than the buffer, the queue and the pipe hold together

        Writer writer = Writer.start(out, lines);
        await().atMost(Duration.ofSeconds(30)).until(() -> source.bufferFullWaits() > 0);
        assertThat(writer.done.getCount()).as("the writer is held back while the buffer is full").isEqualTo(1);

        List<LogEvent> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
            drainInto(events);
            return events.size() >= lines;
        });
        assertThat(writer.done.await(30, TimeUnit.SECONDS)).isTrue();
        join(source.finished());
        drainInto(events);

        assertThat(source.linesDropped()).isZero();
        assertThat(events).hasSize(lines);
        for (int i = 0; i < lines; i++) {
            assertThat(events.get(i).get("msg")).isEqualTo(Writer.msg(i));
        }
    }

    @Test
    void stopEndsAppendingAndLaterInputIsCountedNotAppended() throws Exception {
        buffer = DiskBuffer.open(BufferConfig.defaults(dir.resolve("buf")).withFsyncPolicy(FsyncPolicy.never()));
        PipedInputStream in = new PipedInputStream(1024);
        PipedOutputStream out = new PipedOutputStream(in);
        source = start(in, StdinConfig.defaults(true));
        out.write("{\"msg\":\"1\"}\n{\"msg\":\"2\"}\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> source.linesAppended() == 2);

        join(source.stop());
        join(source.finished());
        out.write("{\"msg\":\"3\"}\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> source.linesDropped() == 1);
        assertThat(dropped("stopped")).isEqualTo(1);
        assertThat(events(readAll())).extracting(e -> e.get("msg")).containsExactly("1", "2");

        buffer.sync();
        source.commitDurable(buffer.durableId());
        assertThat(source.linesDurable()).isEqualTo(2);
        source = null;
    }

    // ---------------------------------------------------------------------------------------------

    private StdinSource start(InputStream in, StdinConfig cfg) throws Exception {
        StdinSource s = new StdinSource(vertx, in, cfg, buffer, new EventEnricher("node-a"), metrics);
        join(s.start());
        return s;
    }

    private static StdinConfig config(int maxBatchBytes, int maxBatchLines, WhenFull whenFull) {
        StdinConfig d = StdinConfig.defaults(true);
        return new StdinConfig(true, d.maxLineBytes(), maxBatchBytes, maxBatchLines, d.maxBatchDelay(), d.partialLineTimeout(),
                d.maxPendingBytes(), whenFull);
    }

    private double dropped(String reason) {
        Counter c = registry.find("skulk_agent_lines_dropped_total").tag("source", "stdin").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private List<BufferRecord> readAll() throws IOException {
        List<BufferRecord> all = new ArrayList<>();
        while (true) {
            List<BufferRecord> batch = buffer.read(1000, 64L << 20);
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }

    /** Reads what is there, acknowledges it and checkpoints, freeing room. */
    private void drainInto(List<LogEvent> events) throws Exception {
        List<BufferRecord> records = readAll();
        events.addAll(events(records));
        for (BufferRecord r : records) {
            buffer.ack(r.id());
        }
        buffer.checkpoint();
    }

    private static List<LogEvent> events(List<BufferRecord> records) throws Exception {
        List<LogEvent> events = new ArrayList<>();
        for (BufferRecord r : records) {
            events.addAll(BatchCodec.decode(r.payload()).events());
        }
        return events;
    }

    private static long number(LogEvent e) {
        return (Long) e.get("line");
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Writes numbered Skulk-like lines as fast as it can, then closes the stream. */
    private static final class Writer {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Throwable> error = new AtomicReference<>();

        static String msg(int i) {
            return "line " + i + " caf\u00e9 \"q\" \\ \u2603";
        }

        static Writer start(OutputStream out, int lines) {
            Writer w = new Writer();
            Thread t = new Thread(() -> {
                try (out) {
                    for (int i = 0; i < lines; i++) {
                        String json = "{\"ts\":\"2026-05-04T12:34:56.789Z\",\"level\":\"INFO\",\"line\":" + i
                                + ",\"msg\":\"line " + i + " caf\\u00e9 \\\"q\\\" \\\\ \u2603\"}\n";
                        out.write(json.getBytes(StandardCharsets.UTF_8));
                    }
                } catch (Throwable e) {
                    w.error.set(e);
                } finally {
                    w.done.countDown();
                }
            }, "test-writer");
            t.setDaemon(true);
            t.start();
            return w;
        }
    }
}
