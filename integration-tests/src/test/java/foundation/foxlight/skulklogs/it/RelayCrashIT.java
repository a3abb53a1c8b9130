package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.LineId;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.KafkaProbe;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 the relay (a real OS process) 10 times mid-batch while lines keep flowing, then run two relays in
 * one consumer group and kill one: every line reaches VictoriaLogs, exactly once by {@code log.event_id};
 * duplicates (from replaying what was delivered but not yet committed) are counted and bounded. Nothing missing means no offset was ever
 * committed past an undelivered line.
 */
class RelayCrashIT extends PipelineTestBase {
    private static final int KILLS = 10;

    private KafkaProbe kafka;
    private final Tenant tenant = Tenant.random();
    private final List<LauncherProcess> started = new java.util.ArrayList<>();

    @BeforeEach
    void connectProbe() {
        kafka = new KafkaProbe(pipeline.bootstrapServers());
    }

    private LauncherProcess startRelay(String name) throws Exception {
        Path config = dir.resolve("relay.yaml");
        StringBuilder yaml = new StringBuilder("kafka:\n  commit_hold_back: 300ms\n  properties:\n    session.timeout.ms: 6000\n"
                + "    heartbeat.interval.ms: 1000\nbatch:\n  max_lines: 2000\nevent_ids: true\n");
        if (!tenant.isDefault()) {
            yaml.append("victorialogs:\n  account_id: ").append(tenant.accountId()).append("\n  project_id: ").append(tenant.projectId()).append('\n');
        }
        Files.writeString(config, yaml);
        LauncherProcess p = LauncherProcess.start("relay", dir.resolve(name + ".log"), List.of("--config", config.toString(), "--kafka",
                pipeline.bootstrapServers(), "--victorialogs-url", store.baseUrl(), "--http", "off"));
        started.add(p);
        return p;
    }

    /** Every relay process this test started is gone afterwards, whatever happened. */
    @org.junit.jupiter.api.AfterEach
    void killRelays() throws InterruptedException {
        for (LauncherProcess p : started) {
            p.close();
        }
    }

    @Test
    void relayKilledRepeatedly_andARebalanceWithTwoRelays_everyLineArrives() throws Exception {
        Path file = dir.resolve("skulk.stdout.log");
        Files.createFile(file);
        pipeline.startAgent(pipeline.agentConfig(file, "relay-crash-node", UnaryOperator.identity()));
        SkulkWriter writer = SkulkWriter.start(file, "n1", 20, 20);

        PeakMemory.Table peaks = new PeakMemory.Table();
        Random random = new Random(ThreadLocalRandom.current().nextLong());
        for (int kill = 0; kill < KILLS; kill++) {
            try (LauncherProcess relay = startRelay("relay-" + kill)) {
                long before = store.count(tenant, "*");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> store.count(tenant, "*") > before);
                LockSupport.parkNanos(random.nextInt(1000) * 1_000_000L); // fault timing, not synchronisation
                relay.kill();
                peaks.add("relay (max of " + (KILLS + 2) + ")", relay.peakRssBytes());
            }
        }
        // Two relays in one group split the partitions; one is killed, the other takes its partitions over.
        LauncherProcess a = startRelay("relay-a");
        LauncherProcess b = startRelay("relay-b");
        long before = store.count(tenant, "*");
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") > before + 500);
        a.kill();
        peaks.add("relay (max of " + (KILLS + 2) + ")", a.peakRssBytes());
        long total = writer.stop();

        Map<Long, Integer> seen = new HashMap<>();
        Map<Long, java.util.Set<String>> eventIds = new HashMap<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            seen.clear();
            eventIds.clear();
            for (Map<String, String> row : store.query(tenant, "*")) {
                long seq = Long.parseLong(row.get("seq"));
                seen.merge(seq, 1, Integer::sum);
                eventIds.computeIfAbsent(seq, k -> new java.util.HashSet<>()).add(row.get("log.event_id"));
            }
            return seen.size() == total;
        });
        peaks.add("relay (max of " + (KILLS + 2) + ")", b.peakRssBytes());
        assertThat(b.stop()).isIn(0, 143);
        List<LineId> copies = new java.util.ArrayList<>();
        seen.forEach((seq, n) -> java.util.Collections.nCopies(n, new LineId("n1", seq)).forEach(copies::add));
        ScenarioReport.record("3 relay kill -9 x" + KILLS + ", then 2 relays in a group, 1 killed",
                new DeliveryAccounting().written("n1", total).account(copies, List.of()), peaks.addThisJvm().asMap());
        long duplicates = seen.values().stream().mapToLong(n -> n - 1).sum();
        System.out.printf("RelayCrashIT: %d kills + 1 in a two-relay group, %d lines written, %d delivered, %d duplicates%n", KILLS,
                total, seen.size(), duplicates);
        for (long s = 0; s < total; s++) {
            assertThat(seen).as("line %d", s).containsKey(s);
        }
        assertThat(duplicates).isLessThan((KILLS + 1) * 10_000L);
        // Exactly once at query time: every copy of a line carries the same log.event_id, and no two lines share one
        // (the LogsQL of docs/operations.md "Finding duplicates after a crash" then removes every replayed copy).
        assertThat(eventIds.values()).allSatisfy(ids -> assertThat(ids).hasSize(1).doesNotContainNull());
        assertThat(eventIds.values().stream().map(ids -> ids.iterator().next()).distinct().count()).isEqualTo(total);
    }
}
