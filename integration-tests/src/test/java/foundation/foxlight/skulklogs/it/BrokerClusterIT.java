package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.it.kafka.InProcessServices;
import foundation.foxlight.skulklogs.it.kafka.KafkaNodeProcess;
import foundation.foxlight.skulklogs.it.matrix.Accounts;
import foundation.foxlight.skulklogs.it.matrix.DeadLetter;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.KafkaProbe;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaCluster;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #5, scenario 4: a three-node KRaft cluster (every node broker and controller; topics with replication
 * factor 3 and {@code min.insync.replicas=2}) under a steady stream of lines with unique sequence numbers.
 * Nodes 1 and 2 run in this JVM, node 3 is a {@code skulk-logs broker} process, so that it can be killed for real.
 * <ol>
 *   <li>4a: node 3, leader of at least one partition, is killed (SIGKILL) under load; lines keep arriving through
 *       the other two; node 3 comes back on the same ports and data and rejoins every ISR.</li>
 *   <li>4b: nodes 1 and 2 stop (controlled): one replica left, below {@code min.insync.replicas} (and the
 *       controllers lose their majority), so no record can be acknowledged; the agent keeps the lines in its disk
 *       buffer while its producer retries; both come back.</li>
 * </ol>
 * Then every line written is in the store: exactly once, or counted as a duplicate; nothing missing, nothing
 * dead-lettered, nothing dropped. {@code -Dskulk.soak=true} keeps each outage five times longer.
 */
class BrokerClusterIT extends StoreTestBase {
    private static final String TOPIC = "skulk-logs";
    private static final int PROCESS_NODE = 3;

    private EmbeddedKafkaCluster cluster;
    private LauncherProcess node3;
    private InProcessServices services;
    private final Tenant tenant = Tenant.random();

