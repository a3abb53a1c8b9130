package foundation.foxlight.skulklogs.it.victorialogs;

import static foundation.foxlight.skulklogs.it.victorialogs.AbstractVictoriaLogsContract.json;
import static foundation.foxlight.skulklogs.it.victorialogs.AbstractVictoriaLogsContract.ndjson;
import static foundation.foxlight.skulklogs.it.victorialogs.AbstractVictoriaLogsContract.recent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VictoriaLogsEndpointTest {
    @Test
    void startPicksTheUrlThenDockerThenTheStandIn() {
        try (VictoriaLogsEndpoint vl = VictoriaLogsEndpoint.start()) {
            String env = System.getenv(VictoriaLogsEndpoint.URL_ENV);
            VictoriaLogsEndpoint.Kind expected = env != null && !env.isBlank() ? VictoriaLogsEndpoint.Kind.REAL_URL
                    : VictoriaLogsEndpoint.isDockerAvailable() ? VictoriaLogsEndpoint.Kind.CONTAINER : VictoriaLogsEndpoint.Kind.STAND_IN;
            assertThat(vl.kind()).isEqualTo(expected);
            assertThat(vl.standIn().isPresent()).isEqualTo(expected == VictoriaLogsEndpoint.Kind.STAND_IN);
            assertThat(TestHttp.get(vl.baseUrl() + "/health").body().trim()).isEqualTo("OK");
        }
    }

    @Test
    void queryFlushesAndSortsByTimeAndCountCounts() {
        try (VictoriaLogsEndpoint vl = VictoriaLogsEndpoint.startStandIn(VictoriaLogsStandIn.builder().flushDelay(Duration.ofHours(1)))) {
            Tenant t = Tenant.random();
            assertThat(vl.insert(t, "_stream_fields=app", ndjson(
                    json("_msg", "third", "_time", recent(10), "app", "a"),
                    json("_msg", "first", "_time", recent(30), "app", "b"),
                    json("_msg", "second", "_time", recent(20), "app", "a"))).statusCode()).isEqualTo(200);
            List<Map<String, String>> rows = vl.query(t, "*");
            assertThat(rows).extracting(r -> r.get("_msg")).containsExactly("first", "second", "third");
            assertThat(rows.get(0)).containsEntry("app", "b").containsKeys("_time", "_stream", "_stream_id");
            assertThat(vl.count(t, "app:a")).isEqualTo(2);
            assertThat(vl.count("*")).as("the default tenant is another tenant").isZero();
            assertThat(vl.metricSum("vl_rows_ingested_total")).isEqualTo(3);
        }
    }

    @Test
    void aBadQueryThrowsWithTheServersAnswer() {
        try (VictoriaLogsEndpoint vl = VictoriaLogsEndpoint.startStandIn()) {
            assertThatThrownBy(() -> vl.query("error AND (")).isInstanceOf(IllegalStateException.class).hasMessageContaining("400");
        }
    }

    @Test
    void closeStopsTheStandInItStarted() {
        VictoriaLogsEndpoint vl = VictoriaLogsEndpoint.startStandIn();
        VictoriaLogsStandIn standIn = vl.standIn().orElseThrow();
        String url = vl.baseUrl();
        vl.close();
        assertThat(standIn.isUp()).isFalse();
        assertThatThrownBy(() -> TestHttp.sendFresh(TestHttp.getRequest(url + "/health"))).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void connectUsesARunningServerAndLeavesItRunning() {
        try (VictoriaLogsStandIn standIn = new VictoriaLogsStandIn()) {
            String url = standIn.start();
            VictoriaLogsEndpoint vl = VictoriaLogsEndpoint.connect(url + "/");
            assertThat(vl.kind()).isEqualTo(VictoriaLogsEndpoint.Kind.REAL_URL);
            assertThat(vl.standIn()).isEmpty();
            assertThat(vl.baseUrl()).isEqualTo(url);
            vl.close();
            assertThat(standIn.isUp()).isTrue();

            standIn.goDown();
            assertThatThrownBy(() -> VictoriaLogsEndpoint.connect(url)).hasCauseInstanceOf(ConnectException.class);
        }
    }
}
