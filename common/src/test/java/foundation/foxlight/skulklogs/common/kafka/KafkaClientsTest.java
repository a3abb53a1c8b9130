package foundation.foxlight.skulklogs.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    private static final Map<String, String> OPERATOR = Map.ofEntries(
            Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
            Map.entry("ssl.truststore.location", "/etc/ts.jks"), Map.entry("acks", "1"), Map.entry("enable.idempotence", "false"),
            Map.entry("retries", "0"), Map.entry("max.in.flight.requests.per.connection", "20"), Map.entry("linger.ms", "50"),
            Map.entry("enable.auto.commit", "true"), Map.entry("group.id", "theirs"), Map.entry("max.poll.records", "10"));

    @Test
    void producersKeepTheOperatorsSecurityAndTuningButNeverLoseTheirSafety() {
        Map<String, String> p = KafkaClients.safeProducer("k:9092", "agent-1", "zstd", Map.of("linger.ms", "5", "batch.size", "1000"),
                KafkaSecurity.none(), OPERATOR);
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/ts.jks")
                .containsEntry("linger.ms", "50") // operator tuning wins over ours
                .containsEntry("batch.size", "1000")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("retries", String.valueOf(Integer.MAX_VALUE))
                .containsEntry("max.in.flight.requests.per.connection", "5")
                .containsEntry("compression.type", "zstd").containsEntry("bootstrap.servers", "k:9092");
        assertThat(p).doesNotContainKeys("enable.auto.commit", "group.id", "max.poll.records"); // consumer-only
    }

    @Test
    void consumersNeverAutoCommitAndGetOnlyConsumerSettings() {
        Map<String, String> c = KafkaClients.manualCommitConsumer("k:9092", "relay-1", "skulk-logs-relay", Map.of("max.poll.records", "500"),
                KafkaSecurity.none(), OPERATOR);
        assertThat(c).containsEntry("enable.auto.commit", "false").containsEntry("group.id", "skulk-logs-relay")
                .containsEntry("max.poll.records", "10").containsEntry("security.protocol", "SASL_SSL");
        assertThat(c).doesNotContainKeys("acks", "enable.idempotence", "linger.ms");
    }

    @Test
    void healthChecksUseTheOperatorsSecurityWithQuickTimeouts() {
        Map<String, Object> a = KafkaClients.healthCheckAdmin("k:9092", KafkaSecurity.none(), OPERATOR);
        assertThat(a).containsEntry("security.protocol", "SASL_SSL").containsEntry("request.timeout.ms", "3000")
                .doesNotContainKeys("acks", "linger.ms", "group.id");
    }

    @Test
    void typedSecurityReachesEveryClientType() {
        KafkaSecurity sasl = new KafkaSecurity(KafkaSecurity.Protocol.SASL_PLAINTEXT, KafkaSecurity.SaslMechanism.PLAIN, "agent", "pw",
                null, null, null, null, null, null, true);
        Map<String, String> expected = sasl.clientProperties();
        assertThat(expected).containsEntry("security.protocol", "SASL_PLAINTEXT").containsKey("sasl.jaas.config");
        assertThat(KafkaClients.safeProducer("k:9092", "a", "zstd", Map.of(), sasl, Map.of("linger.ms", "1"))).containsAllEntriesOf(expected);
        assertThat(KafkaClients.manualCommitConsumer("k:9092", "r", "g", Map.of(), sasl, Map.of())).containsAllEntriesOf(expected);
        assertThat(KafkaClients.healthCheckAdmin("k:9092", sasl, Map.of())).containsAllEntriesOf(expected);
    }

    @Test
    void aFailedSendIsReportedThroughItsFutureOnly_notAsAnUnhandledException() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> config = KafkaClients.safeProducer("127.0.0.1:" + closedPort, "test", "none", Map.of("max.block.ms", "200"),
                KafkaSecurity.none(), Map.of());
        Vertx vertx = Vertx.vertx();
        try {
            List<Throwable> unhandled = new CopyOnWriteArrayList<>();
            vertx.exceptionHandler(unhandled::add);
            assertThat(unhandledAfterAFailedSend(vertx, unhandled, () -> KafkaClients.producer(vertx, config))).isEmpty();
            // What the exception handler prevents: the library reports the same failure once more ("Unhandled exception" ERROR)
            assertThat(unhandledAfterAFailedSend(vertx, unhandled, () -> KafkaProducer.create(vertx, config))).isNotEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Creates a producer on a context, lets one send fail, and returns what reached Vert.x's exception handler by then. */
    private static List<Throwable> unhandledAfterAFailedSend(Vertx vertx, List<Throwable> unhandled,
            Supplier<KafkaProducer<String, byte[]>> create) throws Exception {
        unhandled.clear();
        Context ctx = vertx.getOrCreateContext();
        CompletableFuture<KafkaProducer<String, byte[]>> producer = new CompletableFuture<>();
        ctx.runOnContext(v -> producer.complete(create.get()));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        ctx.runOnContext(v -> producer.join().send(KafkaProducerRecord.create("t", "k", new byte[1]))
                .onComplete(ar -> failure.complete(ar.cause())));
        assertThat(failure.get(30, TimeUnit.SECONDS)).as("the send's own outcome").isNotNull();
        // The library queues its report on the producer's context before it fails the send: a task queued now runs after it
        CompletableFuture<Void> after = new CompletableFuture<>();
        ctx.runOnContext(v -> after.complete(null));
        after.get(30, TimeUnit.SECONDS);
        producer.join().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return List.copyOf(unhandled);
    }
}
