package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.it.kafka.InProcessServices;
import foundation.foxlight.skulklogs.it.kafka.InProcessServices.Deployed;
import foundation.foxlight.skulklogs.it.kafka.SelfSignedCertificate;
import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaBroker;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent and the relay talk to Kafka over SASL_SSL, configured only through the typed {@code kafka.security},
 * {@code kafka.sasl} and {@code kafka.tls} keys: the broker has a self-signed certificate (made with keytool) and
 * knows SCRAM-SHA-256 and SCRAM-SHA-512 users (created through the Admin API) and PLAIN users (in its JAAS config).
 * An agent with SCRAM-SHA-512 and a PEM truststore and a relay with SCRAM-SHA-256 and a PKCS12 truststore deliver
 * every line; so does an agent with a client certificate (PEM certificate + PKCS#8 key) on a second listener that
 * requires one (mutual TLS, {@code ssl.client.auth=required}). An agent with a
 * wrong password is not ready, says why on {@code /health}, keeps its lines in its disk buffer, and delivers them
 * once restarted with the right password.
 */
class KafkaSecurityIT extends StoreTestBase {
    private static final String LISTENER = "SASL_SSL";
    private static final String MTLS_LISTENER = "MTLS";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_plainagent=\"plain-secret\";";

    private EmbeddedKafkaBroker broker;
    private InProcessServices services;
    private SelfSignedCertificate cert;
    private final Tenant tenant = Tenant.random();

    @BeforeEach
    void startBrokerWithASaslSslListener() throws Exception {
        cert = SelfSignedCertificate.create(dir.resolve("tls"));
        String l = "listener.name." + LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        String m = "listener.name." + MTLS_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        Map<String, String> props = new HashMap<>(Map.of(
                m + "ssl.client.auth", "required",
                m + "ssl.keystore.type", "PKCS12",
                m + "ssl.keystore.location", cert.keystore().toString(),
                m + "ssl.keystore.password", cert.keystorePassword(),
                m + "ssl.key.password", cert.keystorePassword(),
                m + "ssl.truststore.type", "PKCS12",
                m + "ssl.truststore.location", cert.truststore().toString(),
                m + "ssl.truststore.password", cert.truststorePassword()));
        props.putAll(Map.of(
                l + "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                l + "plain.sasl.jaas.config", PLAIN_USERS,
                l + "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                l + "scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                l + "ssl.keystore.type", "PKCS12",
                l + "ssl.keystore.location", cert.keystore().toString(),
                l + "ssl.keystore.password", cert.keystorePassword(),
                l + "ssl.key.password", cert.keystorePassword()));
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0, props)
                .withListener(LISTENER, "SASL_SSL").withListener(MTLS_LISTENER, "SSL").start();
        // Topics and SCRAM users through the PLAINTEXT (inter-broker) listener, as an operator's admin would.
        Topics.ensure(broker.bootstrapServers(), Map.of("skulk-logs", 3, "skulk-logs-deadletter", 1, "skulk-logs-status", 1), (short) 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("scram-agent", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "scram-secret"),
                    new UserScramCredentialUpsertion("scram-relay", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "relay-secret")))
                    .all().get(30, TimeUnit.SECONDS);
        }
        services = new InProcessServices(broker.bootstrapServers(LISTENER), dir);
    }

    @AfterEach
    void stopEverything() throws Exception {
        TearDown.closeInOrder(services, broker); // then the store (StoreTestBase)
    }

    private static UnaryOperator<ConfigReader> sasl(String mechanism, String user, String password, String truststore,
            UnaryOperator<ConfigReader> more) {
        return r -> more.apply(r.override("kafka.security.protocol", "sasl_ssl").override("kafka.sasl.mechanism", mechanism)
                .override("kafka.sasl.username", user).override("kafka.sasl.password", password).override("kafka.tls.truststore", truststore));
    }

    @Test
    void scramAndPlainOverSaslSsl_andAWrongPasswordLosesNothing() throws Exception {
        services.startRelay(services.relayConfig(store.baseUrl(), tenant, sasl("SCRAM-SHA-256", "scram-relay", "relay-secret", cert.truststore().toString(),
                r -> r.override("kafka.tls.truststore_password", cert.truststorePassword()))));

        // SCRAM-SHA-512, PEM truststore: every line arrives.
        Path scramFile = dir.resolve("scram.log");
        writeLines(scramFile, "scram-node", 300);
        services.startAgent(services.agentConfig(scramFile, "scram-node",
                sasl("SCRAM-SHA-512", "scram-agent", "scram-secret", cert.certificatePem().toString(), UnaryOperator.identity())));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> seqs("scram-node").size() == 300);

        // Mutual TLS on the listener that requires a client certificate: every line arrives.
        Path mtlsFile = dir.resolve("mtls.log");
        writeLines(mtlsFile, "mtls-node", 150);
        Path clientKey = cert.privateKeyPem(dir.resolve("tls").resolve("client-key.pem"));
        services.startAgent(services.agentConfig(mtlsFile, "mtls-node", r -> r
                .override("kafka.bootstrap_servers", broker.bootstrapServers(MTLS_LISTENER)).override("kafka.security.protocol", "ssl")
                .override("kafka.tls.truststore", cert.certificatePem().toString())
                .override("kafka.tls.client_cert", cert.certificatePem().toString()).override("kafka.tls.client_key", clientKey.toString())));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> seqs("mtls-node").size() == 150);

        // PLAIN with a wrong password: not ready, with the broker's reason; the lines stay in the disk buffer.
        Path plainFile = dir.resolve("plain.log");
        writeLines(plainFile, "plain-node", 200);
        Deployed<Agent> wrong = services.startAgent(services.agentConfig(plainFile, "plain-node",
                sasl("PLAIN", "plainagent", "not-the-password", cert.certificatePem().toString(), r -> r.override("http.listen", "127.0.0.1:0"))));
        Agent agent = wrong.service();
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.metrics().linesReadTotal() == 200 && agent.buffer().stats().unackedRecords() > 0);
        JsonObject health = new JsonObject();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> h = get("http://127.0.0.1:" + agent.httpPort() + "/health");
            health.mergeIn(new JsonObject(h.body()));
            return h.statusCode() == 503 && health.getJsonObject("checks").getJsonObject("kafka").getString("detail", "")
                    .contains("SaslAuthenticationException");
        });
        String reason = health.getJsonObject("checks").getJsonObject("kafka").getString("detail");
        System.out.println("KafkaSecurityIT: agent with a wrong password: /health kafka = " + reason);
        assertThat(reason).contains("Authentication failed");
        assertThat(health.getBoolean("ready")).isFalse();
        assertThat(seqs("plain-node")).isEmpty();
        assertThat(agent.buffer().stats().unackedRecords()).isPositive();
        assertThat(agent.metrics().linesDroppedTotal()).isZero();
        services.stop(wrong);

        // The same agent (same state directory) with the right password sends what it kept.
        Agent fixed = services.startAgent(services.agentConfig(plainFile, "plain-node",
                sasl("PLAIN", "plainagent", "plain-secret", cert.certificatePem().toString(), UnaryOperator.identity()))).service();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> seqs("plain-node").size() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> fixed.buffer().stats().unackedRecords() == 0);

        Map<Long, Integer> scram = seqs("scram-node");
        Map<Long, Integer> plain = seqs("plain-node");
        Map<Long, Integer> mtls = seqs("mtls-node");
        for (long s = 0; s < 150; s++) {
            assertThat(mtls).as("mtls line %d", s).containsEntry(s, 1);
        }
        for (long s = 0; s < 300; s++) {
            assertThat(scram).as("scram line %d", s).containsEntry(s, 1);
        }
        for (long s = 0; s < 200; s++) {
            assertThat(plain).as("plain line %d", s).containsEntry(s, 1);
        }
        assertThat(fixed.metrics().linesReadTotal()).as("the fixed agent resumed from its checkpoint, it did not re-read the file")
                .isZero();
    }

    /** How often each sequence number of {@code node} is in the store. */
    private Map<Long, Integer> seqs(String node) {
        Map<Long, Integer> seen = new HashMap<>();
        for (Map<String, String> row : store.query(tenant, "*")) {
            if (node.equals(row.get("node_id"))) {
                seen.merge(Long.parseLong(row.get("seq")), 1, Integer::sum);
            }
        }
        return seen;
    }

    private static void writeLines(Path file, String node, int n) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(new String(SkulkWriter.simpleLine(node, i), java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(file, b);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
