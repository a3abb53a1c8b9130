package foundation.foxlight.skulklogs.relay.ingest;

import foundation.foxlight.skulklogs.common.kafka.KafkaClients;
import foundation.foxlight.skulklogs.relay.source.kafka.KafkaSourceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Objects;

/**
 * {@link RecordPublisher} on a Vert.x {@link KafkaProducer}: records go to the log topic with the producer of
 * {@link KafkaSourceConfig#producerConfig(String)} (idempotent, {@code acks=all}); {@link #publish} completes
 * from the producer's acknowledgement callback, so a success means every in-sync replica has the record.
 *
 * <p>Threading: call {@link #publish} from an event loop; the Vert.x Kafka client runs the blocking
 * {@code send} on its own worker context. Lifecycle: {@link #create} owns its producer and {@link #close}
 * closes it (after the ingest server stopped taking requests); the constructor borrows a producer that the
 * caller closes.
 */
public final class KafkaRecordPublisher implements RecordPublisher {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final boolean owned;

    /** Borrows {@code producer} (the caller closes it); {@code topic} is the log topic. */
    public KafkaRecordPublisher(KafkaProducer<String, byte[]> producer, String topic) {
        this(producer, topic, false);
    }

    private KafkaRecordPublisher(KafkaProducer<String, byte[]> producer, String topic, boolean owned) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.owned = owned;
    }

    /**
     * A publisher with its own producer ({@code kafka.producerConfig(clientId)}) on {@code kafka.topic()}.
     *
     * @param clientId Kafka {@code client.id}, e.g. {@code skulk-logs-relay-1a2b3c4d-ingest}
     */
    public static KafkaRecordPublisher create(Vertx vertx, KafkaSourceConfig kafka, String clientId) {
        return new KafkaRecordPublisher(KafkaClients.producer(vertx, kafka.producerConfig(clientId)), kafka.topic(), true);
    }

    @Override
    public Future<Void> publish(String key, byte[] value) {
        return producer.send(KafkaProducerRecord.create(topic, key, value)).mapEmpty();
    }

    public String topic() {
        return topic;
    }

    /** How long {@link #close()} waits for records in flight. */
    public static final long CLOSE_MILLIS = 5000;

    /** Closes the producer if this publisher created it (waiting up to {@link #CLOSE_MILLIS} for records in flight). */
    public Future<Void> close() {
        return owned ? producer.close(CLOSE_MILLIS) : Future.succeededFuture();
    }
}
