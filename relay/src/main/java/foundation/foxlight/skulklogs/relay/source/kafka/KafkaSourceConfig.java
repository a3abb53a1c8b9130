package foundation.foxlight.skulklogs.relay.source.kafka;

import java.time.Duration;
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
 * @param maxInFlight      insert requests outstanding at most; beyond it, partitions are paused (the relay keeps polling to stay in the group)
 * @param properties       extra consumer properties (TLS, SASL, ...)
 * @param statusTopic      the agents' heartbeats, for the fleet view
 * @param eventIds         add {@code log.event_id} to every line: stable across replays of the same batch, so that
 *                         duplicates after a crash can be found at query time
 */
public record KafkaSourceConfig(String bootstrapServers, String topic, String groupId, String deadLetterTopic, Duration commitHoldBack,
        int maxBatchLines, long maxBatchBytes, Duration batchLinger, int maxInFlight, Map<String, String> properties, String statusTopic, boolean eventIds) {

    /** Consumer properties: manual commits only, read from the earliest offset a new group has. */
    public Map<String, String> consumerConfig(String clientId) {
        Map<String, String> p = new java.util.HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("group.id", groupId);
        p.put("client.id", clientId);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("max.poll.records", "500");
        // A relay that dies is noticed within 10 s (Kafka's default is 45 s) so its partitions move on quickly.
        p.put("session.timeout.ms", "10000");
        p.put("heartbeat.interval.ms", "3000");
        p.put("max.partition.fetch.bytes", String.valueOf(4 * 1024 * 1024));
        p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.putAll(properties);
        p.put("enable.auto.commit", "false"); // never overridable: offsets are committed only after delivery
        return p;
    }

    /** Producer properties for the dead-letter topic (and the ingest endpoint). */
    public Map<String, String> producerConfig(String clientId) {
        Map<String, String> p = new java.util.HashMap<>(properties);
        p.keySet().removeIf(k -> k.startsWith("key.") || k.startsWith("value.") || k.startsWith("group.") || k.startsWith("auto.")
                || k.startsWith("enable.auto") || k.startsWith("isolation") || k.startsWith("max.poll") || k.startsWith("fetch."));
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", clientId);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("compression.type", "zstd");
        p.put("linger.ms", "5");
        p.put("max.block.ms", "10000");
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        return p;
    }
}
