package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSinkConfig.Compression;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs.RecordedRequest;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs.Reply;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.vertx.junit5.VertxExtension;

@ExtendWith(VertxExtension.class)
class VictoriaLogsServiceTest {
    private FakeVictoriaLogs fake;
    private VictoriaLogsService service;

    @BeforeEach
    void start(Vertx vertx) {
        fake = await(FakeVictoriaLogs.start(vertx));
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        await(fake.close());
    }

    private VictoriaLogsSinkConfig config() {
        return VictoriaLogsSinkConfig.defaults().withUrl(fake.baseUrl());
    }

    private InsertOutcome send(Vertx vertx, VictoriaLogsSinkConfig config, List<LogEvent> events) {
        service = VictoriaLogsService.create(vertx, config);
        VictoriaLogsRequest request = new VictoriaLogsRequestBuilder(config).build(events, Instant.now());
        return await(service.send(request));
    }

    private static List<LogEvent> events(int n) {
        List<LogEvent> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(LogEvent.builder().put("ts", Instant.now().toString()).put("level", "INFO").put("node_id", "laptop-1")
                    .put("component", "worker").put("msg", "event " + i + " caf\u00e9").build());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZSTD", "GZIP"})
    void compressedRoundTripWithUrlAndHeaders(Compression compression, Vertx vertx) {
        List<LogEvent> events = events(3);
        InsertOutcome outcome = send(vertx, config().withCompression(compression), events);

        assertThat(outcome).isEqualTo(new InsertOutcome.Delivered(200));
        RecordedRequest req = fake.requests().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/insert/jsonline");
        assertThat(req.query()).containsEntry("_stream_fields", "node_id,component")
                .containsEntry("_msg_field", "msg").containsEntry("_time_field", "ts");
        assertThat(req.headers()).containsEntry("content-type", "application/stream+json")
                .containsEntry("content-encoding", compression.contentEncoding())
                .doesNotContainKeys("accountid", "projectid");
        assertThat(req.lines()).containsExactlyElementsOf(events.stream().map(LogEventJson::toJson).toList());
        assertThat(fake.stored()).hasSize(3);
        assertThat(fake.stored().get(2).get("msg").asText()).isEqualTo("event 2 caf\u00e9");
        assertThat(fake.silentDrops()).isEmpty();
    }

    @Test
    void plainBodyAndTenantHeaders(Vertx vertx) {
        InsertOutcome outcome = send(vertx, config().withCompression(Compression.NONE).withTenant(12L, 34L), events(2));
        assertThat(outcome).isInstanceOf(InsertOutcome.Delivered.class);
        RecordedRequest req = fake.requests().get(0);
        assertThat(req.headers()).doesNotContainKey("content-encoding")
                .containsEntry("accountid", "12").containsEntry("projectid", "34");
        assertThat(new String(req.rawBody(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(req.body());
        assertThat(req.lines()).hasSize(2);
    }

    @Test
    void statusSequenceIsClassified(Vertx vertx) {
        fake.enqueue(Reply.withRetryAfter(503, "3"), Reply.status(429, "storage is read-only"),
                Reply.status(400, "cannot parse timestamp"), Reply.status(404, "unsupported path"),
                Reply.status(500), Reply.status(204));
        VictoriaLogsSinkConfig c = config();
        service = VictoriaLogsService.create(vertx, c);
        VictoriaLogsRequest request = new VictoriaLogsRequestBuilder(c).build(events(1), Instant.now());

        InsertOutcome.Retry unavailable = (InsertOutcome.Retry) await(service.send(request));
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.retryAfterHint()).contains(Duration.ofSeconds(3));
        InsertOutcome.Retry readOnly = (InsertOutcome.Retry) await(service.send(request));
        assertThat(readOnly.reason()).isEqualTo("429 Too Many Requests: storage is read-only");
        assertThat(await(service.send(request))).isEqualTo(new InsertOutcome.Rejected(400, "cannot parse timestamp"));
        InsertOutcome.Rejected notFound = (InsertOutcome.Rejected) await(service.send(request));
        assertThat(notFound.isContentRejection()).isFalse();
        assertThat(await(service.send(request))).isInstanceOf(InsertOutcome.Retry.class);
        assertThat(await(service.send(request))).isEqualTo(new InsertOutcome.Delivered(204));
        assertThat(fake.requests()).hasSize(6)
                .allSatisfy(r -> assertThat(r.lines()).isEqualTo(fake.requests().get(0).lines()));
    }

    @Test
    void connectionRefusedIsARetry(Vertx vertx) {
        HttpServer closed = await(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1"));
        int port = closed.actualPort();
        await(closed.close());
        InsertOutcome outcome = send(vertx, config().withUrl("http://127.0.0.1:" + port), events(1));
        assertThat(outcome).isInstanceOf(InsertOutcome.Retry.class);
        assertThat(((InsertOutcome.Retry) outcome).reason()).startsWith("connection refused");
        assertThat(((InsertOutcome.Retry) outcome).status()).isZero();
    }

    @Test
    void timeoutIsARetry(Vertx vertx) {
        fake.enqueue(Reply.hang());
        InsertOutcome outcome = send(vertx, config().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(1)), events(1));
        assertThat(outcome).isInstanceOf(InsertOutcome.Retry.class);
        assertThat(((InsertOutcome.Retry) outcome).reason()).startsWith("timeout");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void connectingWaitsAtMostFiveSecondsEvenWithALongRequestTimeout() {
        assertThat(VictoriaLogsService.clientOptions(config().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2)))
                .getConnectTimeout()).isEqualTo(5000);
        assertThat(VictoriaLogsService.clientOptions(config().withTimeouts(Duration.ofMillis(800), Duration.ofSeconds(2)))
                .getConnectTimeout()).isEqualTo(800);
    }

    @Test
    void connectionClosedWithoutAnswerIsARetry(Vertx vertx) {
        fake.enqueue(Reply.closeConnection());
        InsertOutcome outcome = send(vertx, config(), events(1));
        assertThat(outcome).isInstanceOf(InsertOutcome.Retry.class);
        assertThat(((InsertOutcome.Retry) outcome).reason()).startsWith("connection closed");
    }

    @Test
    void unknownHostIsARetry(Vertx vertx) {
        InsertOutcome outcome = send(vertx, config().withUrl("http://no-such-host.invalid:9428"), events(1));
        assertThat(outcome).isInstanceOf(InsertOutcome.Retry.class);
    }
}
