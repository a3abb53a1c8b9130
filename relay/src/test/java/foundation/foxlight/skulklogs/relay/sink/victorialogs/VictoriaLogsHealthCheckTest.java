package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.common.telemetry.HealthCheck;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class VictoriaLogsHealthCheckTest {
    private FakeVictoriaLogs fake;
    private WebClient client;

    @BeforeEach
    void start(Vertx vertx) {
        fake = await(FakeVictoriaLogs.start(vertx));
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        client.close();
        await(fake.close());
    }

    private HealthCheck.Status check(Vertx vertx, VictoriaLogsSinkConfig config) {
        return await(new VictoriaLogsHealthCheck(vertx, client, config).check());
    }

    private VictoriaLogsSinkConfig config() {
        return VictoriaLogsSinkConfig.defaults().withUrl(fake.baseUrl() + "/");
    }

    @Test
    void upWhenHealthAnswersOk(Vertx vertx) {
        HealthCheck.Status s = check(vertx, config());
        assertThat(s.up()).isTrue();
        assertThat(s.detail()).isEqualTo("OK at " + fake.baseUrl() + "/health");
        assertThat(new VictoriaLogsHealthCheck(vertx, client, config()).name()).isEqualTo("victorialogs");
    }

    @Test
    void downWithStatusAndBody(Vertx vertx) {
        fake.health(Reply.status(503, "storage is starting"));
        HealthCheck.Status s = check(vertx, config());
        assertThat(s.up()).isFalse();
        assertThat(s.detail()).isEqualTo("answered 503 Service Unavailable at " + fake.baseUrl() + "/health: storage is starting");
    }

    @Test
    void downWhenSomethingElseAnswers(Vertx vertx) {
        fake.health(Reply.status(200, "<html>nginx</html>"));
        HealthCheck.Status s = check(vertx, config());
        assertThat(s.up()).isFalse();
        assertThat(s.detail()).contains("instead of 'OK'").contains("<html>nginx</html>");
    }

    @Test
    void downWhenConnectionRefused(Vertx vertx) {
        HttpServer closed = await(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1"));
        int port = closed.actualPort();
        await(closed.close());
        HealthCheck.Status s = check(vertx, VictoriaLogsSinkConfig.defaults().withUrl("http://127.0.0.1:" + port));
        assertThat(s.up()).isFalse();
        assertThat(s.detail()).isEqualTo("connection refused at http://127.0.0.1:" + port + "/health");
    }

    @Test
    void downWhenNoAnswerInTime(Vertx vertx) {
        fake.health(Reply.hang());
        HealthCheck.Status s = check(vertx, config().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(200)));
        assertThat(s.up()).isFalse();
        assertThat(s.detail()).isEqualTo("no answer within 200 ms from " + fake.baseUrl() + "/health");
    }

    @Test
    void ownClientIsClosedWithTheCheck(Vertx vertx) {
        VictoriaLogsHealthCheck own = VictoriaLogsHealthCheck.create(vertx, config());
        assertThat(await(own.check()).up()).isTrue();
        own.close();
        assertThat(await(own.check()).up()).isFalse();
    }
}