    @BeforeEach
    void startClusterOfThree() throws Exception {
        cluster = EmbeddedKafkaCluster.plan(dir.resolve("kafka"), "127.0.0.1", 3, Map.of());
        node3 = KafkaNodeProcess.start(cluster.node(PROCESS_NODE), dir.resolve("broker-3.log"));
        cluster.start(1, 2);
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == 3);
            Topics.ensure(cluster.bootstrapServers(), Map.of(TOPIC, 3, "skulk-logs-deadletter", 1, "skulk-logs-status", 1), (short) 3);
            // The controller has the topic once ensure returns; the broker the admin asks may learn of it a moment later.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !leaders(admin).contains(-1));
        }
        services = new InProcessServices(cluster.bootstrapServers(), dir);
    }

    @AfterEach
    void stopEverything() throws Exception {
        // The cluster before node 3: the controllers keep their majority during the controlled stops.
        TearDown.closeInOrder(services, cluster, node3); // then the store (StoreTestBase)
    }

    @Test
    void aNodeKilledUnderLoad_thenTwoOfThreeDown_noLineLost() throws Exception {
        long outageLines = ScenarioReport.soak(2_000, 5);
        String node;
        try (Admin admin = admin()) {
            // Any broker may answer, and each learns the topic's metadata in its own time: ask until one knows.
            node = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> nodeIdOnAPartitionLedBy(PROCESS_NODE, leaders(admin)), java.util.Objects::nonNull);
        }
        Path file = dir.resolve("skulk.stdout.log");
        Files.createFile(file);
        services.startRelay(services.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        Agent agent = services.startAgent(services.agentConfig(file, node, UnaryOperator.identity())).service();
        SkulkWriter writer = SkulkWriter.start(file, node, 10, 20);
        long killedAt;
        long twoDownAt;
        long total;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") > 500);

            // 4a: kill -9 node 3, the leader of the partition the agent writes to (its records are keyed by node id), under load.
            killedAt = writer.written();
            node3.kill();
            long deliveredAtKill = store.count(tenant, "*");
            await().atMost(Duration.ofSeconds(90)).until(() -> writer.written() > killedAt + outageLines
                    && store.count(tenant, "*") > deliveredAtKill + outageLines / 2);
            try (Admin admin = admin()) {
                assertThat(leaders(admin)).as("leaders while node 3 is dead").doesNotContain(PROCESS_NODE).doesNotContain(-1);
            }
            node3 = KafkaNodeProcess.start(cluster.node(PROCESS_NODE), dir.resolve("broker-3.log"));
            try (Admin admin = admin()) {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> partitions(admin).stream().allMatch(p -> p.isr().size() == 3));
            }

            // 4b: two of three down: below min.insync.replicas, and no controller majority.
            twoDownAt = writer.written();
            cluster.stop(1);
            cluster.stop(2);
            long shippedAtStop = agent.metrics().linesShippedTotal();
            // Kafka acknowledges until the second stop returns (a controlled stop takes a while): the outage starts here.
            long bothDownAt = writer.written();
            await().atMost(Duration.ofSeconds(90)).until(() -> writer.written() > bothDownAt + outageLines);
            long read = agent.metrics().linesReadTotal();
            long shipped = agent.metrics().linesShippedTotal();
            long unacked = agent.buffer().stats().unackedRecords();
            System.out.printf("BrokerClusterIT: two of three down: %d lines read, %d acknowledged by Kafka (%d when the nodes stopped), "
                    + "%d buffer records unacknowledged%n", read, shipped, shippedAtStop, unacked);
            assertThat(read).as("the agent keeps reading into its disk buffer").isGreaterThan(bothDownAt + outageLines / 2);
            assertThat(read - shipped).as("lines the agent holds, unacknowledged, while no write can be acknowledged")
                    .isGreaterThan(outageLines / 2);
            assertThat(unacked).isPositive();
            cluster.start(1, 2);
        } finally {
            total = writer.stop();
        }

        KafkaProbe kafka = new KafkaProbe(cluster.bootstrapServers());
        DeliveryAccounting all = new DeliveryAccounting().written(node, total);
        DeliveryAccounting.Account account = Accounts.awaitEveryLine(
                () -> all.accountRows(store.query(tenant, "*"), deadLetters(kafka)), Duration.ofMinutes(2));
        List<Map<String, String>> rows = store.query(tenant, "*");
        List<DeadLetter> dead = deadLetters(kafka);
        DeliveryAccounting.Account killed = new DeliveryAccounting().written(node, 0, twoDownAt).accountRows(rows, dead);
        DeliveryAccounting.Account twoDown = new DeliveryAccounting().written(node, twoDownAt, total).accountRows(rows, dead);
        Map<String, Long> memory = new PeakMemory.Table().add("broker node 3 (process)", node3.peakRssBytes()).addThisJvm().asMap();
        ScenarioReport.record("4a broker of 3 killed under load", killed, memory);
        ScenarioReport.record("4b two of 3 brokers down", twoDown, memory);
        System.out.printf("BrokerClusterIT: killed at line %d, two down from line %d, %d written: %s%n", killedAt, twoDownAt, total, account);

        assertThat(account.missing()).as("lines missing: %s", account).isZero();
        assertThat(killed.missing()).isZero();
        assertThat(twoDown.missing()).isZero();
        assertThat(account.deadLettered()).isZero();
        assertThat(account.delivered()).isEqualTo(total);
        assertThat(agent.metrics().linesDroppedTotal()).isZero();
        assertThat(account.duplicates()).as("duplicates come only from replays; bounded").isLessThan(total);
    }

    /**
     * A node id whose records (keyed by node id, Kafka's default partitioner: murmur2 of the key) go to a partition
     * that {@code broker} leads, so that killing that broker hits the partition under load.
     */
    private static String nodeIdOnAPartitionLedBy(int broker, List<Integer> leaders) {
        assertThat(leaders).as("partitions node %d leads", broker).contains(broker);
        for (int i = 0; ; i++) {
            String candidate = "cluster-node-" + i;
            int partition = Utils.toPositive(Utils.murmur2(candidate.getBytes(StandardCharsets.UTF_8))) % leaders.size();
            if (leaders.get(partition) == broker) {
                return candidate;
            }
        }
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers(), "request.timeout.ms", "5000",
                "default.api.timeout.ms", "10000"));
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC).partitions();
    }

    /** The leader of each partition of the log topic (-1 for none). */
    private static List<Integer> leaders(Admin admin) throws Exception {
        return partitions(admin).stream().map(p -> p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id()).toList();
    }

    private static List<DeadLetter> deadLetters(KafkaProbe kafka) {
        return kafka.readAll("skulk-logs-deadletter").stream().map(r -> DeadLetter.parse(r.value())).toList();
    }
}
