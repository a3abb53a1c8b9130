package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.matrix.Accounts;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Skulk's internal mode: Skulk spawns {@code skulk-logs agent --stdin} and pipes its JSON lines in. When Skulk exits
 * (the pipe closes), the agent stops by itself, as Vector does; the agent that Skulk's next run spawns, on the same
 * state directory and port, then starts, and every line of both runs arrives. An agent that kept running after the end
 * of its input would hold the buffer's lock and the port, the next spawn would fail, and Skulk, its pipe broken, would
 * stop writing JSON for that whole run.
 */
class SkulkInternalModeIT extends PipelineTestBase {
    private static final Pattern STOPS = Pattern.compile("stdin, the only source, has ended \\(end of input\\): the agent stops");

    private static final Pattern WAITS = Pattern.compile("already in use .*; waiting up to 30 s for it to be released");

    private final Tenant tenant = Tenant.random();
    private List<String> spawn;

    /** What Skulk spawns: the same state directory and port every time (8687 in real life, a free one here). */
    @BeforeEach
    void startRelay() throws Exception {
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        spawn = List.of("--stdin", "--kafka", pipeline.bootstrapServers(), "--node-id", "spawned", "--state-dir", dir.resolve("state").toString(),
                "--http", "127.0.0.1:" + port);
    }

    @Test
    void whenSkulkExitsItsAgentStops_andTheNextRunsAgentShipsEverything() throws Exception {
        for (int run = 0; run < 2; run++) {
            try (LauncherProcess agent = LauncherProcess.start("agent", dir.resolve("agent-" + run + ".log"), spawn)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> agent.httpBaseUrl().isPresent());
                SkulkWriter.writeLines(agent.stdin(), "spawned", run * 1000L, 1000);
                agent.stdin().close(); // Skulk exits
                await().atMost(Duration.ofSeconds(60)).until(() -> !agent.isAlive());
                assertThat(agent.stop()).as("exit code").isZero();
                assertThat(agent.logged(STOPS)).isTrue();
            }
        }
        assertEveryLineArrived(2000);
    }

    /**
     * A new agent spawned while the previous one still runs (or stops) waits for its port and buffer instead of failing,
     * and drains Skulk's pipe meanwhile.
     */
    @Test
    void theNextRunsAgentWaitsForThePreviousOne() throws Exception {
        try (LauncherProcess previous = LauncherProcess.start("agent", dir.resolve("agent-previous.log"), spawn);
                LauncherProcess next = startWhenPreviousReady(previous)) {
            SkulkWriter.writeLines(previous.stdin(), "spawned", 0, 1000);
            await().atMost(Duration.ofSeconds(60)).until(() -> next.logged(WAITS));
            // Skulk's new run logs while its agent waits: more than the pipe holds (64 KiB), and the writes never block.
            CompletableFuture.runAsync(() -> {
                try {
                    SkulkWriter.writeLines(next.stdin(), "spawned", 1000, 1000);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            previous.stdin().close(); // Skulk's previous run exits
            await().atMost(Duration.ofSeconds(60)).until(() -> next.httpBaseUrl().isPresent());
            await().atMost(Duration.ofSeconds(60)).until(() -> !previous.isAlive()); // it released its port just before exiting
            assertThat(previous.stop()).as("the previous agent's exit code").isZero();
            next.stdin().close();
            await().atMost(Duration.ofSeconds(60)).until(() -> !next.isAlive());
            assertThat(next.stop()).as("exit code").isZero();
        }
        assertEveryLineArrived(2000);
    }

    private LauncherProcess startWhenPreviousReady(LauncherProcess previous) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> previous.httpBaseUrl().isPresent());
        return LauncherProcess.start("agent", dir.resolve("agent-next.log"), spawn);
    }

    private void assertEveryLineArrived(long lines) {
        DeliveryAccounting accounting = new DeliveryAccounting().written("spawned", lines);
        DeliveryAccounting.Account account = Accounts.await(() -> accounting.accountRows(store.query(tenant, "*"), List.of()),
                a -> a.missing() == 0, Duration.ofMinutes(2));
        assertThat(account.missing()).as("%s", account).isZero();
        assertThat(account.unexpected() + account.unidentified()).as("%s", account).isZero();
    }
}
