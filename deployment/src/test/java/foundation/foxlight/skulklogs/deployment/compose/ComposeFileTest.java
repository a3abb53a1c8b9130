package foundation.foxlight.skulklogs.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What both central stacks (compose.yaml, compose.scale-out.yaml) must get right, read from the files themselves. */
class ComposeFileTest {
    private static final Pattern IMAGE = Pattern.compile("^([a-z0-9./_-]+):([A-Za-z0-9._-]+)$");

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void everyImageIsPinnedToAVersionTag(String file) {
        ComposeFile c = ComposeFile.load(file);
        assertThat(c.services()).isNotEmpty();
        c.services().forEach((name, s) -> {
            String image = ComposeFile.image(s);
            Matcher m = IMAGE.matcher(image);
            assertThat(m.matches()).as("%s: image '%s' has repository:tag", name, image).isTrue();
            assertThat(m.group(2)).as("%s: tag of %s", name, image).isNotEqualToIgnoringCase("latest").containsPattern("\\d+\\.\\d+");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void kafkaAndTheRelayImageMatchTheBuild(String file) {
        ComposeFile c = ComposeFile.load(file);
        assertThat(c.servicesOf("apache/kafka")).isNotEmpty().allSatisfy((n, s) ->
                assertThat(ComposeFile.image(s)).isEqualTo("apache/kafka:" + System.getProperty("skulk.kafka.version")));
        assertThat(c.relays()).isNotEmpty().allSatisfy((n, s) ->
                assertThat(ComposeFile.image(s)).isEqualTo("skulk-logs:" + System.getProperty("skulk.version")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void grafanaRefusesToStartWithoutAnAdminPassword(String file) {
        JsonNode grafana = ComposeFile.load(file).service("grafana");
        assertThat(ComposeFile.env(grafana, "GF_SECURITY_ADMIN_PASSWORD")).startsWith("${GF_SECURITY_ADMIN_PASSWORD:?").endsWith("}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void everyServiceHasAHealthCheck(String file) {
        ComposeFile.load(file).services().forEach((name, s) -> {
            JsonNode hc = s.path("healthcheck");
            assertThat(hc.path("disable").asBoolean(false)).as("%s: healthcheck disabled", name).isFalse();
            assertThat(hc.path("test").isArray() && hc.path("test").size() >= 2).as("%s: healthcheck.test", name).isTrue();
            assertThat(hc.path("test").get(0).asText()).as(name).isIn("CMD", "CMD-SHELL");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void relaysStartOnlyAfterKafkaAndVictoriaLogsAreHealthy(String file) {
        ComposeFile c = ComposeFile.load(file);
        List<String> kafka = new ArrayList<>(c.servicesOf("apache/kafka").keySet());
        c.relays().forEach((name, relay) -> {
            JsonNode deps = relay.path("depends_on");
            List<String> expected = new ArrayList<>(kafka);
            // where the relay writes: the single VictoriaLogs, or vlinsert in the cluster
            String vlUrl = ComposeFile.env(relay, "SKULK_VICTORIALOGS_URL");
            assertThat(vlUrl).as("%s: SKULK_VICTORIALOGS_URL", name).matches("http://[a-z0-9-]+:9428");
            String vlService = vlUrl.replaceAll("^http://([a-z0-9-]+):9428$", "$1");
            assertThat(c.service(vlService).path("image").asText()).startsWith("victoriametrics/victoria-logs:");
            expected.add(vlService);
            for (String dep : expected) {
                assertThat(deps.path(dep).path("condition").asText()).as("%s depends_on %s", name, dep).isEqualTo("service_healthy");
            }
            // and it reaches Kafka at every broker's internal listener
            String bootstrap = ComposeFile.env(relay, "SKULK_LOGS_KAFKA");
            assertThat(bootstrap.split(",")).containsExactlyInAnyOrderElementsOf(kafka.stream().map(k -> k + ":19092").toList());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void theAdvertisedListenerComesFromKafkaAdvertisedHostAndMatchesThePublishedPort(String file) {
        ComposeFile.load(file).servicesOf("apache/kafka").forEach((name, k) -> {
            String advertised = ComposeFile.env(k, "KAFKA_ADVERTISED_LISTENERS");
            Matcher m = Pattern.compile("EXTERNAL://\\$\\{KAFKA_ADVERTISED_HOST:\\?[^}]+}:(\\$\\{KAFKA_PORT:-)?(\\d+)}?,INTERNAL://" + name + ":19092")
                    .matcher(advertised);
            assertThat(m.matches()).as("%s: %s", name, advertised).isTrue();
            List<String> ports = new ArrayList<>();
            k.path("ports").forEach(p -> ports.add(p.asText()));
            assertThat(ports).as(name).anySatisfy(p -> assertThat(p).matches("(\\$\\{KAFKA_PORT:-)?" + m.group(2) + "}?:9092"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void everyVictoriaLogsStorageKeepsNinetyDaysLikeTheRelayAndUsesANamedVolume(String file) throws Exception {
        ComposeFile c = ComposeFile.load(file);
        Map<String, JsonNode> storages = new java.util.LinkedHashMap<>();
        c.servicesOf("victoriametrics/victoria-logs").forEach((n, s) -> {
            if (ComposeFile.command(s).stream().anyMatch(a -> a.startsWith("-storageDataPath="))) {
                storages.put(n, s);
            }
        });
        assertThat(storages).isNotEmpty();
        String relayRetention = ComposeFile.load("relay.yaml").root().path("victorialogs").path("retention").asText();
        storages.forEach((n, s) -> {
            assertThat(ComposeFile.command(s)).as(n).contains("-retentionPeriod=90d", "-retentionPeriod=" + relayRetention);
            String dataPath = ComposeFile.command(s).stream().filter(a -> a.startsWith("-storageDataPath=")).findFirst().orElseThrow()
                    .substring("-storageDataPath=".length());
            assertThat(namedVolumeAt(c, s, dataPath)).as("%s: a named volume at %s", n, dataPath).isNotNull();
        });
        if (file.equals("compose.yaml")) {
            assertThat(namedVolumeAt(c, c.service("victorialogs"), "/vlogs")).isEqualTo("vlogs-data");
        }
        assertThat(namedVolumeAt(c, c.service("grafana"), "/var/lib/grafana")).isEqualTo("grafana-data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void everyBindMountedFileExists(String file) {
        ComposeFile c = ComposeFile.load(file);
        c.services().forEach((name, s) -> s.path("volumes").forEach(v -> {
            String source = v.asText().split(":")[0];
            if (source.startsWith("./")) {
                assertThat(Files.exists(ComposeFile.DEPLOYMENT_DIR.resolve(source))).as("%s mounts %s", name, source).isTrue();
            }
        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void theRelayHealthCheckProbesItsOwnHealthEndpoint(String file) {
        ComposeFile c = ComposeFile.load(file);
        String listen = ComposeFile.load("relay.yaml").root().path("http").path("listen").asText();
        c.relays().forEach((name, relay) -> {
            List<String> test = new ArrayList<>();
            relay.path("healthcheck").path("test").forEach(t -> test.add(t.asText()));
            assertThat(test).as(name).contains("HealthProbe", "http://127.0.0.1:" + listen.substring(listen.lastIndexOf(':') + 1) + "/health");
            assertThat(ComposeFile.command(relay)).containsExactly("relay", "--config", "/etc/skulk-logs/relay.yaml");
        });
    }

    /** The named (top-level) volume mounted at {@code target} in a service, or null. */
    private static String namedVolumeAt(ComposeFile c, JsonNode service, String target) {
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts.length >= 2 && parts[1].equals(target) && c.root().path("volumes").has(parts[0])) {
                return parts[0];
            }
        }
        return null;
    }
}
