package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.LineId;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Kafka goes away for a minute under load: the agent keeps reading into its (deliberately tiny) disk buffer until it is
 * full, then stops reading — the lines wait in Skulk's file — and once the broker is back (same port, same
 * data) every line arrives. Nothing is dropped in {@code block} mode.
 */
class BrokerOutageIT extends PipelineTestBase {
    @Test
    void brokerDownLongerThanTheBufferLasts_blockModeLosesNothing() throws Exception {
        Tenant tenant = Tenant.random();
        Path file = dir.resolve("skulk.stdout.log");
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        Agent agent = pipeline.startAgent(pipeline.agentConfig(file, "outage-node",
                r -> r.override("buffer.max_bytes", "1MiB").override("buffer.segment_bytes", "128KiB")
                        .override("sources.files.max_batch_bytes", "64KiB").override("sources.files.max_line_bytes", "64KiB")));
        long total;
        // The broker stays down for a minute (five in soak mode), at up to 1,000 lines/s.
        Duration outage = Duration.ofSeconds(ScenarioReport.soak(60, 5));
        try (SkulkWriter writer = SkulkWriter.start(file, "outage-node", 10, 10)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") > 1000);
            pipeline.stopBroker();
            long stoppedAt = System.nanoTime();
            long atStop = writer.written();
            // Much more than the 1 MiB buffer holds is written while Kafka is away...
            await().atMost(outage.plusSeconds(120)).until(() -> writer.written() > atStop + 30_000);
            // ...so the agent fills its buffer and then stops reading: the rest waits in the file.
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.metrics().linesReadTotal() < writer.written() - 10_000);
            assertThat(agent.buffer().stats().bytesOnDisk()).isLessThanOrEqualTo(1024 * 1024);
            await().atMost(outage.plusSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> System.nanoTime() - stoppedAt >= outage.toNanos());
            assertThat(agent.buffer().stats().bytesOnDisk()).isLessThanOrEqualTo(1024 * 1024);
            pipeline.restartBroker();
            total = writer.stop();
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> store.count(tenant, "*") >= total);
        Map<String, Integer> seen = new HashMap<>();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            seen.clear();
            for (Map<String, String> row : store.query(tenant, "*")) {
                seen.merge(row.get("seq"), 1, Integer::sum);
            }
            return seen.size() == total;
        });
        for (long s = 0; s < total; s++) {
            assertThat(seen).as("line %d", s).containsKey(String.valueOf(s));
        }
        List<LineId> copies = new java.util.ArrayList<>();
        seen.forEach((seq, n) -> java.util.Collections.nCopies(n, new LineId("outage-node", Long.parseLong(seq))).forEach(copies::add));
        ScenarioReport.record("4 single broker down " + outage.toSeconds() + " s under load, restarted (block, 1 MiB buffer)",
                new DeliveryAccounting().written("outage-node", total).countedDrops(agent.metrics().linesDroppedTotal()).account(copies, List.of()),
                new PeakMemory.Table().addThisJvm().asMap());
        long duplicates = seen.values().stream().mapToLong(n -> n - 1).sum();
        System.out.printf("BrokerOutageIT: %d lines written, %d delivered, %d duplicates, dropped %d%n", total, seen.size(), duplicates,
                agent.metrics().linesDroppedTotal());
        assertThat(agent.metrics().linesDroppedTotal()).isZero();
    }
}
