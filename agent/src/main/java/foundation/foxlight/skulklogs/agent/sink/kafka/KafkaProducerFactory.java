package foundation.foxlight.skulklogs.agent.sink.kafka;

import foundation.foxlight.skulklogs.agent.config.KafkaSinkConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The producer settings that make delivery safe; user properties may add to them (TLS, SASL) but these defaults are deliberate. */
public final class KafkaProducerFactory {
    private KafkaProducerFactory() {
    }

    /**
     * Idempotent, {@code acks=all}, unlimited internal retries, compressed. A record counts as delivered only
     * when the broker's acknowledgement reaches the send callback.
     */
    public static Map<String, String> producerConfig(KafkaSinkConfig c, String clientId) {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", c.bootstrapServers());
        p.put("client.id", clientId);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("retries", String.valueOf(Integer.MAX_VALUE));
        p.put("compression.type", c.compression());
        p.put("linger.ms", "5");
        p.put("batch.size", String.valueOf(256 * 1024));
        p.put("max.request.size", String.valueOf(1024 * 1024));
        p.put("buffer.memory", String.valueOf(16 * 1024 * 1024)); // default 32 MiB; in-flight is bounded by max_in_flight anyway
        p.put("delivery.timeout.ms", "120000");
        p.put("request.timeout.ms", "30000");
        p.put("max.block.ms", "10000");
        p.put("reconnect.backoff.ms", "100");
        p.put("reconnect.backoff.max.ms", "5000");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.putAll(c.properties());
        return p;
    }

    /** Settings for the admin client used by health checks (shares address and security settings). */
    public static Map<String, Object> adminConfig(KafkaSinkConfig c) {
        Map<String, Object> p = new HashMap<>(c.properties());
        p.keySet().removeIf(k -> k.startsWith("key.") || k.startsWith("value.") || k.equals("acks") || k.startsWith("compression")
                || k.startsWith("enable.idempotence") || k.startsWith("linger") || k.startsWith("batch"));
        p.put("bootstrap.servers", c.bootstrapServers());
        p.put("request.timeout.ms", "3000");
        p.put("default.api.timeout.ms", "3000");
        return p;
    }
}
