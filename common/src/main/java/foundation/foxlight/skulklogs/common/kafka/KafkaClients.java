package foundation.foxlight.skulklogs.common.kafka;

import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of every Kafka client skulk-logs creates. An operator's {@code kafka.properties} (tuning, other
 * security settings) pass through to each client type that knows them (by Kafka's own config definitions); the
 * typed {@link KafkaSecurity} settings (TLS, SASL) are given to every client type; the settings delivery depends
 * on are applied last and cannot be overridden: producers are idempotent with {@code acks=all} and unlimited
 * retries, consumers never auto-commit. Stateless.
 */
public final class KafkaClients {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

    private KafkaClients() {
    }

    /**
     * A producer of String keys and byte[] values.
     *
     * @param tuning   our defaults for this producer (batching, timeouts); the operator's properties win over them
     * @param security TLS and SASL settings ({@link KafkaSecurity#none()} for none)
     * @param operator the operator's pass-through {@code kafka.properties}
     */
    public static Map<String, String> safeProducer(String bootstrap, String clientId, String compression, Map<String, String> tuning,
            KafkaSecurity security, Map<String, String> operator) {
        Map<String, String> p = new HashMap<>(tuning);
        p.put("compression.type", compression);
        p.putAll(known(operator, ProducerConfig.configNames()));
        p.putAll(security.clientProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        p.merge(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
                (mine, dflt) -> Integer.parseInt(mine) > 5 ? dflt : mine); // idempotence allows at most 5
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * A Vert.x producer of String keys and byte[] values with {@code config} (from {@link #safeProducer}). Each send's
     * outcome is handled through its own future; the stream's exception handler only logs at DEBUG, because without
     * one vertx-kafka-client 5 reports every failed send a second time as an "Unhandled exception" ERROR (each
     * heartbeat while Kafka is unreachable, for one).
     */
    public static KafkaProducer<String, byte[]> producer(Vertx vertx, Map<String, String> config) {
        KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx, config);
        producer.exceptionHandler(t -> LOG.debug("{}: send failed: {}", config.get(ProducerConfig.CLIENT_ID_CONFIG), t.toString()));
        return producer;
    }

    /** A consumer of String keys and byte[] values that commits only when told to. */
    public static Map<String, String> manualCommitConsumer(String bootstrap, String clientId, String groupId, Map<String, String> tuning,
            KafkaSecurity security, Map<String, String> operator) {
        Map<String, String> p = new HashMap<>(tuning);
        p.putAll(known(operator, ConsumerConfig.configNames()));
        p.putAll(security.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** An admin client for health checks: quick timeouts, the operator's security settings. */
    public static Map<String, Object> healthCheckAdmin(String bootstrap, KafkaSecurity security, Map<String, String> operator) {
        Map<String, Object> p = new HashMap<>(known(operator, AdminClientConfig.configNames()));
        p.putAll(security.clientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        return p;
    }

    private static Map<String, String> known(Map<String, String> operator, Set<String> names) {
        Map<String, String> out = new HashMap<>();
        operator.forEach((k, v) -> {
            if (names.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
