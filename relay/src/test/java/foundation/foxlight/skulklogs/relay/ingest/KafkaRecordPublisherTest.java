package foundation.foxlight.skulklogs.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kafka publisher completes only on the producer's acknowledgement (Kafka's own MockProducer stands in). */
@ExtendWith(VertxExtension.class)
class KafkaRecordPublisherTest {
    @Test
    void completesOnlyWhenTheProducerAcknowledgesAndFailsWhenItFails(Vertx vertx) {
        MockProducer<String, byte[]> mock = new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
        KafkaRecordPublisher publisher = new KafkaRecordPublisher(KafkaProducer.create(vertx, mock), "skulk-logs");

        CompletableFuture<Void> first = publisher.publish("node-1", new byte[] {1, 2}).toCompletionStage().toCompletableFuture();
        CompletableFuture<Void> second = publisher.publish("node-2", new byte[] {3}).toCompletionStage().toCompletableFuture();
        await().atMost(10, TimeUnit.SECONDS).until(() -> mock.history().size() == 2);
        assertThat(first).isNotDone();
        ProducerRecord<String, byte[]> sent = mock.history().get(0);
        assertThat(sent.topic()).isEqualTo("skulk-logs");
        assertThat(sent.key()).isEqualTo("node-1");
        assertThat(sent.value()).containsExactly(1, 2);

        assertThat(mock.completeNext()).isTrue();
        assertThat(first).succeedsWithin(Duration.ofSeconds(10));
        assertThat(second).isNotDone();
        assertThat(mock.errorNext(new NotEnoughReplicasException("not enough replicas"))).isTrue();
        assertThat(second).failsWithin(Duration.ofSeconds(10)).withThrowableThat().withMessageContaining("not enough replicas");
        assertThat(publisher.topic()).isEqualTo("skulk-logs");
        Future<Void> close = publisher.close();
        assertThat(close.succeeded()).as("a borrowed producer is not closed").isTrue();
        assertThat(mock.closed()).isFalse();
    }
}
