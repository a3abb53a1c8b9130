package foundation.foxlight.skulklogs.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.common.config.EnvFile;
import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaBroker;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every check at once against a working node: a real Kafka broker with the topics, a real agent tailing a Skulk
 * JSON file into it, and stand-ins for the relay and VictoriaLogs. Nothing may fail; then the agent is stopped
 * and the doctor says so.
 */
class HealthyPipelineDoctorTest {
    @TempDir
    Path dir;

    @Test
    void aWorkingNodeHasNoFailureAndAStoppedAgentIsOne() throws Exception {
        Path log = Fixtures.skulkLog(dir, 10);
        Path env = Fixtures.envFile(dir, "SKULK_LOGGING_EXTERNAL=1\n");
        Vertx vertx = Vertx.vertx();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0, Map.of()).start();
                StandInServer relay = new StandInServer(vertx, 200, StandInServer.health(true, StandInServer.part("kafka", true, "ok")));
                StandInServer vl = new StandInServer(vertx, 200, "OK")) {
            Topics.ensure(broker.bootstrapServers(), Map.of("skulk-logs", 3, "skulk-logs-status", 1), (short) 1);
            AgentConfig config = AgentConfigLoader.load(ConfigReader.empty().override("sources.files.include", log.toString())
                    .override("kafka.bootstrap_servers", broker.bootstrapServers()).override("state_dir", dir.resolve("state").toString())
                    .override("http.listen", "127.0.0.1:0"), EnvFile.layered(Map.of(), env));
            Agent agent = new Agent(config);
            String deployment = vertx.deployVerticle(agent).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.metrics().linesShippedTotal() == 10);

            String[] args = Fixtures.array(Fixtures.args(dir, log, "--kafka", broker.bootstrapServers(), "--agent-http",
                    "127.0.0.1:" + agent.httpPort(), "--relay", relay.url(), "--victorialogs", vl.url()));
            DoctorRun r = DoctorRun.of(args);
            assertThat(r.named("FAIL")).as(r.toString()).isEmpty();
            assertThat(r.exitCode()).isZero();
            for (String ok : new String[] {"config", "agent.running", "logfile", "kafka.reachable", "kafka.advertised", "kafka.topic",
                    "kafka.status_topic", "skulk.env", "buffer", "relay.health", "victorialogs.health", "clock"}) {
                assertThat(r.status(ok)).as(ok + " in " + r).isEqualTo("OK");
            }
            assertThat(r.what("buffer")).contains("0 record(s) not yet in Kafka");

            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            DoctorRun stopped = DoctorRun.of(args);
            assertThat(stopped.status("agent.running")).isEqualTo("FAIL");
            assertThat(stopped.what("agent.running")).contains("no agent answers at http://127.0.0.1:" + agent.httpPort() + "/health");
            assertThat(stopped.status("buffer")).as("read offline now").isEqualTo("OK");
            assertThat(stopped.exitCode()).isEqualTo(1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
