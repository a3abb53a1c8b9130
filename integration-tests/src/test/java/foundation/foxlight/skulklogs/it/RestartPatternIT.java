package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.matrix.Accounts;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.KeptLogs;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.pipeline.MetricsPage;
import foundation.foxlight.skulklogs.it.pipeline.SkulkLines;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 7, Skulk's restart pattern (see the design notes): Skulk stops, its wrapper copies the last 5 MB of
 * {@code skulk.stdout.log} to {@code skulk.stdout.log.1} (cut by bytes, so it may start mid-line), truncates
 * {@code skulk.stdout.log} in place, and Skulk starts writing again — repeated, right after the last write, with the
 * real agent process tailing the file (so its last lines are usually still unread when the truncation happens). Two
 * of the cycles are bigger than 5 MB (the copy starts mid-line), and in two the agent is stopped (a reboot) across
 * the cycle. Every line must arrive exactly once: the unread end is taken from {@code .log.1}, nothing else of it.
 */
class RestartPatternIT extends PipelineTestBase {
    private static final long TAIL_COPY_BYTES = 5L * 1024 * 1024;
    private static final int CYCLES = (int) ScenarioReport.soak(10, 5);
    private static final String NODE = "restart-node";

    private AgentProcessRuns agent;
    private long recoveredBytes;
    private long unrecovered;
    private final PeakMemory.Table peaks = new PeakMemory.Table();

    @BeforeEach
    void planAgentRuns() {
        agent = new AgentProcessRuns(dir, NODE, pipeline.bootstrapServers(), List.of("--http", "127.0.0.1:0"), peaks);
    }

    @AfterEach
    void killAgent() throws Exception {
        TearDown.closeInOrder(agent); // null when the broker or the store did not start
    }

    /** Clean stop (SIGTERM), after reading its truncation counters. */
    private void stopAgent() throws InterruptedException {
        LauncherProcess running = agent.current();
        await().atMost(Duration.ofSeconds(60)).until(() -> running.httpBaseUrl().isPresent());
        MetricsPage m = MetricsPage.scrape(running.httpBaseUrl().orElseThrow());
        recoveredBytes += m.count("skulk_agent_truncation_recovered_bytes_total");
        unrecovered += m.count("skulk_agent_truncations_unrecovered_total");
        agent.stop();
    }

    /** The wrapper at Skulk's start: the last 5 MB to {@code .1} (by bytes), then truncate in place. Returns whether the copy starts mid-line. */
    private static boolean wrapperCycle(Path file) throws IOException {
        boolean midLine;
        Path copy = file.resolveSibling(file.getFileName() + ".1");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            long from = Math.max(0, size - TAIL_COPY_BYTES);
            ByteBuffer before = ByteBuffer.allocate(1);
            midLine = from > 0 && in.read(before, from - 1) == 1 && before.get(0) != '\n';
            long done = 0;
            while (done < size - from) {
                done += in.transferTo(from + done, size - from - done, out);
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        return midLine;
    }

    @Test
    void wrapperCopiesTheTailAndTruncates_repeatedly_everyLineOnce() throws Exception {
        Tenant tenant = Tenant.random();
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        Path file = dir.resolve("skulk.stdout.log");
        Files.createFile(file);
        SkulkLines gen = new SkulkLines(NODE, NODE);
        agent.start(file);
        long seq = 0;
        long cutMidLine = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            // A Skulk run: a few thousand lines, or (cycles 2 and 6) more than the 5 MB the wrapper keeps.
            long lines = cycle % 4 == 2 ? 26_000 : 2_000;
            long base = seq;
            SkulkWriter skulk = SkulkWriter.to(file).lines(s -> gen.line(base + s, Instant.now()).bytes()).pace(250, 50).limit(lines).start();
            await().atMost(Duration.ofMinutes(2)).until(() -> !skulk.isRunning());
            seq += skulk.stop();
            boolean reboot = cycle % 5 == 3;
            if (reboot) {
                stopAgent(); // the node reboots: the agent stops with Skulk, and starts after the wrapper ran
            }
            if (wrapperCycle(file)) {
                cutMidLine++;
            }
            if (reboot) {
                agent.start(file);
            }
        }
        long written = seq;
        DeliveryAccounting accounting = new DeliveryAccounting().written(NODE, written);
        DeliveryAccounting.Account account = Accounts.awaitEveryLine(() -> accounting.accountRows(store.query(tenant, "*"), List.of()),
                Duration.ofMinutes(3));
        stopAgent();
        KeptLogs.keep(dir, "RestartPatternIT");
        ScenarioReport.record("7 restart pattern: tail copy + truncate x" + CYCLES + " (2 across an agent restart)", account,
                peaks.addThisJvm().asMap());
        System.out.printf("RestartPatternIT: %d cycles, %d copies cut mid-line, %d bytes recovered from .log.1, %d unrecovered: %s%n",
                CYCLES, cutMidLine, recoveredBytes, unrecovered, account);

        assertThat(cutMidLine).as("copies of the last 5 MB that start mid-line").isPositive();
        assertThat(account.missing()).as("%s", account).isZero();
        assertThat(account.duplicates()).as("nothing of .log.1 shipped twice: %s", account).isZero();
        assertThat(account.unexpected() + account.unidentified()).as("rows that are no written line: %s", account).isZero();
        assertThat(unrecovered).as("truncations whose unread end was not found in .log.1").isZero();
        assertThat(recoveredBytes).as("bytes taken from .log.1 (the agent had not read them before the truncation)").isPositive();
    }
}
