package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.agent.config.FileSourceConfig;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.LineId;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kill -9 the agent (a real OS process) at random moments, 20 times, while Skulk keeps appending. After a
 * final restart every line is in Kafka; duplicates come only from replay of what was in flight to Kafka (bounded).
 * (Kafka is the agent's destination; the relay's side is covered by {@link PipelineIT} and {@link RelayFaultsIT}.)
 */
class AgentCrashIT extends AgentKillLoop {
    private static final int KILLS = 20;

    private LauncherProcess startAgent(Path file) throws Exception {
        return LauncherProcess.start("agent", dir.resolve("agent.log"), List.of("--file", file.toString(), "--kafka", pipeline.bootstrapServers(),
                "--node-id", "crash-node", "--state-dir", dir.resolve("state").toString(), "--http", "off"));
    }

    @Test
    void killedTwentyTimesWhileSkulkWrites_everyLineReachesKafka() throws Exception {
        Path file = dir.resolve("skulk.stdout.log");
        Files.createFile(file);
        SkulkWriter writer = SkulkWriter.start(file, "crash-node", 50, 5);

        PeakMemory.Table peaks = new PeakMemory.Table();
        killRepeatedly(KILLS, () -> startAgent(file), run -> peaks.add("agent (max of " + (KILLS + 1) + " runs)", run.peakRssBytes()));
        long total = writer.stop();

        agent = startAgent(file);
        Map<Long, Integer> seen = awaitEveryLine(total);
        peaks.add("agent (max of " + (KILLS + 1) + " runs)", agent.peakRssBytes());
        // SIGTERM: the JVM exits with 128+15 after the shutdown hook ran; the log says whether the stop was clean.
        assertThat(agent.stop()).as("exit status after SIGTERM").isIn(0, 143);
        assertThat(Files.readString(dir.resolve("agent.log"))).contains("stopped cleanly");
        List<LineId> copies = new java.util.ArrayList<>();
        seen.forEach((seq, n) -> java.util.Collections.nCopies(n, new LineId("crash-node", seq)).forEach(copies::add));
        ScenarioReport.record("2 agent kill -9 x" + KILLS + " while writing (to Kafka)",
                new DeliveryAccounting().written("crash-node", total).account(copies, List.of()), peaks.addThisJvm().asMap());
        long duplicates = seen.values().stream().mapToLong(n -> n - 1).sum();
        System.out.printf("AgentCrashIT: %d kills, %d lines written, %d delivered, %d duplicates from replay%n", KILLS, total,
                seen.size(), duplicates);
        for (long s = 0; s < total; s++) {
            assertThat(seen).as("line %d", s).containsKey(s);
        }
        // A kill replays only what Kafka had stored but not yet acknowledged to the agent: acknowledgements are remembered
        // within milliseconds (the buffer's ack.mark) and file positions at every append (file-checkpoints.json.hint), so
        // neither waits for the next checkpoint. Measured: 0-733 duplicates per kill on average over a run, where one batch
        // (one buffer record: max_batch_bytes of this file's lines) is ~1,840 lines; before, ~2,450. The structural limit
        // is the sink's in-flight window (a kill during the catch-up after a restart can hit a full one), so the bound
        // asserted leaves room for that: two batches per kill on average.
        long linesPerBatch = FileSourceConfig.DEFAULT_MAX_BATCH_BYTES * total / Files.size(file);
        System.out.printf("AgentCrashIT: %.1f duplicates per kill; one batch = %d lines%n", (double) duplicates / KILLS, linesPerBatch);
        assertThat(duplicates).isLessThanOrEqualTo(2 * KILLS * linesPerBatch);
    }
}
