package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.BufferRecord;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy;
import foundation.foxlight.skulklogs.agent.source.FileTailer.ReadFrom;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the journald source against a fake {@code journalctl}: a bash script that records its arguments, prints
 * prepared journal entries (JSON, one per line) and then exits or waits, per invocation.
 */
class JournaldSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAKE_JOURNALCTL = """
            #!/bin/bash
            dir="$(cd "$(dirname "$0")" && pwd)"
            n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 ))
            echo "$n" > "$dir/count"
            echo "$$" > "$dir/pid-$n"
            printf '%s\\n' "$@" > "$dir/args-$n.tmp" && mv "$dir/args-$n.tmp" "$dir/args-$n.txt"
            if [ -f "$dir/stderr-$n.txt" ]; then cat "$dir/stderr-$n.txt" >&2; fi
            if [ -f "$dir/entries-$n.jsonl" ]; then cat "$dir/entries-$n.jsonl"; fi
            if [ -f "$dir/exit-$n" ]; then exit "$(cat "$dir/exit-$n")"; fi
            exec sleep 120
            """;

    @TempDir
    Path dir;

    private Path fake;
    private Vertx vertx;
    private SimpleMeterRegistry registry;
    private AgentMetrics metrics;
    private DiskBuffer buffer;
    private JournaldCursorStore cursors;
    private JournaldSource source;

    @BeforeEach
    void setUp() throws IOException {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        metrics = new AgentMetrics(registry);
        fake = dir.resolve("journal");
        Files.createDirectories(fake);
        Path script = fake.resolve("journalctl");
        Files.writeString(script, FAKE_JOURNALCTL);
        assertThat(script.toFile().setExecutable(true)).isTrue();
        cursors = JournaldCursorStore.open(dir.resolve("state/journald-cursor.json"));
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
    void messagesBecomeEventsWhateverTheirJsonForm() throws Exception {
        byte[] invalidUtf8 = concat("{\"level\":\"ERROR\",\"msg\":\"bad ".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xFF}, " byte\"}".getBytes(StandardCharsets.UTF_8));
        byte[] ansi = "\u001b[31m{\"msg\":\"red\"}\u001b[0m".getBytes(StandardCharsets.UTF_8);
        entries(1,
                entry("c1", "{\"ts\":\"2026-05-04T12:34:56.789Z\",\"level\":\"INFO\",\"node_id\":\"n1\",\"component\":\"worker\","
                        + "\"module\":\"skulk.worker.runner\",\"function\":\"run\",\"line\":42,\"msg\":\"caf\u00e9 started\"}"),
                entry("c2", invalidUtf8),
                entry("c3", "Traceback (most recent call last):"),
                entry("c4", null),
                entry("c5", List.of("{\"msg\":\"v1\"}", "{\"msg\":\"v2\"}".getBytes(StandardCharsets.UTF_8))),
                entry("c6", ansi));
        openBuffer(256L << 20, 8L << 20);
        source = start(config());

        await().atMost(Duration.ofSeconds(20)).until(() -> source.linesAppended() == 6 && source.linesDropped() == 1);
        List<EventBatch> batches = batches(readAll());
        assertThat(batches).allSatisfy(b -> assertThat(b.source()).isEqualTo("journald"));
        List<LogEvent> events = batches.stream().flatMap(b -> b.events().stream()).toList();
        assertThat(events).hasSize(6);

        LogEvent skulk = events.get(0);
        assertThat(skulk.get("msg")).isEqualTo("caf\u00e9 started");
        assertThat(skulk.get("node_id")).isEqualTo("n1");
        assertThat(skulk.get("line")).isEqualTo(42L);
        assertThat(skulk.has(PipelineFields.PARSE_ERROR)).isFalse();

        LogEvent bytes = events.get(1);
        assertThat(bytes.get("level")).isEqualTo("ERROR");
        assertThat(bytes.get("msg")).isEqualTo("bad \uFFFD byte");
        assertThat(bytes.get(PipelineFields.INVALID_UTF8)).isEqualTo(Boolean.TRUE);

        LogEvent text = events.get(2);
        assertThat(text.get("msg")).isEqualTo("Traceback (most recent call last):");
        assertThat(text.has(PipelineFields.PARSE_ERROR)).isTrue();
        assertThat(text.get("node_id")).isEqualTo("node-a");
        assertThat(text.get("component")).isEqualTo("unknown");

        assertThat(events.get(3).get("msg")).isEqualTo("v1");
        assertThat(events.get(4).get("msg")).isEqualTo("v2");
        assertThat(events.get(5).get("msg")).isEqualTo("\u001b[31m{\"msg\":\"red\"}\u001b[0m");
        assertThat(events.get(5).has(PipelineFields.PARSE_ERROR)).isTrue();

        assertThat(dropped("no_message")).isEqualTo(1);
        assertThat(metrics.linesReadTotal()).isEqualTo(7);

        List<String> args = args(1);
        assertThat(args).startsWith("--output=json")
                .contains("--output=json", "--follow", "--no-pager", "--all", "--user", "--unit=skulk", "--no-tail",
                        "--output-fields=" + JournaldConfig.OUTPUT_FIELDS)
                .noneMatch(a -> a.startsWith("--after-cursor"));
    }

    @Test
    void theCursorIsPersistedOnlyForDurableRecords() throws Exception {
        entries(1, entry("c1", "{\"msg\":\"one\"}"), entry("c2", "{\"msg\":\"two\"}"), entry("c3", "{\"msg\":\"three\"}"));
        openBuffer(256L << 20, 8L << 20);
        source = start(withBatchLines(config(), 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> source.linesAppended() == 3);

        List<BufferRecord> records = readAll();
        assertThat(records).extracting(BufferRecord::id).containsExactly(1L, 2L, 3L);
        assertThat(batches(records)).extracting(b -> b.events().get(0).get("msg")).containsExactly("one", "two", "three");

        assertThat(buffer.durableId()).isZero();
        source.commitDurable(buffer.durableId());
        assertThat(cursors.savedCursor()).isEmpty();
        assertThat(cursors.file()).doesNotExist();

        source.commitDurable(2);
        assertThat(cursors.savedCursor()).contains("c2");
        assertThat(JournaldCursorStore.open(cursors.file()).cursor()).contains("c2");

        source.commitDurable(2);
        assertThat(JournaldCursorStore.open(cursors.file()).cursor()).contains("c2");

        buffer.sync();
        source.commitDurable(buffer.durableId());
        assertThat(JournaldCursorStore.open(cursors.file()).cursor()).contains("c3");
    }

    @Test
    void whenJournalctlExitsItIsRestartedAfterTheLastAppendedEntry() throws Exception {
        entries(1, entry("s=1;i=1", "{\"msg\":\"one\"}"), entry("s=1;i=2", "{\"msg\":\"two\"}"));
        exit(1, 0);
        entries(2, entry("s=1;i=3", "{\"msg\":\"three\"}"));
        openBuffer(256L << 20, 8L << 20);
        source = start(config());

        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(fake.resolve("args-2.txt")));
        assertThat(args(2)).contains("--after-cursor=s=1;i=2", "--no-tail");
        await().atMost(Duration.ofSeconds(20)).until(() -> source.linesAppended() == 3);
        assertThat(events(readAll())).extracting(e -> e.get("msg")).containsExactly("one", "two", "three");
        assertThat(source.exits()).isEqualTo(1);
        assertThat(source.starts()).isEqualTo(2);
        assertThat(source.lastError()).contains("exited with code 0");
        assertThat(registry.find("skulk_agent_source_restarts_total").tag("source", "journald").counter().count()).isEqualTo(1);
    }

    @Test
    void aSavedCursorIsWhereTheFirstRunResumes() throws Exception {
        cursors.put("s=abc;i=5");
        cursors.save();
        JournaldCursorStore reopened = JournaldCursorStore.open(cursors.file());
        cursors = reopened;
        openBuffer(256L << 20, 8L << 20);
        source = start(config());

        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(fake.resolve("args-1.txt")));
        assertThat(args(1)).contains("--after-cursor=s=abc;i=5").doesNotContain("--lines=0")
                .noneMatch(a -> a.startsWith("--since"));
    }

    @Test
    void aRejectedCursorFallsBackToTheTimeItPointsAt() throws Exception {
        long micros = 1_700_000_000_123_456L;
        String bad = "s=0123;i=9;b=ff;m=1;t=" + Long.toHexString(micros) + ";x=2";
        cursors.put(bad);
        cursors.save();
        Files.writeString(fake.resolve("stderr-1.txt"), "Failed to seek to cursor: Invalid argument\n");
        exit(1, 1);
        entries(2, entry("s=new;i=1", "{\"msg\":\"after\"}"));
        openBuffer(256L << 20, 8L << 20);
        source = start(config());

        await().atMost(Duration.ofSeconds(20)).until(() -> source.linesAppended() == 1);
        assertThat(args(1)).contains("--after-cursor=" + bad);
        assertThat(args(2)).contains("--since=@1700000000").noneMatch(a -> a.startsWith("--after-cursor"));
        buffer.sync();
        source.commitDurable(buffer.durableId());
        assertThat(JournaldCursorStore.open(cursors.file()).cursor()).contains("s=new;i=1");
    }

    @Test
    void aMissingJournalctlIsReportedClearlyAndRetried() throws Exception {
        openBuffer(256L << 20, 8L << 20);
        source = start(config().withCommand(List.of(dir.resolve("no-such-dir/journalctl").toString())));

        await().atMost(Duration.ofSeconds(20)).until(() -> source.startFailures() >= 3);
        assertThat(source.lastError()).contains("not found: the journald source needs systemd's journalctl");
        assertThat(source.starts()).isZero();
        join(source.stop());
        source = null;
    }

    @Test
    void aFullBufferBlocksTheSourceAndNothingIsLost() throws Exception {
        int n = 2000;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(entry("c" + i, "{\"level\":\"INFO\",\"msg\":\"entry " + i + " " + "x".repeat(60) + "\"}"));
        }
        entries(1, lines.toArray(String[]::new));
        openBuffer(32 * 1024, 4 * 1024);
        source = start(withBatch(config(), 10, 1024));

        await().atMost(Duration.ofSeconds(20)).until(() -> source.bufferFullWaits() > 0);
        assertThat(source.linesAppended()).isLessThan(n);

        List<LogEvent> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
            List<BufferRecord> records = readAll();
            events.addAll(events(records));
            for (BufferRecord r : records) {
                buffer.ack(r.id());
            }
            buffer.checkpoint();
            return events.size() >= n;
        });
        assertThat(events).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat((String) events.get(i).get("msg")).startsWith("entry " + i + " ");
        }
        assertThat(source.linesDropped()).isZero();
        buffer.sync();
        source.commitDurable(buffer.durableId());
        assertThat(JournaldCursorStore.open(cursors.file()).cursor()).contains("c" + (n - 1));
    }

    @Test
    void theIdentifierFilterSkipsOtherEntriesButTheCursorMovesPastThem() throws Exception {
        entries(1, entry("c1", "{\"msg\":\"mine\"}", "skulk"),
                entry("c2", "Started skulk.service - Skulk.", "systemd"));
        openBuffer(256L << 20, 8L << 20);
        JournaldConfig d = config();
        source = start(new JournaldConfig(true, d.command(), d.user(), d.unit(), "skulk", d.readFrom(), d.since(),
                d.maxLineBytes(), d.maxBatchBytes(), d.maxBatchLines(), d.restartBackoffInitial(), d.restartBackoffMax()));

        await().atMost(Duration.ofSeconds(20)).until(() -> source.entriesRead() == 2 && source.linesAppended() == 1);
        assertThat(source.entriesSkipped()).isEqualTo(1);
        assertThat(events(readAll())).extracting(e -> e.get("msg")).containsExactly("mine");
        buffer.sync();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            source.commitDurable(buffer.durableId());
            return cursors.savedCursor().orElse("").equals("c2");
        });
    }

    @Test
    void aLongMessageIsCutIntoFlaggedPiecesNeverThroughACharacter() throws Exception {
        String message = "\u00e9\u2603".repeat(700) + "!"; // 3501 bytes, characters of 2 and 3 bytes
        entries(1, entry("c1", message));
        openBuffer(256L << 20, 8L << 20);
        JournaldConfig d = config();
        source = start(new JournaldConfig(true, d.command(), d.user(), d.unit(), "", d.readFrom(), d.since(), 1024,
                d.maxBatchBytes(), d.maxBatchLines(), d.restartBackoffInitial(), d.restartBackoffMax()));

        await().atMost(Duration.ofSeconds(20)).until(() -> source.linesAppended() >= 4);
        List<LogEvent> pieces = events(readAll());
        assertThat(pieces).hasSize(4);
        StringBuilder whole = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            LogEvent p = pieces.get(i);
            assertThat(p.get(PipelineFields.LINE_PART)).isEqualTo((long) i + 1);
            assertThat(p.has(PipelineFields.INVALID_UTF8)).isFalse();
            whole.append((String) p.get("msg"));
        }
        assertThat(pieces.get(3).get(PipelineFields.LINE_PART_LAST)).isEqualTo(Boolean.TRUE);
        assertThat(whole.toString()).isEqualTo(message);
    }

    @Test
    void stopEndsTheChildProcessAndTheReader() throws Exception {
        entries(1, entry("c1", "{\"msg\":\"one\"}"));
        openBuffer(256L << 20, 8L << 20);
        source = start(config());
        await().atMost(Duration.ofSeconds(20)).until(() -> source.linesAppended() == 1);
        long pid = Long.parseLong(Files.readString(fake.resolve("pid-1")).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        join(source.stop());
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        assertThat(source.exits()).as("a stop is not an exit to restart from").isZero();
        assertThat(Files.exists(fake.resolve("args-2.txt"))).isFalse();
        source = null;
    }

    /** systemd's stop (KillMode=control-group) or Ctrl-C signals journalctl and the agent at once: no warning, no restart. */
    @Test
    void aJournalctlEndedByTheSignalThatStopsTheAgentIsNoExit() throws Exception {
        signalJournalctlAfterOneEntry();
        await().atMost(Duration.ofSeconds(20)).until(() -> source.signalled() == 1);

        join(source.stop());
        assertThat(source.exits()).isZero();
        assertThat(source.lastError()).isNull();
        assertThat(Files.exists(fake.resolve("args-2.txt"))).isFalse();
        source = null;
    }

    @Test
    void aJournalctlEndedByASignalWhileTheAgentRunsIsRestarted() throws Exception {
        signalJournalctlAfterOneEntry();

        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(fake.resolve("args-2.txt")));
        assertThat(args(2)).contains("--after-cursor=c1");
        assertThat(source.exits()).isEqualTo(1);
        assertThat(source.lastError()).contains("exited with code 143");
    }

    @Test
    void unreadableOutputIsCountedAndTheRestIsKept() throws Exception {
        entries(1, "-- No entries --", entry("c1", "{\"msg\":\"ok\"}"));
        openBuffer(256L << 20, 8L << 20);
        source = start(config());
        await().atMost(Duration.ofSeconds(20)).until(() -> source.linesAppended() == 1 && source.linesDropped() == 1);
        assertThat(dropped("unreadable_entry")).isEqualTo(1);
        assertThat(events(readAll())).extracting(e -> e.get("msg")).containsExactly("ok");
    }

    @Test
    void cursorTimeIsParsedFromTheCursor() {
        assertThat(JournaldSource.cursorRealtimeMicros("s=1;i=2;b=3;m=4;t=" + Long.toHexString(1234567L) + ";x=5")).isEqualTo(1234567L);
        assertThat(JournaldSource.cursorRealtimeMicros("s=1;i=2")).isEqualTo(-1);
        assertThat(JournaldSource.cursorRealtimeMicros("t=zz")).isEqualTo(-1);
    }

    // ---------------------------------------------------------------------------------------------

    private JournaldConfig config() {
        JournaldConfig d = JournaldConfig.defaults(true);
        return new JournaldConfig(true, List.of(fake.resolve("journalctl").toString()), true, "skulk", "", ReadFrom.BEGINNING, "",
                d.maxLineBytes(), d.maxBatchBytes(), d.maxBatchLines(), Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private static JournaldConfig withBatchLines(JournaldConfig c, int lines) {
        return withBatch(c, lines, c.maxBatchBytes());
    }

    private static JournaldConfig withBatch(JournaldConfig c, int lines, int bytes) {
        return new JournaldConfig(c.enabled(), c.command(), c.user(), c.unit(), c.identifier(), c.readFrom(), c.since(),
                c.maxLineBytes(), bytes, lines, c.restartBackoffInitial(), c.restartBackoffMax());
    }

    private JournaldSource start(JournaldConfig cfg) throws Exception {
        JournaldSource s = new JournaldSource(vertx, cfg, cursors, buffer, new EventEnricher("node-a"), metrics);
        join(s.start());
        return s;
    }

    private void openBuffer(long maxBytes, long segmentBytes) throws IOException {
        buffer = DiskBuffer.open(new BufferConfig(dir.resolve("buffer"), maxBytes, segmentBytes, FsyncPolicy.never()));
    }

    /** A journal entry as journalctl -o json prints it; message is a String, byte[], a List of those, or null. */
    private static String entry(String cursor, Object message) {
        return entry(cursor, message, "skulk");
    }

    private static String entry(String cursor, Object message, String identifier) {
        ObjectNode e = JSON.createObjectNode();
        e.put("__CURSOR", cursor);
        e.put("__REALTIME_TIMESTAMP", "1777898096789000");
        e.put("__MONOTONIC_TIMESTAMP", "123456");
        e.put("_BOOT_ID", "0123456789abcdef0123456789abcdef");
        e.put("_HOSTNAME", "n1");
        e.put("SYSLOG_IDENTIFIER", identifier);
        e.put("PRIORITY", "6");
        if (message == null) {
            e.putNull("MESSAGE");
        } else if (message instanceof List<?> values) {
            ArrayNode a = e.putArray("MESSAGE");
            for (Object v : values) {
                if (v instanceof byte[] b) {
                    a.add(bytes(b));
                } else {
                    a.add((String) v);
                }
            }
        } else if (message instanceof byte[] b) {
            e.set("MESSAGE", bytes(b));
        } else {
            e.put("MESSAGE", (String) message);
        }
        return e.toString();
    }

    private static ArrayNode bytes(byte[] b) {
        ArrayNode a = JSON.createArrayNode();
        for (byte x : b) {
            a.add(x & 0xFF);
        }
        return a;
    }

    /** Starts the source on one entry and, once it is appended, sends journalctl SIGTERM (exit code 143). */
    private void signalJournalctlAfterOneEntry() throws Exception {
        entries(1, entry("c1", "{\"msg\":\"one\"}"));
        openBuffer(256L << 20, 8L << 20);
        source = start(config());
        await().atMost(Duration.ofSeconds(20)).until(() -> source.linesAppended() == 1);
        ProcessHandle.of(Long.parseLong(Files.readString(fake.resolve("pid-1")).trim())).orElseThrow().destroy(); // SIGTERM
    }

    private void entries(int invocation, String... lines) throws IOException {
        Path tmp = fake.resolve("entries.tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n");
        Files.move(tmp, fake.resolve("entries-" + invocation + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
    }

    private void exit(int invocation, int code) throws IOException {
        Files.writeString(fake.resolve("exit-" + invocation), Integer.toString(code));
    }

    private List<String> args(int invocation) throws IOException {
        return Files.readAllLines(fake.resolve("args-" + invocation + ".txt"));
    }

    private double dropped(String reason) {
        Counter c = registry.find("skulk_agent_lines_dropped_total").tag("source", "journald").tag("reason", reason).counter();
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

    private static List<EventBatch> batches(List<BufferRecord> records) throws Exception {
        List<EventBatch> out = new ArrayList<>();
        for (BufferRecord r : records) {
            out.add(BatchCodec.decode(r.payload()));
        }
        return out;
    }

    private static List<LogEvent> events(List<BufferRecord> records) throws Exception {
        List<LogEvent> events = new ArrayList<>();
        for (EventBatch b : batches(records)) {
            events.addAll(b.events());
        }
        return events;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
