package foundation.foxlight.skulklogs.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.common.config.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.config.types.Password;
import javax.security.auth.login.AppConfigurationEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed Kafka security: validation with key paths, and the Kafka client properties it becomes. */
class KafkaSecurityTest {
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path dir;

    private static ConfigReader yaml(String text) {
        return ConfigReader.parse(text, k -> k.equals("KAFKA_PASSWORD") ? "s3cr\"et\\x" : null, "test.yaml");
    }

    @Test
    void noProtocolAddsNothing() {
        ConfigReader r = yaml("kafka:\n  topic: t\n");
        r.string("kafka.topic", null);
        KafkaSecurity s = KafkaSecurity.read(r, "kafka", Map.of("security.protocol", "SSL"));
        assertThat(r.problems()).isEmpty();
        assertThat(s.configured()).isFalse();
        assertThat(s.clientProperties()).isEmpty();
    }

    @Test
    void saslSslWithScramAndAPemTruststore() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), CERT);
        ConfigReader r = yaml("kafka:\n  security:\n    protocol: sasl_ssl\n  sasl:\n    mechanism: scram-sha-512\n    username: agent-1\n"
                + "    password: ${KAFKA_PASSWORD}\n  tls:\n    truststore: " + ca + "\n");
        KafkaSecurity s = KafkaSecurity.read(r, "kafka", Map.of("linger.ms", "5"));
        assertThat(r.problems()).isEmpty();
        Map<String, String> p = s.clientProperties();
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.truststore.location", ca.toString())
                .containsEntry("ssl.endpoint.identification.algorithm", "https").doesNotContainKey("ssl.truststore.password");
        // Kafka's own JAAS parser reads back exactly the user and the password, quotes and backslashes included.
        AppConfigurationEntry entry = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(p.get("sasl.jaas.config"))))
                .configurationEntries().get(0);
        assertThat(entry.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(entry.getOptions().get("username")).isEqualTo("agent-1");
        assertThat(entry.getOptions().get("password")).isEqualTo("s3cr\"et\\x");
        assertThat(s.propertyNames()).containsExactlyInAnyOrderElementsOf(p.keySet());
    }

    @Test
    void plainOverSaslPlaintextAndTheDefaultMechanismIsScramSha512() {
        ConfigReader r = yaml("kafka:\n  security: {protocol: SASL_PLAINTEXT}\n  sasl: {mechanism: PLAIN, username: u, password: p}\n");
        Map<String, String> p = KafkaSecurity.read(r, "kafka", Map.of()).clientProperties();
        assertThat(r.problems()).isEmpty();
        assertThat(p).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";")
                .doesNotContainKeys("ssl.truststore.location", "ssl.endpoint.identification.algorithm");
        ConfigReader d = yaml("kafka:\n  security: {protocol: sasl_ssl}\n  sasl: {username: u, password: p}\n");
        assertThat(KafkaSecurity.read(d, "kafka", Map.of()).clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .doesNotContainKey("ssl.truststore.location"); // the JVM's default trust store
    }

    @Test
    void mutualTlsWithAPkcs12TruststoreAndNoHostnameCheck() throws Exception {
        Path ts = Files.write(dir.resolve("trust.p12"), new byte[] {1, 2, 3});
        Path cert = Files.writeString(dir.resolve("client.crt"), CERT);
        Path key = Files.writeString(dir.resolve("client.key"), KEY);
        ConfigReader r = yaml("kafka:\n  security: {protocol: ssl}\n  tls:\n    truststore: " + ts + "\n    truststore_password: tpw\n"
                + "    client_cert: " + cert + "\n    client_key: " + key + "\n    client_key_password: kpw\n    verify_hostname: false\n");
        KafkaSecurity s = KafkaSecurity.read(r, "kafka", Map.of());
        assertThat(r.problems()).isEmpty();
        assertThat(s.clientProperties()).containsEntry("security.protocol", "SSL").containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", "tpw").containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", CERT).containsEntry("ssl.keystore.key", KEY)
                .containsEntry("ssl.key.password", "kpw").containsEntry("ssl.endpoint.identification.algorithm", "")
                .doesNotContainKeys("sasl.mechanism", "sasl.jaas.config");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsKeyPath() throws Exception {
        Path rsaKey = Files.writeString(dir.resolve("client.key"), "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n");
        Path ca = Files.writeString(dir.resolve("ca.pem"), CERT);
        ConfigReader r = yaml("kafka:\n  security: {protocol: sasl_ssl}\n  sasl: {mechanism: GSSAPI}\n  tls:\n    truststore: " + ca
                + "\n    truststore_password: nope\n    client_key: " + rsaKey + "\n  properties:\n    sasl.mechanism: PLAIN\n");
        KafkaSecurity.read(r, "kafka", r.stringMap("kafka.properties"));
        assertThat(r.problems()).containsExactlyInAnyOrder(
                "kafka.sasl.mechanism: must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got 'GSSAPI'",
                "kafka.sasl.username: required with kafka.security.protocol sasl_ssl",
                "kafka.sasl.password: required with kafka.security.protocol sasl_ssl",
                "kafka.tls.truststore_password: a PEM truststore has no password",
                "kafka.tls.client_cert: required with kafka.tls.client_key (mutual TLS needs both the certificate and its key)",
                "kafka.properties.sasl.mechanism: also set by the kafka.security/sasl/tls settings; give it in one place");
    }

    @Test
    void settingsThatContradictTheProtocolOrLackOne() throws Exception {
        ConfigReader plain = yaml("kafka:\n  security: {protocol: plaintext}\n  sasl: {username: u}\n  tls: {truststore: /nowhere.pem}\n");
        KafkaSecurity.read(plain, "kafka", Map.of());
        assertThat(plain.problems()).containsExactlyInAnyOrder(
                "kafka.sasl.username: only used with kafka.security.protocol sasl_plaintext or sasl_ssl, not plaintext",
                "kafka.tls.truststore: only used with kafka.security.protocol ssl or sasl_ssl, not plaintext");

        ConfigReader noProtocol = yaml("kafka:\n  sasl: {username: u, password: p}\n");
        KafkaSecurity.read(noProtocol, "kafka", Map.of());
        assertThat(noProtocol.problems()).containsExactly("kafka.security.protocol: must be set (plaintext, ssl, sasl_plaintext or sasl_ssl) "
                + "when kafka.sasl.username, kafka.sasl.password is given");

        Path rsaKey = Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n");
        Path cert = Files.writeString(dir.resolve("c.crt"), CERT);
        ConfigReader tls = yaml("kafka:\n  security: {protocol: ssl}\n  tls:\n    truststore: " + dir.resolve("missing.jks") + "\n"
                + "    client_cert: " + cert + "\n    client_key: " + rsaKey + "\n");
        KafkaSecurity.read(tls, "kafka", Map.of());
        assertThat(tls.problems()).containsExactlyInAnyOrder(
                "kafka.tls.truststore: cannot read the file '" + dir.resolve("missing.jks") + "'",
                "kafka.tls.client_key: must be a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8 -nocrypt -in KEY");
    }

    @Test
    void passwordsNeverAppearInToString() {
        KafkaSecurity s = new KafkaSecurity(KafkaSecurity.Protocol.SASL_SSL, KafkaSecurity.SaslMechanism.SCRAM_SHA_256, "agent",
                "hunter2-sasl", Path.of("/t.jks"), KafkaSecurity.StoreType.JKS, "hunter2-trust", null, null, null, true);
        assertThat(s.toString()).contains("agent", "SCRAM-SHA-256", "/t.jks").doesNotContain("hunter2");
        assertThat(KafkaSecurity.none().toString()).isEqualTo("KafkaSecurity[none]");
    }
}
