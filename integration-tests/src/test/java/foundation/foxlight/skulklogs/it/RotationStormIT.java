package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.matrix.Accounts;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.KeptLogs;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 8, a rotation storm against a real agent process, in two phases. First, while Skulk writes, every 200-500
 * lines the file is rotated — at random either rename + create (to {@code .1}, as loguru or logrotate do) or
 * copytruncate (copy to {@code .1}, truncate in place). Then inode reuse: the agent is stopped, the file deleted and a
 * new one created (the file system usually hands out the freed inode number again, checked with {@code unix:ino}), new
 * lines written, and the agent started: its checkpoint must not apply to the new file (whose first lines would
 * otherwise be skipped). Every line must arrive, none twice.
 *
 * <p>The agent polls every 50 ms here: a tailer cannot see a file that was created and rotated away again between two
 * polls, so rotations are kept several polls apart.
 */
class RotationStormIT extends PipelineTestBase {
    private static final String NODE = "storm-node";
    private static final long STORM_LINES = ScenarioReport.soak(8_000, 10);
    private static final int INODE_ROUNDS = 3;

    private AgentProcessRuns agent;
    private final PeakMemory.Table peaks = new PeakMemory.Table();

    @BeforeEach
    void planAgentRuns() throws IOException {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "sources:\n  files:\n    poll_interval: 50ms\n");
        agent = new AgentProcessRuns(dir, NODE, pipeline.bootstrapServers(), List.of("--config", config.toString(), "--http", "off"), peaks);
    }

    @AfterEach
    void killAgent() throws Exception {
        TearDown.closeInOrder(agent); // null when the broker or the store did not start
    }

    @Test
    void renameCreateCopytruncateAndInodeReuse_everyLineOnce() throws Exception {
        Tenant tenant = Tenant.random();
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        Path file = dir.resolve("skulk.stdout.log");
        Path rotated = file.resolveSibling(file.getFileName() + ".1");
        Files.createFile(file);
        agent.start(file);

        // Phase 1: the storm. 1,000 lines/s; a rotation every 200-500 lines (0.2-0.5 s, i.e. 4-10 polls apart).
        Random random = new Random(ThreadLocalRandom.current().nextLong());
        long[] next = {200 + random.nextInt(300)};
        int[] renames = {0};
        int[] copytruncates = {0};
        SkulkWriter storm = SkulkWriter.to(file).node(NODE).pace(50, 50).limit(STORM_LINES).between((f, written) -> {
            if (written < next[0]) {
                return;
            }
            next[0] = written + 200 + random.nextInt(300);
            if (random.nextBoolean()) {
                Files.move(f, rotated, StandardCopyOption.REPLACE_EXISTING); // the writer creates the path anew
                renames[0]++;
            } else {
                Files.copy(f, rotated, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                copytruncates[0]++;
            }
        }).start();
        await().atMost(Duration.ofMinutes(10)).until(() -> !storm.isRunning());
        long written = storm.stop();

        // Phase 2: inode reuse while the agent is down.
        DeliveryAccounting accounting = new DeliveryAccounting().written(NODE, written);
        int inodeReused = 0;
        for (int round = 0; round < INODE_ROUNDS; round++) {
            long upTo = written;
            DeliveryAccounting soFar = new DeliveryAccounting().written(NODE, upTo);
            Accounts.awaitEveryLine(() -> soFar.accountRows(store.query(tenant, "*"), List.of()), Duration.ofMinutes(2));
            agent.stop();
            Object inode = Files.getAttribute(file, "unix:ino");
            Files.delete(file);
            Files.createFile(file);
            if (inode.equals(Files.getAttribute(file, "unix:ino"))) {
                inodeReused++;
            }
            long base = written;
            SkulkWriter again = SkulkWriter.to(file).lines(s -> SkulkWriter.simpleLine(NODE, base + s)).pace(100, 0).limit(300).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !again.isRunning());
            written += again.stop();
            agent.start(file);
        }
        accounting = new DeliveryAccounting().written(NODE, written);
        DeliveryAccounting finalAccounting = accounting;
        DeliveryAccounting.Account account = Accounts.awaitEveryLine(() -> finalAccounting.accountRows(store.query(tenant, "*"), List.of()),
                Duration.ofMinutes(3));
        agent.stop();
        KeptLogs.keep(dir, "RotationStormIT");
        ScenarioReport.record("8 rotation storm: " + renames[0] + " rename+create, " + copytruncates[0] + " copytruncate, "
                + INODE_ROUNDS + " delete+create (inode reused " + inodeReused + "x)", account, peaks.addThisJvm().asMap());
        System.out.printf("RotationStormIT: %d renames, %d copytruncates, inode reused %d of %d: %s%n", renames[0], copytruncates[0],
                inodeReused, INODE_ROUNDS, account);

        assertThat(renames[0]).isPositive();
        assertThat(copytruncates[0]).isPositive();
        assertThat(account.missing()).as("%s", account).isZero();
        assertThat(account.duplicates()).as("%s", account).isZero();
        assertThat(account.unexpected() + account.unidentified()).as("%s", account).isZero();
    }
}
