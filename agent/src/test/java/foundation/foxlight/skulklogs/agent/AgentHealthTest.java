package foundation.foxlight.skulklogs.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.common.config.EnvFile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's /health names a source that cannot read (here: --file pointed at a directory) until it can. */
class AgentHealthTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aSourceThatCannotReadIsNamedOnHealth_untilItCan() throws Exception {
        Path file = Files.createDirectory(dir.resolve("skulk.stdout.log"));
        Agent agent = new Agent(AgentConfigLoader.load(ConfigReader.empty().override("sources.files.include", file.toString())
                .override("kafka.bootstrap_servers", "127.0.0.1:1").override("state_dir", dir.resolve("state").toString())
                .override("http.listen", "127.0.0.1:0"), EnvFile.layered(Map.of(), dir.resolve("none.env"))));
        Vertx vertx = Vertx.vertx();
        try {
            vertx.deployVerticle(agent).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !sources(agent).getBoolean("up"));
            assertThat(sources(agent).getString("detail")).contains("file " + file, "Is a directory");

            Files.delete(file);
            Files.writeString(file, "{\"msg\": \"now a file\"}\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> sources(agent).getBoolean("up"));
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.metrics().linesReadTotal() == 1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static JsonObject sources(Agent agent) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).getJsonObject("checks").getJsonObject("sources");
    }
}
