package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.matrix.Accounts;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.KeptLogs;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.pipeline.SkulkLines;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1, steady state: four Skulk nodes (four agent processes with distinct node ids, each tailing its own
 * file) write realistic Skulk lines at a steady pace through one relay. Ten minutes of a busy node's output
 * (20 lines/s: 12,000 lines per node) compressed into ~20 s; in soak mode ({@code -Dskulk.soak=true}) 10 minutes at
 * 100 lines/s per node. Every line must arrive exactly once.
 */
class SteadyStateIT extends PipelineTestBase {
    private static final int NODES = 4;
    /** Ten minutes at 20 lines/s; five times that in soak mode. */
    private static final long LINES_PER_NODE = ScenarioReport.soak(12_000, 5);
    /** 600 lines/s per node (compressed); in soak mode 100 lines/s, i.e. 10 real minutes. */
    private static final int BURST = ScenarioReport.SOAK ? 10 : 60;

    private final List<LauncherProcess> agents = new ArrayList<>();

    @AfterEach
    void killAgents() throws InterruptedException {
        for (LauncherProcess p : agents) {
            p.close();
        }
    }

    @Test
    void fourNodesWritingSteadily_everyLineOnce() throws Exception {
        Tenant tenant = Tenant.random();
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        List<SkulkWriter> writers = new ArrayList<>();
        DeliveryAccounting accounting = new DeliveryAccounting();
        for (int n = 1; n <= NODES; n++) {
            String node = "steady-" + n;
            Path file = dir.resolve(node + ".stdout.log");
            Files.createFile(file);
            agents.add(LauncherProcess.start("agent", dir.resolve("agent-" + node + ".log"), List.of("--file", file.toString(), "--kafka",
                    pipeline.bootstrapServers(), "--node-id", node, "--state-dir", dir.resolve("state-" + node).toString(), "--http", "off")));
            writers.add(SkulkWriter.to(file).lines(new SkulkLines(node, node)).pace(BURST, 100).limit(LINES_PER_NODE).start());
        }
        // The writers stop by themselves after LINES_PER_NODE lines (20 s; 10 minutes in soak mode).
        await().atMost(Duration.ofSeconds(LINES_PER_NODE / (BURST * 10) * 3 + 60)).until(() -> writers.stream().noneMatch(SkulkWriter::isRunning));
        for (int n = 0; n < NODES; n++) {
            long written = writers.get(n).stop();
            accounting.written("steady-" + (n + 1), written);
            assertThat(written).as("node %d wrote all its lines", n + 1).isEqualTo(LINES_PER_NODE);
        }

        DeliveryAccounting.Account account = Accounts.awaitEveryLine(() -> accounting.accountRows(store.query(tenant, "*"), List.of()),
                Duration.ofMinutes(3));
        PeakMemory.Table peaks = new PeakMemory.Table();
        for (LauncherProcess agent : agents) {
            peaks.add("agent (max of " + NODES + ")", agent.peakRssBytes());
            assertThat(agent.stop()).as("agent exit status after SIGTERM").isIn(0, 143);
        }
        KeptLogs.keep(dir, "SteadyStateIT");
        ScenarioReport.record("1 steady state, " + NODES + " nodes x " + LINES_PER_NODE + " lines", account, peaks.addThisJvm().asMap());

        assertThat(account.missing()).as("%s", account).isZero();
        assertThat(account.duplicates()).as("no fault, no duplicate: %s", account).isZero();
        assertThat(account.unexpected() + account.unidentified()).as("rows that are no written line: %s", account).isZero();
        assertThat(account.delivered()).isEqualTo(NODES * LINES_PER_NODE);
    }
}
