package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.BufferRecord;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy;
import foundation.foxlight.skulklogs.agent.source.FileTailer.ReadFrom;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real journal (opt-in: {@code SKULK_TEST_JOURNALD=1}, needs a running journald, {@code journalctl}
 * and {@code systemd-cat}): writes entries under a unique identifier and follows the system journal for them.
 * Checks what the fake journalctl of {@link JournaldSourceTest} assumes: byte-array messages (ANSI codes, invalid
 * UTF-8), messages over 4096 bytes (needs {@code --all}), and resuming from a saved cursor.
 */
@EnabledIfEnvironmentVariable(named = "SKULK_TEST_JOURNALD", matches = "1",
        disabledReason = "needs a running journald with journalctl and systemd-cat; run with SKULK_TEST_JOURNALD=1 where there is one")
class JournaldRealJournalTest {
    @TempDir
    Path dir;

    @Test
    void followsTheRealJournalAndResumesFromTheSavedCursor() throws Exception {
        String tag = "skulk-logs-test-" + UUID.randomUUID().toString().substring(0, 8);
        Vertx vertx = Vertx.vertx();
        AgentMetrics metrics = new AgentMetrics(new SimpleMeterRegistry());
        JournaldCursorStore cursors = JournaldCursorStore.open(dir.resolve("cursor.json"));
        JournaldConfig d = JournaldConfig.defaults(true);
        JournaldConfig config = new JournaldConfig(true, d.command(), false, "", tag, ReadFrom.END,
                "@" + (System.currentTimeMillis() / 1000 - 1), d.maxLineBytes(), d.maxBatchBytes(), d.maxBatchLines(),
                Duration.ofMillis(100), Duration.ofSeconds(1));
        String longLine = "{\"msg\":\"" + "x".repeat(5000) + "\"}";
        try (DiskBuffer buffer = DiskBuffer.open(new BufferConfig(dir.resolve("buf"), 64L << 20, 8L << 20, FsyncPolicy.never()))) {
            JournaldSource source = new JournaldSource(vertx, config, cursors, buffer, new EventEnricher("node-a"), metrics);
            join(source.start());
            log(tag, "{\"level\":\"INFO\",\"msg\":\"hello\"}\n\u001b[31mred\u001b[0m\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            log(tag, new byte[] {'b', 'a', 'd', ' ', (byte) 0xFF, '\n'});
            log(tag, (longLine + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).until(() -> source.linesAppended() == 4);
            List<LogEvent> events = events(buffer);
            assertThat(events.get(0).get("msg")).isEqualTo("hello");
            assertThat(events.get(1).get("msg")).isEqualTo("\u001b[31mred\u001b[0m");
            assertThat(events.get(2).get(PipelineFields.INVALID_UTF8)).isEqualTo(Boolean.TRUE);
            assertThat(events.get(3).get("msg")).isEqualTo("x".repeat(5000));
            buffer.sync();
            source.commitDurable(buffer.durableId());
            join(source.stop());
            assertThat(cursors.savedCursor()).isPresent();

            log(tag, "{\"msg\":\"after restart\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            JournaldSource again = new JournaldSource(vertx, config, JournaldCursorStore.open(dir.resolve("cursor.json")),
                    buffer, new EventEnricher("node-a"), metrics);
            join(again.start());
            await().atMost(Duration.ofSeconds(30)).until(() -> again.linesAppended() == 1);
            assertThat(again.lastCommand()).anyMatch(a -> a.startsWith("--after-cursor="));
            assertThat(events(buffer)).extracting(e -> e.get("msg")).containsExactly("after restart");
            join(again.stop());
        } finally {
            join(vertx.close());
        }
    }

    private static void log(String tag, byte[] bytes) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("systemd-cat", "-t", tag).start();
        try (OutputStream out = p.getOutputStream()) {
            out.write(bytes);
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static List<LogEvent> events(DiskBuffer buffer) throws Exception {
        List<LogEvent> events = new ArrayList<>();
        for (BufferRecord r : buffer.read(10_000, 64L << 20)) {
            events.addAll(BatchCodec.decode(r.payload()).events());
        }
        return events;
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
