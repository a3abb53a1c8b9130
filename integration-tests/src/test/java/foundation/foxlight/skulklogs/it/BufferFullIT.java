package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.matrix.Accounts;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.KeptLogs;
import foundation.foxlight.skulklogs.it.matrix.LineId;
import foundation.foxlight.skulklogs.it.pipeline.InProcessPipeline;
import foundation.foxlight.skulklogs.it.pipeline.KafkaProbe;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.pipeline.MetricsPage;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 9, the agent's disk buffer full: a real agent process with a tiny buffer (256 KiB, above the minimum of
 * 2 x (max_batch_bytes + max_line_bytes)) while Kafka is down (the broker stopped) far longer than the buffer lasts.
 * {@code block} (files): the file stops being read, the rest waits in the file, nothing is lost once Kafka is back.
 * {@code drop_newest} (stdin, Skulk's internal mode): Skulk is never blocked; the lines that did not fit are dropped
 * and counted, and exactly those are missing — everything else arrives.
 */
class BufferFullIT extends PipelineTestBase {
    private static final String TINY_BUFFER = "buffer:\n  max_bytes: 256KiB\n  segment_bytes: 32KiB\n  fsync: 20ms\n"
            + "kafka:\n  retry_backoff_max: 1s\n";
    /** Lines written while Kafka is down: several times what 256 KiB hold (~1,500 lines). */
    private static final long OUTAGE_LINES = ScenarioReport.soak(6_000, 20);

    private final Tenant tenant = Tenant.random();
    private final List<LauncherProcess> agents = new ArrayList<>();
    private final PeakMemory.Table peaks = new PeakMemory.Table();

    @BeforeEach
    void startRelay() throws Exception {
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
    }

    @AfterEach
    void killAgents() throws InterruptedException {
        for (LauncherProcess p : agents) {
            p.close();
        }
    }

    private LauncherProcess startAgent(String name, String yaml, String... args) throws Exception {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, yaml);
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--kafka", pipeline.bootstrapServers(), "--node-id", name,
                "--state-dir", dir.resolve("state-" + name).toString(), "--http", "127.0.0.1:0"));
        all.addAll(List.of(args));
        LauncherProcess p = LauncherProcess.start("agent", dir.resolve("agent-" + name + ".log"), all);
        agents.add(p);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.httpBaseUrl().isPresent());
        return p;
    }

    private static MetricsPage metrics(LauncherProcess agent) {
        return MetricsPage.scrape(agent.httpBaseUrl().orElseThrow());
    }

    @Test
    void block_fileSourceStopsReading_nothingLost() throws Exception {
        Path file = dir.resolve("block.stdout.log");
        Files.createFile(file);
        LauncherProcess agent = startAgent("block-node", TINY_BUFFER + "sources:\n  files:\n    max_batch_bytes: 32KiB\n    max_line_bytes: 32KiB\n",
                "--file", file.toString());
        long total;
        long readWhenBack;
        try (SkulkWriter skulk = SkulkWriter.start(file, "block-node", 100, 50)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") >= 500);
            pipeline.stopBroker();
            long atStop = skulk.written();
            await().atMost(Duration.ofMinutes(5)).until(() -> skulk.written() >= atStop + OUTAGE_LINES);
            // The agent stopped reading: far fewer lines read than written, and the buffer within its limit.
            MetricsPage m = metrics(agent);
            readWhenBack = m.count("skulk_agent_lines_read_total");
            assertThat(readWhenBack).as("lines read while Kafka was down (written %d)", skulk.written()).isLessThan(skulk.written() - OUTAGE_LINES / 2);
            assertThat(m.sum("skulk_agent_buffer_bytes", "")).isLessThanOrEqualTo(256 * 1024);
            pipeline.restartBroker();
            total = skulk.stop();
        }
        DeliveryAccounting accounting = new DeliveryAccounting().written("block-node", total);
        DeliveryAccounting.Account account = Accounts.awaitEveryLine(() -> accounting.accountRows(store.query(tenant, "*"), List.of()),
                Duration.ofMinutes(3));
        long dropped = metrics(agent).count("skulk_agent_lines_dropped_total");
        peaks.add("agent", agent.peakRssBytes());
        assertThat(agent.stop()).isIn(0, 143);
        KeptLogs.keep(dir, "BufferFullIT-block");
        ScenarioReport.record("9 buffer full (256 KiB, Kafka down), block, file", account, peaks.addThisJvm().asMap());
        System.out.printf("BufferFullIT block: read %d of %d lines when Kafka came back; %s; copies in Kafka: %s%n", readWhenBack, total,
                account, new DeliveryAccounting().written("block-node", total).account(kafkaLines(), List.of()));

        assertThat(account.missing()).as("%s", account).isZero();
        assertThat(dropped).as("lines dropped in block mode").isZero();
        assertThat(account.unexpected() + account.unidentified()).as("%s", account).isZero();
    }

    @Test
    void dropNewest_stdinNeverBlocks_dropsExactlyWhatItCounts() throws Exception {
        LauncherProcess agent = startAgent("drop-node", TINY_BUFFER + "sources:\n  stdin:\n    when_full: drop_newest\n"
                + "    max_batch_bytes: 32KiB\n    max_line_bytes: 32KiB\n  files:\n    max_batch_bytes: 32KiB\n    max_line_bytes: 32KiB\n",
                "--stdin");
        long written = 0;
        OutputStream stdin = agent.stdin();
        written = writeStdin(stdin, written, 1000);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") >= 1000);
        pipeline.stopBroker();
        long atStop = written;
        while (written < atStop + OUTAGE_LINES) {
            written = writeStdin(stdin, written, 500); // Skulk's pace: 500 lines every 50 ms, never blocked
            LockSupport.parkNanos(50_000_000L);
        }
        assertThat(metrics(agent).count("skulk_agent_lines_dropped_total")).as("lines dropped while Kafka was down").isPositive();
        pipeline.restartBroker();
        long outageEnd = written;
        // Once the buffer drained, lines are accepted again.
        await().atMost(Duration.ofMinutes(2)).until(() -> metrics(agent).sum("skulk_agent_buffer_unacked_records", "") == 0);
        written = writeStdin(stdin, written, 1000);
        long total = written;
        DeliveryAccounting accounting = new DeliveryAccounting().written("drop-node", total);
        DeliveryAccounting.Account account = Accounts.await(() -> accounting.countedDrops(metrics(agent).count("skulk_agent_lines_dropped_total"))
                .accountRows(store.query(tenant, "*"), List.of()), a -> a.missing() == 0, Duration.ofMinutes(3));
        List<java.util.Map<String, String>> rows = store.query(tenant, "*");
        DeliveryAccounting.Account before = new DeliveryAccounting().written("drop-node", 0, atStop).accountRows(rows, List.of());
        DeliveryAccounting.Account after = new DeliveryAccounting().written("drop-node", outageEnd, total).accountRows(rows, List.of());
        peaks.add("agent", agent.peakRssBytes());
        stdin.close();
        assertThat(agent.stop()).isIn(0, 143);
        KeptLogs.keep(dir, "BufferFullIT-drop_newest");
        ScenarioReport.record("9 buffer full (256 KiB, Kafka down), drop_newest, stdin", account, peaks.addThisJvm().asMap());
        System.out.printf("BufferFullIT drop_newest: %s%n", account);

        assertThat(account.countedDrops()).as("lines dropped and counted").isPositive();
        assertThat(account.missing()).as("lines not found beyond those counted as dropped: %s", account).isZero();
        assertThat(account.unexpected() + account.unidentified()).as("%s", account).isZero();
        assertThat(before.notFound()).as("lines written before the outage: %s", before).isZero();
        assertThat(after.notFound()).as("lines written after the buffer drained: %s", after).isZero();
    }

    /** Every line in the log topic (one entry per copy), to tell the agent's duplicates from the relay's. */
    private List<LineId> kafkaLines() throws Exception {
        List<LineId> ids = new ArrayList<>();
        for (var r : new KafkaProbe(pipeline.bootstrapServers()).readAll(InProcessPipeline.TOPIC)) {
            for (LogEvent e : BatchCodec.decode(r.value()).events()) {
                ids.add(new LineId(String.valueOf(e.get("node_id")), ((Number) e.get("seq")).longValue()));
            }
        }
        return ids;
    }

    private static long writeStdin(OutputStream stdin, long from, int n) throws Exception {
        return SkulkWriter.writeLines(stdin, "drop-node", from, n);
    }
}
