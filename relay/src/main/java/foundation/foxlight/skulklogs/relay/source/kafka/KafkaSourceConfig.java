package foundation.foxlight.skulklogs.relay.source.kafka;

import java.time.Duration;
import foundation.foxlight.skulklogs.common.kafka.KafkaClients;
import foundation.foxlight.skulklogs.common.kafka.KafkaSecurity;
import java.util.Map;

/**
 * {@code kafka}: what the relay consumes.
 *
 * @param bootstrapServers {@code host:port[,...]}
 * @param topic            the log topic
 * @param groupId          the consumer group; relays with the same group split the partitions
 * @param deadLetterTopic  where undeliverable records and lines go, with their reason
 * @param commitHoldBack   how long after VictoriaLogs answered 200 an offset becomes committable (VictoriaLogs makes rows
 *                         durable only every 5 s; the default 6 s means a store crash just after a 200 loses nothing)
 * @param maxBatchLines    lines per insert request at most
 * @param maxBatchBytes    approximate bytes of records per insert request at most
 * @param batchLinger      how long a partly filled batch waits for more records
 * @param maxInFlight      insert requests outstanding at most
 * @param buildAhead       batches handed to the sink beyond {@code maxInFlight}: their requests are built and wait for a
 *                         free request, so that the next one goes out as soon as one is answered; beyond both, partitions
 *                         are paused (the relay keeps polling to stay in the group)
 * @param properties       extra client properties passed through (each client type gets those it knows)
 * @param security         TLS and SASL ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.tls.*}), for every client
 * @param statusTopic      the agents' heartbeats, for the fleet view
 * @param eventIds         add {@code log.event_id} to every line: stable across replays of the same batch, so that
 *                         duplicates after a crash can be found at query time
 */
public record KafkaSourceConfig(String bootstrapServers, String topic, String groupId, String deadLetterTopic, Duration commitHoldBack,
        int maxBatchLines, long maxBatchBytes, Duration batchLinger, int maxInFlight, int buildAhead, Map<String, String> properties, KafkaSecurity security, String statusTopic,
        boolean eventIds) {

    /** Deliveries outstanding at most: requests out plus requests built ahead. */
    public int maxDeliveries() {
        return maxInFlight + buildAhead;
    }

    /** Consumer properties: manual commits only (never overridable), a new group reads from the earliest offset. */
    public Map<String, String> consumerConfig(String clientId) {
        return KafkaClients.manualCommitConsumer(bootstrapServers, clientId, groupId, Map.of(
                "auto.offset.reset", "earliest",
                "isolation.level", "read_committed",
                "max.poll.records", "64", // agent batches (up to 256 KiB each): a poll is decoded and sent in pieces, not 500 at once
                // A relay that dies is noticed within 10 s (Kafka's default is 45 s) so its partitions move on quickly.
                "session.timeout.ms", "10000",
                "heartbeat.interval.ms", "3000",
                "max.partition.fetch.bytes", String.valueOf(4 * 1024 * 1024)), security, properties);
    }

    /** Producer properties for the dead-letter topic and the ingest endpoint: {@link KafkaClients#safeProducer}. */
    public Map<String, String> producerConfig(String clientId) {
        return KafkaClients.safeProducer(bootstrapServers, clientId, "zstd", Map.of("linger.ms", "5", "max.block.ms", "10000"), security,
                properties);
    }

    /** Admin settings for the health check. */
    public Map<String, Object> healthCheckAdminConfig() {
        return KafkaClients.healthCheckAdmin(bootstrapServers, security, properties);
    }
}
