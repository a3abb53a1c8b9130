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
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 9a, the disk under the agent's buffer fills up — a laptop whose disk is nearly full: a real agent process
 * with the default buffer caps (512 MiB, 64 MiB segments) and its state directory on a 4 MiB tmpfs.
 * <ol>
 *   <li>Kafka up: twice the disk's size flows through the buffer; what Kafka acknowledged is given back
 *       when the disk is full, so shipping never stops.</li>
 *   <li>Kafka down and the disk filled by something else: the file is paused (its lines stay in it), /health says
 *       the disk is full, {@code skulk_agent_buffer_disk_full_total} counts the refusals, nothing is dropped.</li>
 *   <li>Space freed and Kafka back: every line arrives.</li>
 * </ol>
 * Stdin (Skulk's internal mode, {@code drop_newest}): Skulk is never blocked; the lines that found no space are dropped
 * and counted with the reason {@code disk_full}, and exactly those are missing.
 */
class DiskFullIT extends PipelineTestBase {
    private static final long DISK = 4L * 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Tenant tenant = Tenant.random();
    private Tmpfs tmpfs;
    private LauncherProcess agent;

    @AfterEach
    void stopAgentAndUnmount() throws Exception {
        TearDown.closeInOrder(agent, tmpfs);
    }

    @Test
    void file_diskFillsUp_pausedNotDropped_nothingLost() throws Exception {
        Path file = dir.resolve("skulk.stdout.log");
        Files.createFile(file);
        startAgent("full-node", "--file", file.toString());
        long total;
        long readWhileFull;
        String healthWhileFull;
        try (SkulkWriter skulk = SkulkWriter.start(file, "full-node", 100, 20)) {
            // 1. Twice the disk through the buffer while Kafka takes it
            long throughBuffer = 2 * DISK;
            await().atMost(Duration.ofMinutes(3)).until(() -> Files.size(file) >= throughBuffer);
            await().atMost(Duration.ofMinutes(2)).until(() -> metrics().count("skulk_agent_lines_shipped_total") * 200 >= throughBuffer);

            // 2. Kafka down, and something else fills the disk
            pipeline.stopBroker();
            long refusedBefore = metrics().count("skulk_agent_buffer_disk_full_total");
            tmpfs.fillLeaving(64 * 1024);
            await().atMost(Duration.ofMinutes(2)).until(() -> health().statusCode() == 503);
            healthWhileFull = health().body();
            assertThat(healthWhileFull).contains("no space left");
            assertThat(metrics().count("skulk_agent_buffer_disk_full_total")).isGreaterThan(refusedBefore);
            readWhileFull = metrics().count("skulk_agent_lines_read_total");
            long writtenWhileFull = skulk.written();
            await().atMost(Duration.ofMinutes(1)).until(() -> skulk.written() >= writtenWhileFull + 5_000);
            assertThat(metrics().count("skulk_agent_lines_read_total")).as("lines read while the disk was full").isEqualTo(readWhileFull);

            // 3. Space again, Kafka back
            tmpfs.free();
            pipeline.restartBroker();
            await().atMost(Duration.ofMinutes(1)).until(() -> health().statusCode() == 200);
            total = skulk.stop();
        }
        DeliveryAccounting accounting = new DeliveryAccounting().written("full-node", total);
        DeliveryAccounting.Account account = Accounts.awaitEveryLine(() -> accounting.accountRows(store.query(tenant, "*"), List.of()),
                Duration.ofMinutes(3));
        MetricsPage m = metrics();
        long refusals = m.count("skulk_agent_buffer_disk_full_total");
        long dropped = m.count("skulk_agent_lines_dropped_total");
        PeakMemory.Table peaks = new PeakMemory.Table().add("agent", agent.peakRssBytes());
        assertThat(agent.stop()).isIn(0, 143);
        KeptLogs.keep(dir, "DiskFullIT");
        ScenarioReport.record("9a disk under the agent's buffer full (4 MiB disk, default caps), file", account,
                peaks.addThisJvm().asMap());
        System.out.printf("DiskFullIT: %d lines, %d bytes; %d appends refused for lack of space; read %d when the disk was full; %s%n",
                total, Files.size(file), refusals, readWhileFull, account);

        assertThat(account.missing()).as("%s", account).isZero();
        assertThat(dropped).as("lines dropped").isZero();
        assertThat(account.unexpected() + account.unidentified()).as("%s", account).isZero();
    }

    @Test
    void stdin_diskFull_dropsExactlyWhatItCountsAsDiskFull() throws Exception {
        startAgent("stdin-node", "--stdin");
        OutputStream stdin = agent.stdin();
        long written = SkulkWriter.writeLines(stdin, "stdin-node", 0, 2_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") >= 2_000);

        pipeline.stopBroker();
        tmpfs.fillLeaving(64 * 1024);
        long atFull = written;
        while (metricsCount("skulk_agent_lines_dropped_total", "reason=\"disk_full\"") == 0 || written < atFull + 5_000) {
            written = SkulkWriter.writeLines(stdin, "stdin-node", written, 500); // Skulk's pace, never blocked
            LockSupport.parkNanos(50_000_000L);
            assertThat(written - atFull).as("lines written to a full disk before any was dropped as disk_full").isLessThan(200_000);
        }
        HttpResponse<String> health = health();
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        assertThat(health.body()).contains("no space left");

        tmpfs.free();
        pipeline.restartBroker();
        await().atMost(Duration.ofMinutes(2)).until(() -> metrics().sum("skulk_agent_buffer_unacked_records", "") == 0);
        long outageEnd = written;
        written = SkulkWriter.writeLines(stdin, "stdin-node", written, 2_000);
        long total = written;
        await().atMost(Duration.ofMinutes(1)).until(() -> health().statusCode() == 200);
        DeliveryAccounting accounting = new DeliveryAccounting().written("stdin-node", total);
        DeliveryAccounting.Account account = Accounts.await(() -> accounting.countedDrops(metrics().count("skulk_agent_lines_dropped_total"))
                .accountRows(store.query(tenant, "*"), List.of()), a -> a.missing() == 0, Duration.ofMinutes(3));
        List<java.util.Map<String, String>> rows = store.query(tenant, "*");
        DeliveryAccounting.Account before = new DeliveryAccounting().written("stdin-node", 0, atFull).accountRows(rows, List.of());
        DeliveryAccounting.Account after = new DeliveryAccounting().written("stdin-node", outageEnd, total).accountRows(rows, List.of());
        long diskFullDrops = metricsCount("skulk_agent_lines_dropped_total", "reason=\"disk_full\"");
        PeakMemory.Table peaks = new PeakMemory.Table().add("agent", agent.peakRssBytes());
        stdin.close();
        assertThat(agent.stop()).isIn(0, 143);
        KeptLogs.keep(dir, "DiskFullIT-stdin");
        ScenarioReport.record("9a disk under the agent's buffer full (4 MiB disk, default caps), stdin", account, peaks.addThisJvm().asMap());
        System.out.printf("DiskFullIT stdin: %d lines, %d dropped as disk_full; %s%n", total, diskFullDrops, account);

        assertThat(diskFullDrops).as("lines dropped as disk_full").isPositive();
        assertThat(account.countedDrops()).as("every drop has the reason disk_full").isEqualTo(diskFullDrops);
        assertThat(account.missing()).as("lines not found beyond those counted as dropped: %s", account).isZero();
        assertThat(account.unexpected() + account.unidentified()).as("%s", account).isZero();
        assertThat(before.notFound()).as("lines written before the disk was full: %s", before).isZero();
        assertThat(after.notFound()).as("lines written after space was freed: %s", after).isZero();
    }

    /**
     * No file can be created on the agent's disk any more (every inode taken), so its checkpoints (temp file + rename)
     * cannot be written, though appending to the buffer still works: lines keep flowing, /health says so, and once
     * files can be created again the checkpoints catch up.
     */
    @Test
    void file_checkpointsCannotBeWritten_linesStillShipped_healthSaysSo() throws Exception {
        tmpfs = Tmpfs.mountWithInodes(dir.resolve("disk"), 64L * 1024 * 1024, 64);
        Path file = dir.resolve("skulk.stdout.log");
        Files.createFile(file);
        startAgentOnMountedDisk("ckpt-node", "--file", file.toString());
        long total;
        try (SkulkWriter skulk = SkulkWriter.start(file, "ckpt-node", 50, 20)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> metrics().count("skulk_agent_lines_shipped_total") >= 2_000);
            tmpfs.fillInodes();
            await().atMost(Duration.ofSeconds(30)).until(() -> health().statusCode() == 503);
            String body = health().body();
            assertThat(body).contains("\"checkpoints\"", "cannot be written", "No space left");
            long shipped = metrics().count("skulk_agent_lines_shipped_total");
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics().count("skulk_agent_lines_shipped_total") >= shipped + 2_000);

            tmpfs.free();
            await().atMost(Duration.ofSeconds(30)).until(() -> health().statusCode() == 200);
            total = skulk.stop();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> metrics().count("skulk_agent_lines_shipped_total") >= total);
        DeliveryAccounting accounting = new DeliveryAccounting().written("ckpt-node", total);
        DeliveryAccounting.Account account = Accounts.awaitEveryLine(() -> accounting.accountRows(store.query(tenant, "*"), List.of()),
                Duration.ofMinutes(2));
        assertThat(agent.stop()).isIn(0, 143);
        KeptLogs.keep(dir, "DiskFullIT-checkpoints");
        System.out.printf("DiskFullIT checkpoints: %s%n", account);
        assertThat(account.missing()).as("%s", account).isZero();
        assertThat(Files.readString(dir.resolve("agent.log"))).contains("checkpoints written again after");
    }

    /** Mounts the small disk, starts the relay and an agent ({@code args} name its source) with its state on that disk. */
    private void startAgent(String nodeId, String... args) throws Exception {
        tmpfs = Tmpfs.mount(dir.resolve("disk"), DISK);
        startAgentOnMountedDisk(nodeId, args);
    }

    private void startAgentOnMountedDisk(String nodeId, String... args) throws Exception {
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        List<String> all = new ArrayList<>(List.of("--kafka", pipeline.bootstrapServers(), "--node-id", nodeId,
                "--state-dir", tmpfs.path().resolve("state").toString(), "--http", "127.0.0.1:0"));
        all.addAll(List.of(args));
        agent = LauncherProcess.start("agent", dir.resolve("agent.log"), all);
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.httpBaseUrl().isPresent());
    }

    private long metricsCount(String name, String labels) {
        return (long) metrics().sum(name, labels);
    }

    private MetricsPage metrics() {
        return MetricsPage.scrape(agent.httpBaseUrl().orElseThrow());
    }

    private HttpResponse<String> health() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(agent.httpBaseUrl().orElseThrow() + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
