package foundation.foxlight.skulklogs.launcher.doctor.probe;

import foundation.foxlight.skulklogs.common.kafka.KafkaSecurity;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks a Kafka cluster for its brokers' advertised addresses and the state of some topics. Blocking, bounded by
 * the timeout it was made with; a failure throws with a message a person can act on.
 */
public interface KafkaMetadataSource {
    ClusterMetadata fetch(List<String> topics) throws Exception;

    /**
     * The source for a client configuration: for a plaintext cluster (the default) a metadata request sent to the
     * bootstrap address itself, so that the advertised addresses are learnt even when they are unreachable; with
     * TLS or SASL ({@code kafka.security.*}, or {@code security.protocol} in {@code kafka.properties}) Kafka's Admin
     * client with those settings, which can then only answer when the advertised addresses work.
     *
     * @param security   the typed TLS/SASL settings
     * @param properties the operator's pass-through {@code kafka.properties}
     */
    static KafkaMetadataSource forClient(String bootstrap, KafkaSecurity security, Map<String, String> properties, Duration timeout) {
        Map<String, String> effective = new HashMap<>(properties);
        effective.putAll(security.clientProperties());
        String protocol = effective.getOrDefault("security.protocol", "PLAINTEXT").strip().toUpperCase(Locale.ROOT);
        return protocol.equals("PLAINTEXT") ? new PlaintextMetadataSource(HostPort.parseList(bootstrap), timeout)
                : new AdminMetadataSource(bootstrap, security, properties, timeout);
    }
}
