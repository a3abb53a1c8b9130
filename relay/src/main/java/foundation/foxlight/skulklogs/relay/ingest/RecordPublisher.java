package foundation.foxlight.skulklogs.relay.ingest;

import io.vertx.core.Future;

/**
 * Where the ingest endpoint produces its records: the log topic, in production through
 * {@link KafkaRecordPublisher}; a fake in tests.
 *
 * <p>Contract: the returned future succeeds only once the record is durable (Kafka acknowledged it with
 * {@code acks=all}), and fails otherwise; it may also never complete (the handler times out). Records
 * published with the same key, in order, must be stored in that order. Called from an event loop; must not
 * block.
 */
@FunctionalInterface
public interface RecordPublisher {
    /**
     * Produces one record.
     *
     * @param key   the node id (Kafka record key: one node's records stay in one partition, in order)
     * @param value an encoded {@link foundation.foxlight.skulklogs.schema.EventBatch}
     */
    Future<Void> publish(String key, byte[] value);
}
