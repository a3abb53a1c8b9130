package foundation.foxlight.skulklogs.launcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionEvaluationListener;
import org.awaitility.core.EvaluatedCondition;
import org.awaitility.core.IgnoredException;
import org.awaitility.core.TimeoutEvent;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-process KRaft nodes form one cluster with replication 3 and min.insync.replicas 2; the partition
 * leader stops (controlled) while records are produced with acks=all, and comes back as the same node.
 */
class EmbeddedKafkaClusterTest {
    @TempDir
    Path dir;

    @Test
    void aClusterOfThreeKeepsAcceptingRecordsWhileItsLeaderIsAwayAndTakesItBack() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.plan(dir, "127.0.0.1", 3, Map.of()).start();
                Admin admin = adminFor(cluster.bootstrapServers())) {
            // Brokers register with the controller one by one after start: wait for all three.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3));
            Topics.ensure(cluster.bootstrapServers(), Map.of("t", 1), (short) 3);
            // Every broker learns of the new topic from the metadata log, one after the other.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                String minIsr = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "t"))).all()
                        .get(30, TimeUnit.SECONDS).values().iterator().next().get("min.insync.replicas").value();
                assertThat(minIsr).isEqualTo("2");
                assertThat(partition(admin).isr()).hasSize(3);
            });
            TopicPartitionInfo p0 = partition(admin);
            assertThat(p0.replicas()).hasSize(3);
            int leader = p0.leader().id();
            // Stops are bounded (Kafka's own controlled shutdown waits up to five minutes for the controllers).
            assertThat(cluster.broker(leader).brokerSideReachable()).isTrue();

            Properties p = new Properties();
            p.put("bootstrap.servers", cluster.bootstrapServers());
            p.put("acks", "all");
            p.put("enable.idempotence", "true");
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("t", "v" + i)).get(30, TimeUnit.SECONDS);
                }
                cluster.stop(leader);
                assertThat(cluster.runsHere(leader)).isFalse();
                // Bounds, not timings: a loaded 2-core CI machine elects new controllers and leaders slowly.
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .conditionEvaluationListener(stateOf("leader moved"))
                        .until(() -> partitionPerRunningNodes(cluster).leader().id() != leader);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .conditionEvaluationListener(stateOf("ISR shrunk"))
                        .until(() -> partitionPerRunningNodes(cluster).isr().size() == 2);
                for (int i = 50; i < 100; i++) {
                    producer.send(new ProducerRecord<>("t", "v" + i)).get(30, TimeUnit.SECONDS);
                }
                cluster.start(leader);
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().conditionEvaluationListener(stateOf("ISR back to 3"))
                        .until(() -> partition(admin).isr().size() == 3);
            }
            Properties c = new Properties();
            c.put("bootstrap.servers", cluster.bootstrapServers());
            c.put("key.deserializer", StringDeserializer.class.getName());
            c.put("value.deserializer", StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
                TopicPartition tp = new TopicPartition("t", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
                List<String> values = new java.util.ArrayList<>();
                while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                }
                assertThat(values).hasSize(100).startsWith("v0").endsWith("v99");
            }
        }
    }

    /** Prints what the cluster said when a wait ends in a timeout (the output file of a failed CI run shows it). */
    private static ConditionEvaluationListener<Object> stateOf(String waitingFor) {
        return new ConditionEvaluationListener<>() {
            @Override
            public void conditionEvaluated(EvaluatedCondition<Object> condition) {
            }

            @Override
            public void onTimeout(TimeoutEvent timeout) {
                System.out.println("timed out waiting for: " + waitingFor + " after " + timeout.getElapsedTimeInMS() + " ms; threads:");
                Thread.getAllStackTraces().forEach((thread, stack) -> {
                    System.out.println("\"" + thread.getName() + "\" " + thread.getState());
                    for (StackTraceElement frame : stack) {
                        System.out.println("    at " + frame);
                    }
                });
            }

            @Override
            public void exceptionIgnored(IgnoredException ignored) {
                System.out.println("while waiting for " + waitingFor + ": " + ignored.getThrowable());
            }
        };
    }

    /**
     * t-0 as the running nodes describe it, asked through a new client each time: a client that knew the stopped
     * node may keep waiting for it (a CI run saw "Timed out waiting for a node assignment" for 90 s).
     */
    private static TopicPartitionInfo partitionPerRunningNodes(EmbeddedKafkaCluster cluster) throws Exception {
        String running = cluster.nodes().stream().filter(n -> cluster.runsHere(n.nodeId())).map(KafkaNode::bootstrapServers)
                .collect(Collectors.joining(","));
        try (Admin a = adminFor(running)) {
            return partition(a);
        }
    }

    /** Short request timeouts: a request that went to a stopped node must not use up a whole wait of the test. */
    private static Admin adminFor(String bootstrapServers) {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", "5000", "default.api.timeout.ms", "10000"));
    }

    private static TopicPartitionInfo partition(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of("t")).allTopicNames().get(15, TimeUnit.SECONDS).get("t");
        System.out.println("partition t-0: " + d.partitions().get(0));
        return d.partitions().get(0);
    }
}
