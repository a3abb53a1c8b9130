package foundation.foxlight.skulklogs.agent.config;

import foundation.foxlight.skulklogs.common.kafka.KafkaSecurity;
import java.time.Duration;
import java.util.Map;

/**
 * {@code kafka}: where the agent produces.
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param topic            the log topic (default {@code skulk-logs})
 * @param compression      {@code zstd} (default), {@code lz4}, {@code gzip}, {@code snappy} or {@code none}
 * @param maxInFlight      buffer records sent and not yet acknowledged, at most
 * @param properties       extra Kafka producer properties passed through as they are
 * @param security         TLS and SASL ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.tls.*})
 * @param retryBackoffMax  longest wait between two attempts to send a record that failed
 * @param statusTopic      where heartbeats go, for the relay's fleet view
 * @param heartbeatInterval how often a heartbeat is sent
 */
public record KafkaSinkConfig(String bootstrapServers, String topic, String compression, int maxInFlight,
        Map<String, String> properties, KafkaSecurity security, Duration retryBackoffMax, String statusTopic, Duration heartbeatInterval) {
}
