package foundation.foxlight.skulklogs.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IngestConfigTest {
    private static final String TOKEN = "0123456789abcdef-token";

    @TempDir
    Path dir;

    @Test
    void defaultsAreOffAndValid() {
        IngestConfig c = IngestConfig.defaults();
        assertThat(c.validate()).isEmpty();
        assertThat(c.enabled()).isFalse();
        assertThat(c.port()).isEqualTo(-1);
        assertThat(c.maxBodyBytes()).isEqualTo(64L << 20);
        assertThat(c.authRequired()).isFalse();
        assertThat(c.tls()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9429", "127.0.0.1:0", "localhost:9429", "[::1]:9429", "127.1.2.3:80"})
    void loopbackWithoutTokenIsValid(String listen) {
        IngestConfig c = IngestConfig.defaults().withListen(listen);
        assertThat(c.validate()).isEmpty();
        assertThat(c.loopback()).isTrue();
        assertThat(c.enabled()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:9429", "[::]:9429", "10.1.2.3:9429", "relay.example.org:9429", "localhost.evil.com:1",
        "127.0.0.1.nip.io:9429"})
    void beyondLoopbackATokenIsRequired(String listen) {
        IngestConfig c = IngestConfig.defaults().withListen(listen);
        assertThat(c.loopback()).isFalse();
        assertThat(c.validate()).singleElement().asString().startsWith("ingest.token: required").contains(listen);
        assertThat(c.withToken(TOKEN).validate()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9429", ":9429", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http", "::1:9429", "[::1:9429", "a b:1"})
    void malformedListenIsReported(String listen) {
        assertThat(IngestConfig.defaults().withListen(listen).validate()).singleElement().asString()
                .startsWith("ingest.listen: must be host:port");
    }

    @Test
    void hostAndPortAreParsed() {
        IngestConfig c = IngestConfig.defaults().withListen("[::1]:9429");
        assertThat(c.host()).isEqualTo("::1");
        assertThat(c.port()).isEqualTo(9429);
        assertThat(IngestConfig.defaults().withListen("OFF").enabled()).isFalse();
        assertThat(IngestConfig.defaults().withListen("").validate()).singleElement().asString().startsWith("ingest.listen:");
    }

    @Test
    void tokenMustBeLongAndVisibleAscii() {
        IngestConfig c = IngestConfig.defaults().withListen("127.0.0.1:9429");
        assertThat(c.withToken("short").validate()).singleElement().asString().startsWith("ingest.token: must be at least 16");
        assertThat(c.withToken("has a space in it!!").validate()).singleElement().asString().startsWith("ingest.token: only visible");
        assertThat(c.withToken(TOKEN).validate()).isEmpty();
        assertThat(c.withToken(TOKEN).authRequired()).isTrue();
    }

    @Test
    void tlsNeedsBothReadablePemFiles() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
        IngestConfig c = IngestConfig.defaults().withListen("0.0.0.0:9429").withToken(TOKEN);
        assertThat(c.withTls(cert.toString(), key.toString()).validate()).isEmpty();
        assertThat(c.withTls(cert.toString(), null).validate()).singleElement().asString().startsWith("ingest.tls.key: must be set");
        assertThat(c.withTls(null, key.toString()).validate()).singleElement().asString().startsWith("ingest.tls.cert: must be set");
        assertThat(c.withTls(dir.resolve("missing.pem").toString(), key.toString()).validate()).singleElement().asString()
                .startsWith("ingest.tls.cert: no such file");
        assertThat(c.withTls(cert.toString(), dir.toString()).validate()).singleElement().asString()
                .startsWith("ingest.tls.key: no such file");
    }

    @Test
    void httpServerOptionsCarryAddressAndTls() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        HttpServerOptions plain = IngestConfig.defaults().withListen("127.0.0.1:9429").httpServerOptions();
        assertThat(plain.getHost()).isEqualTo("127.0.0.1");
        assertThat(plain.getPort()).isEqualTo(9429);
        assertThat(plain.isSsl()).isFalse();
        assertThat(plain.isDecompressionSupported()).isFalse();
        HttpServerOptions tls = IngestConfig.defaults().withListen("0.0.0.0:443").withToken(TOKEN)
                .withTls(cert.toString(), key.toString()).httpServerOptions();
        assertThat(tls.isSsl()).isTrue();
        PemKeyCertOptions pem = (PemKeyCertOptions) tls.getKeyCertOptions();
        assertThat(pem.getCertPaths()).containsExactly(cert.toString());
        assertThat(pem.getKeyPaths()).containsExactly(key.toString());
    }

    @Test
    void limitsAreChecked() {
        IngestConfig d = IngestConfig.defaults();
        assertThat(d.withLimits(100, 1024, 900 << 10).validate()).singleElement().asString().startsWith("ingest.max_body_bytes:");
        assertThat(d.withLimits(2L << 30, 1024, 900 << 10).validate()).singleElement().asString().startsWith("ingest.max_body_bytes:");
        assertThat(d.withLimits(1 << 20, 10, 900 << 10).validate()).singleElement().asString().startsWith("ingest.max_line_bytes:");
        assertThat(d.withLimits(1 << 20, 1024, 1000).validate()).singleElement().asString().startsWith("ingest.max_record_bytes:");
        assertThat(d.withLimits(1 << 20, 800 << 10, 900 << 10).validate()).singleElement().asString()
                .startsWith("ingest.max_line_bytes: must be at most");
        assertThat(d.withPublishTimeout(Duration.ZERO).validate()).singleElement().asString().startsWith("ingest.publish_timeout:");
        assertThat(d.withPublishTimeout(null).validate()).singleElement().asString().startsWith("ingest.publish_timeout:");
        assertThat(d.withMaxConcurrentRequests(0).validate()).singleElement().asString().startsWith("ingest.max_concurrent_requests:");
        assertThat(d.withStreamMapping(List.of("host", "bad name"), List.of("a,b")).validate())
                .containsExactly("ingest.node_id_fields[1]: must be a field name without spaces or commas, got 'bad name'",
                        "ingest.component_fields[0]: must be a field name without spaces or commas, got 'a,b'");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        IngestConfig c = new IngestConfig("0.0.0.0:9429", null, "/nonexistent/cert.pem", null, 10, 10, 10, Duration.ZERO, 0,
                null, null);
        List<String> problems = c.validate();
        assertThat(problems).extracting(p -> p.substring(0, p.indexOf(':'))).containsExactly("ingest.token", "ingest.tls.key",
                "ingest.tls.cert", "ingest.max_body_bytes", "ingest.max_line_bytes", "ingest.max_record_bytes",
                "ingest.publish_timeout", "ingest.max_concurrent_requests");
    }
}
