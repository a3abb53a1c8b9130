package foundation.foxlight.skulklogs.agent.sink.kafka;

import foundation.foxlight.skulklogs.agent.config.KafkaSinkConfig;
import foundation.foxlight.skulklogs.common.kafka.KafkaClients;
import java.util.Map;

/**
 * The agent's producer: {@link KafkaClients#safeProducer} (idempotent, {@code acks=all}, unlimited internal
 * retries — not overridable) with the agent's tuning, which the operator's {@code kafka.properties} may change.
 * A record counts as delivered only when the broker's acknowledgement reaches the send callback.
 */
public final class KafkaProducerFactory {
    /** Batching and timeouts for a node: small memory, quick reconnects; in-flight data is bounded by max_in_flight. */
    static final Map<String, String> TUNING = Map.of(
            "linger.ms", "5",
            "batch.size", String.valueOf(256 * 1024),
            "max.request.size", String.valueOf(1024 * 1024),
            "buffer.memory", String.valueOf(16 * 1024 * 1024),
            "delivery.timeout.ms", "120000",
            "request.timeout.ms", "30000",
            "max.block.ms", "10000",
            "reconnect.backoff.ms", "100",
            "reconnect.backoff.max.ms", "5000");

    private KafkaProducerFactory() {
    }

    public static Map<String, String> producerConfig(KafkaSinkConfig c, String clientId) {
        return KafkaClients.safeProducer(c.bootstrapServers(), clientId, c.compression(), TUNING, c.security(), c.properties());
    }
}
