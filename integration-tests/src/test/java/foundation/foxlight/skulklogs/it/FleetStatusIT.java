package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.pipeline.SkulkWriter;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.relay.Relay;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fleet view: a running agent appears on the relay's /status.json with its heartbeat and line rate, and turns silent when it stops. */
class FleetStatusIT extends PipelineTestBase {
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonObject node(int port, String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(n -> n.getString("node_id").equals(id)).findFirst().orElse(new JsonObject());
    }

    @Test
    void aRunningAgentIsVisibleAndASilentOneTurnsRed() throws Exception {
        Relay relay = pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), Tenant.random(), r -> r.override("http.listen", "127.0.0.1:0")));
        Path file = dir.resolve("skulk.stdout.log");
        pipeline.startAgent(pipeline.agentConfig(file, "fleet-node", r -> r.override("heartbeat_interval", "300ms")));
        try (SkulkWriter writer = SkulkWriter.start(file, "fleet-node", 10, 20)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonObject n = node(relay.httpPort(), "fleet-node");
                assertThat(n.getString("status")).isEqualTo("ok");
                assertThat(n.getLong("lines_per_min", 0L)).isPositive();
                assertThat(n.getString("agent_version")).isNotBlank();
                assertThat(n.getLong("lines_shipped", 0L)).isPositive();
            });
        }
        pipeline.stopAgent();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(node(relay.httpPort(), "fleet-node").getString("status"))
                .isEqualTo("silent"));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.httpPort() + "/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("skulk-logs fleet", "status.json");
    }
}
