package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.it.pipeline.MetricsPage;
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
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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

    /** Checks made on the page while the agent runs ({@code ok}) and after it stopped cleanly ({@code stopped}). */
    private interface PageCheck {
        void check(int port, String expectedStatus) throws Exception;
    }

    @Test
    void aRunningAgentIsVisibleAndAStoppedOneIsStopped() throws Exception {
        scenario((port, status) -> assertThat(node(port, "fleet-node").getString("status")).isEqualTo(status));
    }

    @Test
    void theStatusPageShowsItInARealBrowser() throws Exception {
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(CHROMIUM),
                "headless Chromium not installed at " + CHROMIUM + " (apt-get install chromium): status page not checked in a browser");
        scenario((port, status) -> assertThat(renderedRow(port, "fleet-node")).contains("class=\"" + status + "\""));
    }

    @Test
    void aNewAgentIsListedWithItsVersionAtOnce_notOneHeartbeatIntervalLater() throws Exception {
        Relay relay = pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), Tenant.random(), r -> r.override("http.listen", "127.0.0.1:0")));
        Path file = java.nio.file.Files.writeString(dir.resolve("skulk.stdout.log"), "");
        pipeline.startAgent(pipeline.agentConfig(file, "new-node", r -> r.override("heartbeat_interval", "1h")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonObject n = node(relay.httpPort(), "new-node");
            assertThat(n.getString("agent_version")).isNotBlank();
            assertThat(n.getJsonArray("sources", new io.vertx.core.json.JsonArray()).encode()).contains("skulk.stdout.log");
        });
    }

    /** A node whose agent died (kill -9: no last heartbeat) turns silent, red on the page, and counts on the fleet gauge. */
    @Test
    void aKilledAgentTurnsSilent() throws Exception {
        Relay relay = pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), Tenant.random(), r -> r.override("http.listen", "127.0.0.1:0")));
        Path file = java.nio.file.Files.writeString(dir.resolve("skulk.stdout.log"), "");
        Path config = java.nio.file.Files.writeString(dir.resolve("agent.yaml"), "heartbeat_interval: 300ms\n");
        try (LauncherProcess agent = LauncherProcess.start("agent", dir.resolve("agent.log"), List.of("-c", config.toString(), "--file",
                file.toString(), "--kafka", pipeline.bootstrapServers(), "--node-id", "doomed-node", "--state-dir", dir.resolve("state").toString(),
                "--http", "127.0.0.1:0"))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(node(relay.httpPort(), "doomed-node").getString("status"))
                    .isEqualTo("ok"));
            agent.kill();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(node(relay.httpPort(), "doomed-node").getString("status"))
                .isEqualTo("silent"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                MetricsPage.scrape("http://127.0.0.1:" + relay.httpPort()).sum("skulk_relay_fleet_nodes", "status=\"silent\"")).isEqualTo(1.0));
    }

    private void scenario(PageCheck check) throws Exception {
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
            check.check(relay.httpPort(), "ok");
        }
        pipeline.stopAgent();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(node(relay.httpPort(), "fleet-node").getString("status"))
                .isEqualTo("stopped"));
        check.check(relay.httpPort(), "stopped");
        // The same fact for dashboards and alerts: the fleet gauge counts the stopped node, and it is not silent.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            MetricsPage metrics = MetricsPage.scrape("http://127.0.0.1:" + relay.httpPort());
            assertThat(metrics.sum("skulk_relay_fleet_nodes", "status=\"stopped\"")).isEqualTo(1.0);
            assertThat(metrics.sum("skulk_relay_fleet_nodes", "status=\"silent\"")).isZero();
        });
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.httpPort() + "/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("skulk-logs fleet", "status.json");
    }

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /**
     * The node's table row as a real headless Chromium renders /status (the page builds its table with JavaScript).
     * Skipped, with the reason, where Chromium is not installed (Debian package {@code chromium}).
     */
    private String renderedRow(int port, String node) throws Exception {
        Path profile = java.nio.file.Files.createTempDirectory(dir, "chromium");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--virtual-time-budget=5000", "--dump-dom", "http://127.0.0.1:" + port + "/status")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<tr[^>]*data-node=\"" + node + "\"[^>]*>").matcher(dom);
        assertThat(m.find()).as("rendered page has a row for %s: %s", node, dom).isTrue();
        return m.group();
    }
}
