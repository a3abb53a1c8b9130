package foundation.foxlight.skulklogs.relay.deadletter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The dead-letter topic: records and lines the relay cannot deliver (undecodable Kafka records, lines the
 * store rejected with 400) are written there, as JSON with the reason, origin and original content,
 * BEFORE the offsets that carried them are acknowledged. Nothing leaves the pipeline without a trace.
 *
 * <p>Uses an idempotent {@code acks=all} producer; {@link #send} completes only after Kafka acknowledged.
 * Call from the relay's event loop.
 */
public final class DeadLetterQueue {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public DeadLetterQueue(KafkaProducer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * Dead-letters one item.
     *
     * @param reason why it could not be delivered
     * @param origin where it came from ({@code topic-partition@offset}, node id)
     * @param line   the line as text (a serialized event), or null
     * @param raw    the original bytes when they could not be decoded, or null
     */
    public Future<Void> send(String key, String reason, String origin, String line, byte[] raw) {
        JsonObject doc = new JsonObject().put("reason", reason).put("origin", origin)
                .put("dead_lettered_at", java.time.Instant.now().toString());
        if (line != null) {
            doc.put("line", line);
        }
        if (raw != null) {
            doc.put("raw_base64", Base64.getEncoder().encodeToString(raw));
        }
        return producer.send(KafkaProducerRecord.create(topic, key, doc.encode().getBytes(StandardCharsets.UTF_8))).mapEmpty();
    }

    public String topic() {
        return topic;
    }
}
