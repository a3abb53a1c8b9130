package foundation.foxlight.skulklogs.launcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded KRaft broker: a real broker that keeps what it acknowledged across a restart on the same data directory. */
class EmbeddedKafkaBrokerTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void portsKeptAcrossRestartsComeFromOutsideTheEphemeralRange() throws Exception {
        int start = EmbeddedKafkaBroker.ephemeralRangeStart();
        assertThat(start).isGreaterThan(10_000);
        for (int i = 0; i < 20; i++) {
            int port = EmbeddedKafkaBroker.freePort("127.0.0.1");
            assertThat(port).isBetween(10_000, start - 1);
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port)); // free indeed
            }
        }
    }

    @Test
    void acknowledgedRecordsSurviveARestart() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, "127.0.0.1", 0, Map.of()).start()) {
            Topics.ensure(broker.bootstrapServers(), Map.of("t", 1), (short) 1);
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("acks", "all");
            p.put("enable.idempotence", "true");
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("t", "k", "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, "127.0.0.1", 0, Map.of()).start()) {
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("key.deserializer", StringDeserializer.class.getName());
            p.put("value.deserializer", StringDeserializer.class.getName());
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                TopicPartition tp = new TopicPartition("t", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
                while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
            }
            assertThat(values).hasSize(100).startsWith("v0").endsWith("v99");
        }
    }

    @Test
    void aSecondNodeOnARunningNodesDataDirectoryIsRefusedBeforeItTouchesIt() throws Exception {
        try (EmbeddedKafkaBroker first = new EmbeddedKafkaBroker(dir, "127.0.0.1", 0, Map.of()).start()) {
            Topics.ensure(first.bootstrapServers(), Map.of("t", 1), (short) 1);
            EmbeddedKafkaBroker second = new EmbeddedKafkaBroker(dir, "127.0.0.1", 0, Map.of());
            assertThatThrownBy(second::start).isInstanceOf(DataDirInUseException.class).hasMessageContaining(dir.toString())
                    .hasMessageContaining("in use by another process");
            second.close(); // nothing to stop
            // The first node is unharmed: it still takes and serves records.
            Properties p = new Properties();
            p.put("bootstrap.servers", first.bootstrapServers());
            p.put("acks", "all");
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                assertThat(producer.send(new ProducerRecord<>("t", "k", "after")).get(30, TimeUnit.SECONDS).offset()).isZero();
            }
        }
        // Released by close(): the directory can be used again.
        new EmbeddedKafkaBroker(dir, "127.0.0.1", 0, Map.of()).start().close();
    }
}
