package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.agent.source.JournaldConfig;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * kill -9 the agent while it follows the real systemd journal (opt-in: {@code SKULK_TEST_JOURNALD=1}, needs a running
 * journald, {@code journalctl} and {@code systemd-cat}; without them it is skipped, as its condition says). A writer
 * logs numbered lines through {@code systemd-cat} under a unique identifier; after the kills and a final restart every
 * line is in Kafka once at least, and the replays per kill are bounded: the agent resumes from the cursor it noted
 * after each append ({@code journald-cursor.json.hint}) when the buffer kept that record, else from the checkpointed
 * cursor.
 */
@EnabledIfEnvironmentVariable(named = "SKULK_TEST_JOURNALD", matches = "1",
        disabledReason = "needs a running journald with journalctl and systemd-cat; run with SKULK_TEST_JOURNALD=1 where there is one")
class JournaldCrashIT extends AgentKillLoop {
    private static final int KILLS = 10;

    /** Numbered lines into the journal through one long-running {@code systemd-cat} (a service's stdout stream). */
    private static final class JournalWriter {
        private final Process cat;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong written = new AtomicLong();
        private final Thread thread;

        JournalWriter(String tag, String nodeId) throws IOException {
            cat = new ProcessBuilder("systemd-cat", "-t", tag).start();
            thread = new Thread(() -> {
                try (OutputStream out = cat.getOutputStream()) {
                    long seq = 0;
                    while (running.get()) {
                        for (int i = 0; i < 50; i++) {
                            out.write(SkulkWriter.simpleLine(nodeId, seq++));
                            out.write('\n');
                        }
                        out.flush();
                        written.set(seq);
                        LockSupport.parkNanos(5_000_000L); // the writer's pace, not synchronisation
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "journal-writer");
            thread.start();
        }

        /** Stops writing, waits until systemd-cat handed everything to journald, and says how many lines it wrote. */
        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            assertThat(cat.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return written.get();
        }
    }

    private int runs;

    private LauncherProcess startAgent(Path config) throws Exception {
        return LauncherProcess.start("agent", dir.resolve("agent-" + ++runs + ".log"), List.of("--config", config.toString(), "--journald",
                "--kafka", pipeline.bootstrapServers(), "--node-id", "journal-node", "--state-dir", dir.resolve("state").toString(),
                "--http", "off", "--env-file", "/dev/null"));
    }

    @Test
    void killedWhileFollowingTheJournal_everyLineReachesKafka() throws Exception {
        String tag = "skulk-crash-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                sources:
                  journald:
                    user: false
                    unit: ""
                    identifier: %s
                    read_from: beginning
                """.formatted(tag));
        JournalWriter writer = new JournalWriter(tag, "journal-node");
        killRepeatedly(KILLS, () -> startAgent(config), run -> { });
        long total = writer.stop();

        agent = startAgent(config);
        Map<Long, Integer> seen = awaitEveryLine(total);
        assertThat(agent.stop()).as("exit status after SIGTERM").isIn(0, 143);
        for (long s = 0; s < total; s++) {
            assertThat(seen).as("line %d", s).containsKey(s);
        }
        long duplicates = seen.values().stream().mapToLong(n -> n - 1).sum();
        long hinted = 0;
        for (int run = 1; run <= runs; run++) {
            hinted += Files.readString(dir.resolve("agent-" + run + ".log")).contains("journald resumes after the entries buffered") ? 1 : 0;
        }
        System.out.printf("JournaldCrashIT: %d kills, %d lines written, %d delivered, %d duplicates from replay (%.1f per kill); "
                + "%d restarts resumed from the cursor hint%n", KILLS, total, seen.size(), duplicates, (double) duplicates / KILLS, hinted);
        // Lines flow all the time, so a kill lands between two checkpoint saves: the hint is ahead of the saved cursor.
        assertThat(hinted).as("restarts that resumed from the hint").isPositive();
        // As for files (AgentCrashIT): what was in flight to Kafka is replayed, two batches per kill on average at most.
        assertThat(duplicates).isLessThanOrEqualTo(2L * KILLS * JournaldConfig.defaults(false).maxBatchLines());
    }
}
