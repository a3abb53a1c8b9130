package foundation.foxlight.skulklogs.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.common.kafka.KafkaSecurity;
import foundation.foxlight.skulklogs.launcher.doctor.probe.AdminMetadataSource;
import foundation.foxlight.skulklogs.launcher.doctor.probe.ClusterMetadata;
import foundation.foxlight.skulklogs.launcher.doctor.probe.HostPort;
import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaBroker;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka checks against a real broker: up, then down; a wrong address; an unresolvable advertised listener; a missing topic. */
class KafkaDoctorTest {
    private static final String ONLY_KAFKA = "agent,logfile,relay,victorialogs,clock,buffer,disk,skulk.env";
    private static final String UNRESOLVABLE = "kafka-unresolvable.invalid";

    @TempDir
    Path dir;

    private DoctorRun doctor(String bootstrap) throws Exception {
        return DoctorRun.of(Fixtures.array(Fixtures.args(dir, Fixtures.skulkLog(dir, 1), "--kafka", bootstrap, "--skip", ONLY_KAFKA)));
    }

    @Test
    void aRunningBrokerIsOkAndAStoppedOneFails() throws Exception {
        String bootstrap;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0, Map.of()).start()) {
            bootstrap = broker.bootstrapServers();
            Topics.ensure(bootstrap, Map.of("skulk-logs", 3, "skulk-logs-status", 1), (short) 1);
            DoctorRun up = doctor(bootstrap);
            assertThat(up.named("FAIL")).as(up.toString()).isEmpty();
            assertThat(up.status("kafka.reachable")).isEqualTo("OK");
            assertThat(up.what("kafka.reachable")).contains("Kafka at " + bootstrap + " answers", "1 broker(s)");
            assertThat(up.status("kafka.advertised")).isEqualTo("OK");
            assertThat(up.what("kafka.advertised")).contains(bootstrap);
            assertThat(up.status("kafka.topic")).isEqualTo("OK");
            assertThat(up.what("kafka.topic")).contains("topic skulk-logs: 3 partition(s), replication factor 1");
            assertThat(up.status("kafka.status_topic")).isEqualTo("OK");
            assertThat(up.exitCode()).isZero();
        }
        DoctorRun down = doctor(bootstrap);
        assertThat(down.status("kafka.reachable")).as(down.toString()).isEqualTo("FAIL");
        assertThat(down.what("kafka.reachable")).contains(bootstrap + " refuses connections");
        assertThat(down.fix("kafka.reachable")).contains("start Kafka on the central host");
        assertThat(down.status("kafka.advertised")).isEqualTo("SKIP");
        assertThat(down.status("kafka.topic")).isEqualTo("SKIP");
        assertThat(down.exitCode()).isEqualTo(1);
    }

    @Test
    void aWrongAddressFails() throws Exception {
        DoctorRun closed = doctor("127.0.0.1:" + Fixtures.closedPort());
        assertThat(closed.status("kafka.reachable")).isEqualTo("FAIL");
        assertThat(closed.what("kafka.reachable")).contains("refuses connections");
        assertThat(closed.exitCode()).isEqualTo(1);

        assumeUnresolvable();
        DoctorRun unknown = doctor(UNRESOLVABLE + ":9092");
        assertThat(unknown.status("kafka.reachable")).isEqualTo("FAIL");
        assertThat(unknown.what("kafka.reachable")).contains(UNRESOLVABLE + ":9092 cannot be resolved");
        assertThat(unknown.fix("kafka.reachable")).contains("to an address this node can resolve", "SKULK_LOGS_KAFKA");
    }

    @Test
    void anAdvertisedListenerThisNodeCannotResolveFailsWithTheFix() throws Exception {
        assumeUnresolvable();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0,
                Map.of("advertised.listeners", "PLAINTEXT://" + UNRESOLVABLE + ":9092")).start()) {
            DoctorRun r = doctor(broker.bootstrapServers());
            assertThat(r.status("kafka.reachable")).as(r.toString()).isEqualTo("OK");
            assertThat(r.status("kafka.advertised")).isEqualTo("FAIL");
            assertThat(r.what("kafka.advertised")).isEqualTo("broker " + broker.bootstrapServers() + " advertises " + UNRESOLVABLE
                    + ":9092, which this node cannot resolve");
            assertThat(r.fix("kafka.advertised")).startsWith("set KAFKA_ADVERTISED_HOST=<address agents use> in deployment/.env and restart kafka");
            assertThat(r.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void aMissingTopicFailsAndAMissingStatusTopicWarns() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0, Map.of()).start()) {
            DoctorRun r = doctor(broker.bootstrapServers());
            assertThat(r.status("kafka.topic")).as(r.toString()).isEqualTo("FAIL");
            assertThat(r.what("kafka.topic")).contains("topic skulk-logs does not exist");
            assertThat(r.fix("kafka.topic")).contains("kafka-topics.sh --bootstrap-server " + broker.bootstrapServers()
                    + " --create --topic skulk-logs --partitions 3 --replication-factor 1");
            assertThat(r.status("kafka.status_topic")).isEqualTo("WARN");
            assertThat(r.what("kafka.status_topic")).contains("skulk-logs-status does not exist");
            assertThat(r.exitCode()).isEqualTo(1);
            // Asking did not create them (the broker auto-creates topics for clients that allow it).
            ClusterMetadata again = new AdminMetadataSource(broker.bootstrapServers(), KafkaSecurity.none(), Map.of(), Duration.ofSeconds(5))
                    .fetch(List.of("skulk-logs"));
            assertThat(again.topics().get("skulk-logs").exists()).isFalse();
        }
    }

    /** The Admin-client source (used with TLS/SASL) reads the same facts as the plaintext one. */
    @Test
    void theAdminSourceSeesBrokersAndTopics() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0, Map.of()).start()) {
            Topics.ensure(broker.bootstrapServers(), Map.of("skulk-logs", 2), (short) 1);
            ClusterMetadata md = new AdminMetadataSource(broker.bootstrapServers(), KafkaSecurity.none(), Map.of(), Duration.ofSeconds(5))
                    .fetch(List.of("skulk-logs", "absent"));
            assertThat(md.brokers()).extracting(ClusterMetadata.Broker::advertised).containsExactly(HostPort.parse(broker.bootstrapServers()));
            assertThat(md.topics().get("skulk-logs")).isEqualTo(new ClusterMetadata.TopicState(true, null, 2, 1, 0));
            assertThat(md.topics().get("absent").exists()).isFalse();
        }
    }

    private static void assumeUnresolvable() {
        try {
            InetAddress.getByName(UNRESOLVABLE);
            Assumptions.abort("this machine's resolver answers for " + UNRESOLVABLE + " (a DNS that resolves every name)");
        } catch (UnknownHostException expected) {
            // the name does not resolve, as RFC 2606 promises for .invalid
        }
    }
}
