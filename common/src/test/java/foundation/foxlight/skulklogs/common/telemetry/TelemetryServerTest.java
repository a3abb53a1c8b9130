package foundation.foxlight.skulklogs.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetryServerTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void healthSaysWhichCheckIsDownAndCarriesTheServerClock() throws Exception {
        HealthCheck down = new HealthCheck() {
            @Override
            public String name() {
                return "kafka";
            }

            @Override
            public Future<Status> check() {
                return Future.succeededFuture(Status.down("broker gone"));
            }
        };
        TelemetryServer server = new TelemetryServer(vertx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(down));
        int port = server.start("127.0.0.1", 0).await();
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("broker gone");
        ZonedDateTime date = ZonedDateTime.parse(r.headers().firstValue("Date").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Duration.between(date, ZonedDateTime.now()).abs()).isLessThan(Duration.ofSeconds(5));
    }

    /**
     * The server declines h2c upgrades and answers HTTP/1.1, like every Prometheus scraper expects (a JDK client's
     * upgrade once hung on a large relay /metrics page in FleetStatusIT); a large page arrives whole.
     */
    @Test
    void aLargeMetricsPageArrivesWholeForAClientOfferingAnH2cUpgrade() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (int i = 0; i < 3000; i++) {
            registry.counter("skulk_test_series_total", "n", Integer.toString(i)).increment(i);
        }
        int port = new TelemetryServer(vertx, registry, List.of()).start("127.0.0.1", 0).await();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> r = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body().length()).isGreaterThan(100 * 1024);
        assertThat(r.body()).contains("skulk_test_series_total{n=\"2999\"} 2999.0");
    }
}
