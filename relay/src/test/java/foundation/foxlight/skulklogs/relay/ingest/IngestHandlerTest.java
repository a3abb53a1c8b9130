package foundation.foxlight.skulklogs.relay.ingest;

import static foundation.foxlight.skulklogs.relay.ingest.Bodies.bomb;
import static foundation.foxlight.skulklogs.relay.ingest.Bodies.gzip;
import static foundation.foxlight.skulklogs.relay.ingest.Bodies.utf8;
import static foundation.foxlight.skulklogs.relay.ingest.Bodies.zstd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.relay.ingest.FakePublisher.Mode;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The handler over real HTTP on 127.0.0.1 with a fake {@link RecordPublisher} (relay tests cannot start a broker). */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class IngestHandlerTest {
    private static final String TOKEN = "test-token-0123456789";
    private static final String SKULK_QUERY = "_stream_fields=node_id,component&_msg_field=msg&_time_field=ts";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private FakePublisher fake;
    private IngestServer server;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        this.fake = new FakePublisher();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            join(server.close());
        }
    }

    private static IngestConfig config() {
        return IngestConfig.defaults().withListen("127.0.0.1:0").withPublishTimeout(Duration.ofSeconds(10));
    }

    private int start(IngestConfig config) {
        registry = new SimpleMeterRegistry();
        server = new IngestServer(vertx, config, fake, registry);
        return join(server.start());
    }

    private String url(String query) {
        return "http://127.0.0.1:" + server.port() + IngestRequestParser.PATH + (query == null ? "" : "?" + query);
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String query, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(query))).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String query, byte[] body, String... headers) {
        return join(postAsync(query, body, headers));
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T join(Future<T> f) {
        return join(f.toCompletionStage().toCompletableFuture());
    }

    private double count(String name, String tag) {
        return server.metrics().count(name, tag);
    }

    private static String skulkLine(String node, String component, int i) {
        return "{\"ts\":\"2025-03-04T05:06:07.000Z\",\"level\":\"INFO\",\"node_id\":\"" + node + "\",\"component\":\"" + component
                + "\",\"msg\":\"line " + i + "\"}";
    }

    // ---------------------------------------------------------------- acknowledgement

    @Test
    void answers200OnlyAfterEveryRecordIsAcknowledged() {
        start(config());
        fake.mode(Mode.HOLD);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            body.append(skulkLine("node-" + (i % 3), "worker", i)).append('\n');
        }
        CompletableFuture<HttpResponse<String>> response = postAsync(SKULK_QUERY, utf8(body.toString()),
                "Content-Type", "application/stream+json");
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.size() == 3);
        assertThat(List.of(fake.get(0).key(), fake.get(1).key(), fake.get(2).key()))
                .containsExactlyInAnyOrder("node-0", "node-1", "node-2");

        fake.ack(2);
        fake.ack(0);
        // The fake's promises run the handler's callbacks on this thread: had the handler answered on these
        // acknowledgements, the 200 would already be counted.
        assertThat(count("skulk_relay_ingest_requests_total", "200")).isZero();
        assertThat(server.handler().inFlight()).isEqualTo(1);
        assertThat(response).isNotDone();

        fake.ack(1);
        assertThat(count("skulk_relay_ingest_requests_total", "200")).isEqualTo(1);
        HttpResponse<String> r = join(response);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(server.handler().inFlight()).isZero();

        for (int k = 0; k < 3; k++) {
            EventBatch batch = fake.get(k).batch();
            assertThat(batch.nodeId()).isEqualTo(fake.get(k).key());
            assertThat(batch.source()).isEqualTo("http:127.0.0.1");
            assertThat(batch.sequence()).isEqualTo(-1);
            assertThat(batch.events()).hasSize(3).allSatisfy(e -> {
                assertThat(e.get("node_id")).isEqualTo(batch.nodeId());
                assertThat(e.get("ts")).isEqualTo("2025-03-04T05:06:07.000Z");
                assertThat(e.get(PipelineFields.SOURCE)).isEqualTo("http:127.0.0.1");
            });
        }
        assertThat(count("skulk_relay_ingest_lines_accepted_total", null)).isEqualTo(9);
        assertThat(count("skulk_relay_ingest_records_total", null)).isEqualTo(3);
        assertThat(count("skulk_relay_ingest_bytes_total", "received")).isEqualTo(body.length());
        assertThat(registry.get("skulk_relay_ingest_requests_total").tag("status", "200").counter().count()).isEqualTo(1);
    }

    @Test
    void kafkaHangingPastTheTimeoutIs503NeverA200() {
        start(config().withPublishTimeout(Duration.ofMillis(300)));
        fake.mode(Mode.HOLD);
        CompletableFuture<HttpResponse<String>> response = postAsync(SKULK_QUERY,
                utf8(skulkLine("a", "c", 1) + "\n" + skulkLine("b", "c", 2) + "\n"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.size() == 2);
        fake.ack(0); // one of two acknowledged, the other never

        HttpResponse<String> r = join(response);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("1 of 2 records acknowledged").contains("ingest.publish_timeout").contains("retry");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));

        fake.ack(1); // too late: the answer stays 503
        assertThat(count("skulk_relay_ingest_requests_total", "200")).isZero();
        assertThat(count("skulk_relay_ingest_requests_total", "503")).isEqualTo(1);
        assertThat(count("skulk_relay_ingest_lines_accepted_total", null)).isZero();
        assertThat(server.handler().inFlight()).isZero();
    }

    @Test
    void kafkaFailingIs503WithTheCause() {
        start(config());
        fake.mode(Mode.FAIL);
        HttpResponse<String> r = post(SKULK_QUERY, utf8(skulkLine("a", "c", 1) + "\n"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("cannot store the request in Kafka").contains("broker down (fake)");
    }

    @Test
    void oneFailedRecordAmongAcknowledgedOnesIs503() {
        start(config());
        fake.mode(Mode.HOLD);
        CompletableFuture<HttpResponse<String>> response = postAsync(SKULK_QUERY,
                utf8(skulkLine("a", "c", 1) + "\n" + skulkLine("b", "c", 2) + "\n"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.size() == 2);
        fake.ack(0);
        fake.fail(1, new IOException("NOT_ENOUGH_REPLICAS"));
        HttpResponse<String> r = join(response);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("NOT_ENOUGH_REPLICAS");
    }

    @Test
    void emptyBodyIs200WithNothingProduced() {
        start(config());
        assertThat(post(SKULK_QUERY, new byte[0]).statusCode()).isEqualTo(200);
        assertThat(post(SKULK_QUERY, utf8("\n\n  \n")).statusCode()).isEqualTo(200);
        assertThat(fake.size()).isZero();
    }

    // ---------------------------------------------------------------- what is stored

    @Test
    void vectorStyleRequestIsNormalized() {
        start(config());
        HttpResponse<String> r = post("_msg_field=message&_time_field=timestamp&_stream_fields=host,app&extra_fields=env%3Dprod",
                utf8("{\"timestamp\":\"2025-03-04T05:00:00Z\",\"host\":\"web-3\",\"app\":\"nginx\",\"message\":\"GET /\"}\n"
                        + "not json at all\n"),
                "Content-Type", "application/x-ndjson", "AccountID", "5", "ProjectID", "6");
        assertThat(r.statusCode()).isEqualTo(200);
        List<LogEvent> events = fake.events();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).asMap()).containsEntry("msg", "GET /").containsEntry("ts", "2025-03-04T05:00:00Z")
                .containsEntry("node_id", "web-3").containsEntry("component", "nginx").containsEntry("env", "prod")
                .containsEntry(PipelineFields.TENANT, "5:6");
        assertThat(events.get(1).asMap()).containsEntry("msg", "not json at all").containsKey(PipelineFields.PARSE_ERROR)
                .containsEntry("component", "unknown");
        assertThat(fake.get(0).key()).isEqualTo("web-3");
        assertThat(fake.get(1).key()).isEqualTo("http");
        assertThat(count("skulk_relay_ingest_lines_flagged_total", "not_json")).isEqualTo(1);
    }

    @Test
    void gzipAndZstdBodies() {
        start(config());
        String lines = skulkLine("n", "c", 1) + "\n" + skulkLine("n", "c", 2) + "\n";
        assertThat(post(SKULK_QUERY, gzip(utf8(lines)), "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
        assertThat(post(SKULK_QUERY, zstd(utf8(lines)), "Content-Encoding", "zstd").statusCode()).isEqualTo(200);
        assertThat(fake.events()).extracting(e -> e.get("msg")).containsExactly("line 1", "line 2", "line 1", "line 2");
        assertThat(count("skulk_relay_ingest_bytes_total", "decompressed")).isEqualTo(2.0 * lines.length());
    }

    @Test
    void largeBodyIsParsedOnAWorkerAndSplitIntoRecords() {
        start(config());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append(skulkLine("node-" + (i % 2), "c", i)).append('\n');
        }
        assertThat(sb.length()).isGreaterThan(IngestHandler.INLINE_BODY_BYTES);
        assertThat(post(SKULK_QUERY, utf8(sb.toString())).statusCode()).isEqualTo(200);
        List<LogEvent> events = fake.events();
        assertThat(events).hasSize(20_000);
        List<Object> node0 = new ArrayList<>();
        for (int k = 0; k < fake.size(); k++) {
            if (fake.get(k).key().equals("node-0")) {
                fake.get(k).batch().events().forEach(e -> node0.add(e.get("msg")));
            }
        }
        assertThat(node0).hasSize(10_000).startsWith("line 0", "line 2", "line 4").endsWith("line 19998");
    }

    @Test
    void debugParsesAndAnswersButProducesNothing() {
        start(config());
        HttpResponse<String> r = post(SKULK_QUERY + "&debug=1", utf8(skulkLine("n", "c", 1) + "\nraw\n"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(fake.size()).isZero();
        assertThat(count("skulk_relay_ingest_lines_debug_total", null)).isEqualTo(2);
        assertThat(post(SKULK_QUERY, utf8("x\n"), "VL-Debug", "1").statusCode()).isEqualTo(200);
        assertThat(fake.size()).isZero();
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void formContentTypeIs415AndNothingIsProduced() {
        start(config());
        HttpResponse<String> r = post(null, utf8("{\"_msg\":\"x\"}"), "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("application/stream+json");
        assertThat(fake.size()).isZero();
        assertThat(count("skulk_relay_ingest_requests_total", "415")).isEqualTo(1);
    }

    @Test
    void nonPostIs405() throws Exception {
        start(config());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(null))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(r.body()).contains("accepts only POST");
    }

    @Test
    void otherPathsAre404AndHealthIsOk() throws Exception {
        start(config());
        URI other = URI.create("http://127.0.0.1:" + server.port() + "/insert/elasticsearch/_bulk");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(other).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("/insert/jsonline");
        URI health = URI.create("http://127.0.0.1:" + server.port() + "/health");
        assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("OK");
    }

    @Test
    void tokenIsRequiredWhenConfigured() {
        start(config().withToken(TOKEN));
        byte[] body = utf8(skulkLine("n", "c", 1));
        HttpResponse<String> missing = post(SKULK_QUERY, body);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Bearer")).anyMatch(v -> v.startsWith("Basic"));
        HttpResponse<String> wrong = post(SKULK_QUERY, body, "Authorization", "Bearer wrong-token-0123456789");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("invalid token");
        assertThat(fake.size()).isZero();
        assertThat(post(SKULK_QUERY, body, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(fake.size()).isEqualTo(1);
        String inUrl = java.util.Base64.getEncoder().encodeToString(("skulk:" + TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(post(SKULK_QUERY, body, "Authorization", "Basic " + inUrl).statusCode()).isEqualTo(200);
        assertThat(fake.size()).isEqualTo(2);
    }

    @Test
    void badParametersAndEncodingsAre400() {
        start(config());
        byte[] body = utf8("{}");
        assertThat(post(null, body, "AccountID", "-1").body()).contains("AccountID");
        assertThat(post(null, body, "AccountID", "-1").statusCode()).isEqualTo(400);
        assertThat(post("extra_fields=nope", body).statusCode()).isEqualTo(400);
        assertThat(post(null, body, "Content-Encoding", "snappy").statusCode()).isEqualTo(400);
        HttpResponse<String> corrupt = post(null, utf8("this is not gzip"), "Content-Encoding", "gzip");
        assertThat(corrupt.statusCode()).isEqualTo(400);
        assertThat(corrupt.body()).contains("cannot decompress");
        assertThat(fake.size()).isZero();
    }

    @Test
    void zipBombIs413AndNothingIsProduced() {
        start(config().withLimits(1 << 20, 1024, 900 << 10));
        byte[] body = bomb(256L << 20, GZIPOutputStream::new);
        HttpResponse<String> r = post(SKULK_QUERY, body, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("after decompression").contains("ingest.max_body_bytes");
        assertThat(fake.size()).isZero();
        assertThat(server.handler().inFlight()).isZero();
    }

    /**
     * A raw HTTP/1.1 exchange (the JDK 17 client hangs when a server answers {@code Expect: 100-continue} with a
     * final status): sends the head, reads what the server answers; sends the body only after a 100.
     */
    private String rawExchange(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String first = readHead(in);
            if (!first.startsWith("HTTP/1.1 100")) {
                return first + readRest(in, first);
            }
            out.write(body);
            out.flush();
            String second = readHead(in);
            return first + second + readRest(in, second);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    /** The body after a final head: up to its Content-Length. */
    private static String readRest(InputStream in, String head) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    @Test
    void declaredContentLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
        start(config().withLimits(4096, 1024, 900 << 10));
        String answer = rawExchange("POST " + IngestRequestParser.PATH + "?" + SKULK_QUERY + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/stream+json\r\nContent-Length: 65536\r\nExpect: 100-continue\r\n\r\n", new byte[0]);
        assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue").contains("ingest.max_body_bytes");
        assertThat(fake.size()).isZero();
        assertThat(count("skulk_relay_ingest_requests_total", "413")).isEqualTo(1);
    }

    @Test
    void expectContinueIsAnsweredForAcceptedRequests() throws Exception {
        start(config());
        byte[] body = utf8(skulkLine("n", "c", 1) + "\n");
        String answer = rawExchange("POST " + IngestRequestParser.PATH + "?" + SKULK_QUERY + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n", body);
        assertThat(answer).startsWith("HTTP/1.1 100 Continue").contains("HTTP/1.1 200 OK");
        assertThat(fake.size()).isEqualTo(1);
    }

    @Test
    void refusedHeadsGetNo100Continue() throws Exception {
        start(config().withToken(TOKEN));
        String answer = rawExchange("POST " + IngestRequestParser.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 10\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", new byte[0]);
        assertThat(answer).startsWith("HTTP/1.1 401").contains("missing Authorization");
    }

    @Test
    void chunkedBodyGrowingOverTheLimitIs413() throws Exception {
        start(config().withLimits(4096, 1024, 900 << 10));
        byte[] body = utf8((skulkLine("n", "c", 1) + "\n").repeat(100));
        HttpRequest req = HttpRequest.newBuilder(URI.create(url(SKULK_QUERY)))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(fake.size()).isZero();
        assertThat(server.handler().inFlight()).isZero();
    }

    @Test
    void requestsBeyondTheConcurrencyLimitAre503() {
        start(config().withMaxConcurrentRequests(1));
        fake.mode(Mode.HOLD);
        CompletableFuture<HttpResponse<String>> first = postAsync(SKULK_QUERY, utf8(skulkLine("n", "c", 1)));
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.size() == 1);
        HttpResponse<String> second = post(SKULK_QUERY, utf8(skulkLine("n", "c", 2)));
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).contains("ingest.max_concurrent_requests");
        fake.ack(0);
        assertThat(join(first).statusCode()).isEqualTo(200);
        fake.mode(Mode.ACK);
        assertThat(post(SKULK_QUERY, utf8(skulkLine("n", "c", 3))).statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- server

    @Test
    void offDoesNotListenAndInvalidConfigDoesNotStart() {
        server = new IngestServer(vertx, IngestConfig.defaults(), fake, new SimpleMeterRegistry());
        assertThat(join(server.start())).isEqualTo(-1);
        IngestServer open = new IngestServer(vertx, IngestConfig.defaults().withListen("0.0.0.0:0"), fake, new SimpleMeterRegistry());
        CompletableFuture<Integer> f = open.start().toCompletionStage().toCompletableFuture();
        assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining("ingest.token: required");
    }

    @Test
    void servesHttpsWithASelfSignedCertificate() {
        SelfSignedCertificate cert;
        try {
            cert = SelfSignedCertificate.create("localhost");
        } catch (RuntimeException | LinkageError e) {
            Assumptions.abort("cannot generate a self-signed certificate here: " + e);
            return;
        }
        try {
            int port = start(config().withToken(TOKEN).withTls(cert.certificatePath(), cert.privateKeyPath()));
            HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
            Integer status = join(client.request(HttpMethod.POST, port, "127.0.0.1", IngestRequestParser.PATH + "?" + SKULK_QUERY)
                    .compose(req -> req.putHeader("Authorization", "Bearer " + TOKEN)
                            .send(Buffer.buffer(skulkLine("tls-node", "c", 1)))
                            .compose(resp -> resp.body().map(b -> resp.statusCode()))));
            assertThat(status).isEqualTo(200);
            assertThat(fake.get(0).key()).isEqualTo("tls-node");
            join(client.close());
        } finally {
            cert.delete();
        }
    }
}
