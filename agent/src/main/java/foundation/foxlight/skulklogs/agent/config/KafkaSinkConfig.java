package foundation.foxlight.skulklogs.agent.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code kafka}: where the agent produces.
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param topic            the log topic (default {@code skulk-logs})
 * @param compression      {@code zstd} (default), {@code lz4}, {@code gzip}, {@code snappy} or {@code none}
 * @param maxInFlight      buffer records sent and not yet acknowledged, at most
 * @param properties       extra Kafka producer properties (TLS, SASL, ...) passed through as they are
 * @param retryBackoffMax  longest wait between two attempts to send a record that failed
 * @param statusTopic      where heartbeats go, for the relay's fleet view
 * @param heartbeatInterval how often a heartbeat is sent
 */
public record KafkaSinkConfig(String bootstrapServers, String topic, String compression, int maxInFlight,
        Map<String, String> properties, Duration retryBackoffMax, String statusTopic, Duration heartbeatInterval) {
}
