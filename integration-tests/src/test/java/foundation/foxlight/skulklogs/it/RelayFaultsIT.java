package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.it.matrix.DeadLetter;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.InProcessPipeline;
import foundation.foxlight.skulklogs.it.pipeline.KafkaProbe;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsStandIn;
import foundation.foxlight.skulklogs.relay.Relay;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay against a failing VictoriaLogs (the stand-in's fault injection; skipped on a real server):
 * after each fault every line is in the store exactly once or in the dead-letter topic with a reason, and
 * offsets are never committed past an undelivered line.
 */
class RelayFaultsIT extends PipelineTestBase {
    private static final String GROUP = "skulk-logs-relay";

    private VictoriaLogsStandIn standIn;
    private KafkaProbe kafka;
    private final Tenant tenant = Tenant.DEFAULT;
    private Path file;
    private int written;

    @BeforeEach
    void requireStandIn() {
        Assumptions.assumeTrue(store.standIn().isPresent(),
                "fault injection needs the in-repo stand-in; VictoriaLogs here is " + store.kind());
        standIn = store.standIn().orElseThrow();
        kafka = new KafkaProbe(pipeline.bootstrapServers());
        file = dir.resolve("skulk.stdout.log");
    }

    private Relay startRelay(UnaryOperator<foundation.foxlight.skulklogs.common.config.ConfigReader> tweak) throws Exception {
        return pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, tweak));
    }

    private Agent startAgent() throws Exception {
        return pipeline.startAgent(pipeline.agentConfig(file, "fault-node", UnaryOperator.identity()));
    }

    /** Appends {@code n} lines; a line whose number is in {@code poison} says "poison". */
    private void write(int n, java.util.Set<Integer> poison) throws Exception {
        StringBuilder b = new StringBuilder();
        String ts = Instant.now().toString();
        for (int i = written; i < written + n; i++) {
            b.append("{\"ts\": \"").append(ts).append("\", \"level\": \"INFO\", \"node_id\": \"fault-node\", \"component\": \"worker\", ")
                    .append("\"msg\": \"").append(poison.contains(i) ? "poison " : "line ").append(i).append("\", \"seq\": ").append(i).append("}\n");
        }
        Files.writeString(file, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written += n;
    }

    private Map<String, Integer> storedSeqCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (Map<String, String> row : store.query(tenant, "*")) {
            counts.merge(row.get("seq"), 1, Integer::sum);
        }
        return counts;
    }

    private void assertStoredExactlyOnce(java.util.Set<Integer> except) {
        Map<String, Integer> counts = storedSeqCounts();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < written; i++) {
            int expected = except.contains(i) ? 0 : 1;
            int got = counts.getOrDefault(String.valueOf(i), 0);
            if (got != expected) {
                wrong.add(i + " stored " + got + "x");
            }
        }
        assertThat(wrong).as("lines not stored exactly once").isEmpty();
    }

    /** Records the scenario's row: every written line against the store and the dead-letter topic. */
    private DeliveryAccounting.Account record(String scenario) {
        List<DeadLetter> dead = kafka.readAll(InProcessPipeline.DEAD_LETTER_TOPIC).stream().map(r -> DeadLetter.parse(r.value())).toList();
        DeliveryAccounting.Account account = new DeliveryAccounting().written("fault-node", written).accountRows(store.query(tenant, "*"), dead);
        ScenarioReport.record(scenario, account, new PeakMemory.Table().addThisJvm().asMap());
        return account;
    }

    private long totalLogRecords() {
        return kafka.endOffsetSum(InProcessPipeline.TOPIC);
    }

    private long committedSum() throws Exception {
        return kafka.committed(GROUP, InProcessPipeline.TOPIC).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Scenario 5: down for 10 s (5 minutes in soak mode) with a backlog of 40 insert batches (400 in soak mode). What a
     * long outage puts at risk besides the data is the relay's place in its group: Kafka drops a consumer that does not
     * poll within {@code max.poll.interval.ms} (5 minutes by default). Here that limit is 4 s, so the outage is more than
     * twice it: the relay must keep polling (partitions paused) and keep its partitions throughout.
     */
    @Test
    void storeDownForAWhileThenBack_nothingCommittedWhileDown_everyLineOnce() throws Exception {
        int batchLines = 500;
        int backlog = (int) ScenarioReport.soak(20_000, 10);
        Duration down = ScenarioReport.SOAK ? Duration.ofMinutes(5) : Duration.ofSeconds(10);
        standIn.goDown();
        Relay relay = startRelay(r -> r.override("batch.max_lines", String.valueOf(batchLines))
                .overrideKey("kafka.properties", "max.poll.interval.ms", "4000"));
        Agent agent = startAgent();
        write(backlog, java.util.Set.of());
        await().atMost(Duration.ofSeconds(120)).until(() -> agent.metrics().linesShippedTotal() == backlog);
        // The relay is retrying; with the store down nothing may be committed, for the whole outage.
        await().during(down).atMost(down.plusSeconds(30)).until(() -> committedSum() == 0);
        assertThat(relay.metrics().linesOutTotal()).isZero();
        assertThat(relay.metrics().partitionsRevokedTotal()).as("partitions taken from the relay while the store was down").isZero();

        standIn.comeUp();
        await().atMost(Duration.ofMinutes(3)).until(() -> store.count(tenant, "*") >= backlog);
        assertStoredExactlyOnce(java.util.Set.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> committedSum() == totalLogRecords());
        record("5 VictoriaLogs down " + down.toSeconds() + " s, backlog " + backlog / batchLines + " batches");
    }

    @Test
    void throttledAndOverloaded_retriedUntilDelivered_everyLineOnce() throws Exception {
        standIn.failNextRequests(4, 429);
        startRelay(UnaryOperator.identity());
        startAgent();
        write(2000, java.util.Set.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") >= 2000);
        standIn.failNextRequests(4, 503);
        write(2000, java.util.Set.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") >= 4000);
        assertThat(standIn.injectedFailures()).isEqualTo(8);
        assertStoredExactlyOnce(java.util.Set.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> committedSum() == totalLogRecords());
        record("6 VictoriaLogs 429 x4 + 503 x4");
    }

    @Test
    void linesThatMakeTheStoreRefuseARequest_goToTheDeadLetterTopicWithAReason_theRestOnce() throws Exception {
        java.util.Set<Integer> poison = new java.util.HashSet<>();
        for (int i = 7; i < 3000; i += 97) {
            poison.add(i);
        }
        standIn.refuseRequestsWithLinesMatching(line -> line.contains("poison"));
        Relay relay = startRelay(UnaryOperator.identity());
        startAgent();
        write(3000, poison);
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.metrics().deadLetteredTotal() == poison.size()
                && store.count(tenant, "*") >= 3000 - poison.size());
        assertStoredExactlyOnce(poison);

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readAll(InProcessPipeline.DEAD_LETTER_TOPIC);
        assertThat(dead).hasSize(poison.size());
        java.util.Set<String> deadSeqs = new java.util.HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            JsonObject doc = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
            assertThat(doc.getString("reason")).contains("400");
            deadSeqs.add(String.valueOf(new JsonObject(doc.getString("line")).getLong("seq")));
        }
        assertThat(deadSeqs).containsExactlyInAnyOrderElementsOf(poison.stream().map(String::valueOf).toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> committedSum() == totalLogRecords());
        DeliveryAccounting.Account account = record("6 VictoriaLogs 400 for " + poison.size() + " poison lines");
        assertThat(account.deadLettered()).as("%s", account).isEqualTo(poison.size());
        assertThat(account.missing()).as("%s", account).isZero();
    }

    @Test
    void undecodableRecords_goToTheDeadLetterTopic_andNeverBlockTheirPartition() throws Exception {
        startRelay(UnaryOperator.identity());
        for (int p = 0; p < 3; p++) {
            kafka.produce(InProcessPipeline.TOPIC, ("poison-" + p).getBytes(StandardCharsets.UTF_8),
                    "this is not a batch".getBytes(StandardCharsets.UTF_8));
        }
        byte[] futureVersion = {'S', 'K', 'L', 'B', 9, 0, 0};
        kafka.produce(InProcessPipeline.TOPIC, "future".getBytes(StandardCharsets.UTF_8), futureVersion);
        startAgent();
        write(1000, java.util.Set.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") >= 1000);
        assertStoredExactlyOnce(java.util.Set.of());
        List<String> reasons = kafka.readAll(InProcessPipeline.DEAD_LETTER_TOPIC).stream()
                .map(r -> new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getString("reason")).toList();
        assertThat(reasons).hasSize(4).anyMatch(r -> r.contains("bad magic"))
                .anyMatch(r -> r.contains("unsupported batch format version 9"));
        await().atMost(Duration.ofSeconds(30)).until(() -> committedSum() == totalLogRecords());
    }

    @Test
    void slowButWithinTheTimeout_deliveredOnce() throws Exception {
        standIn.respondSlowly(Duration.ofMillis(1500));
        startRelay(UnaryOperator.identity());
        startAgent();
        write(1500, java.util.Set.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") >= 1500);
        assertStoredExactlyOnce(java.util.Set.of());
        record("6 VictoriaLogs slow (1.5 s per request)");
    }

    @Test
    void eventIdsMakeReplaysFindable_slowerThanTheTimeoutIsAtLeastOnce() throws Exception {
        standIn.respondSlowly(Duration.ofSeconds(3));
        startRelay(r -> r.override("event_ids", "true").override("victorialogs.request_timeout", "1s"));
        startAgent();
        write(500, java.util.Set.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> store.count(tenant, "*") >= 500);
        standIn.clear();
        await().atMost(Duration.ofSeconds(60)).until(() -> storedSeqCounts().size() == 500);
        // Every line at least once; each copy of a line carries the same event id.
        Map<String, java.util.Set<String>> idsBySeq = new HashMap<>();
        for (Map<String, String> row : store.query(tenant, "*")) {
            assertThat(row.get("log.event_id")).isNotBlank();
            idsBySeq.computeIfAbsent(row.get("seq"), k -> new java.util.HashSet<>()).add(row.get("log.event_id"));
        }
        assertThat(idsBySeq).hasSize(500);
        assertThat(idsBySeq.values()).allMatch(ids -> ids.size() == 1);
        assertThat(idsBySeq.values().stream().map(ids -> ids.iterator().next()).distinct().count()).isEqualTo(500);
    }
}
