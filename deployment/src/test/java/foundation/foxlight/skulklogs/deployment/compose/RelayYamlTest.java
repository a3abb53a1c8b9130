package foundation.foxlight.skulklogs.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.relay.Relay;
import foundation.foxlight.skulklogs.relay.config.RelayConfig;
import foundation.foxlight.skulklogs.relay.config.RelayConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deployment/relay.yaml, loaded by the relay's own config loader with each stack's relay environment. */
class RelayYamlTest {
    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void theRelayAcceptsItsConfigWithTheEnvironmentComposeGivesIt(String file) {
        ComposeFile.load(file).relays().forEach((name, relay) -> {
            Map<String, String> env = new java.util.HashMap<>();
            relay.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            RelayConfig config = RelayConfigLoader.load(ConfigReader.load(ComposeFile.DEPLOYMENT_DIR.resolve("relay.yaml"), env::get), env::get);
            assertThat(config.kafka().bootstrapServers()).as(name).isEqualTo(env.get("SKULK_LOGS_KAFKA"));
            assertThat(config.victoriaLogs().url()).as(name).isEqualTo(env.get("SKULK_VICTORIALOGS_URL"));
            assertThat(config.kafka().groupId()).as(name).isEqualTo("skulk-logs-relay");
            // reachable from VictoriaMetrics' scrape and the published port, on the port the health check probes
            assertThat(config.httpHost()).isEqualTo("0.0.0.0");
            JsonNode ports = relay.path("ports");
            assertThat(ports.get(0).asText()).endsWith(":" + config.httpPort());
            assertThat(config.victoriaLogs().retention()).isEqualTo(Duration.ofDays(90));
            // compose kills a container 10 s after SIGTERM unless told otherwise: the relay's clean stop must fit
            String stopGrace = relay.path("stop_grace_period").asText("10s");
            Duration grace = ConfigReader.parseDuration(stopGrace);
            assertThat(grace).as("%s: stop_grace_period %s in one unit (e.g. 60s)", name, stopGrace).isNotNull();
            assertThat(grace).as("%s: stop_grace_period", name).isGreaterThan(Relay.cleanStopBound(config).plusSeconds(5));
        });
    }
}
