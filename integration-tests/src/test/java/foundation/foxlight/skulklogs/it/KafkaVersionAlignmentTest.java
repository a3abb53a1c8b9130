package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * One Kafka version for the whole build: the kafka-clients that vertx-kafka-client runs on at run time is
 * the same version as the embedded broker's jars, and it is on the class path once. (That the two actually
 * talk to each other is proven end to end by {@link PipelineIT}.)
 */
class KafkaVersionAlignmentTest {
    private static final Pattern KAFKA_JAR = Pattern.compile("^(kafka[-_][a-z0-9._-]*?)-(\\d+\\.\\d+\\.\\d+)\\.jar$");

    @Test
    void kafkaClientsAndBrokerJarsShareOneVersion() {
        Map<String, String> versions = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher m = KAFKA_JAR.matcher(new File(entry).getName());
            if (m.matches()) {
                String previous = versions.put(m.group(1), m.group(2));
                assertThat(previous).as("%s on the class path twice", m.group(1)).isNull();
            }
        }
        assertThat(versions).containsKeys("kafka-clients", "kafka_2.13", "kafka-server", "kafka-raft", "kafka-metadata");
        assertThat(versions.values()).as("Kafka jars: %s", versions).containsOnly(AppInfoParser.getVersion());
        assertThat(AppInfoParser.getVersion()).as("the kafka-clients the code runs on").isEqualTo(versions.get("kafka-clients"));
        // The Vert.x Kafka client is used with exactly this client version.
        assertThat(io.vertx.kafka.client.producer.KafkaProducer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .contains("vertx-kafka-client-5.0.7");
    }
}
