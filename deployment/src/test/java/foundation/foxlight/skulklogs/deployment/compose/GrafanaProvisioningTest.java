package foundation.foxlight.skulklogs.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Grafana's provisioning: the datasources (VictoriaLogs the default), and dashboards that only use them. */
class GrafanaProvisioningTest {
    static final Path DASHBOARDS = ComposeFile.DEPLOYMENT_DIR.resolve("grafana/dashboards");

    /** Provisioned datasources by uid. */
    static Map<String, JsonNode> datasources() {
        Map<String, JsonNode> out = new HashMap<>();
        ComposeFile.load("grafana/provisioning/datasources/skulk-logs.yaml").root().path("datasources").forEach(d -> out.put(d.path("uid").asText(), d));
        return out;
    }

    static List<JsonNode> dashboards() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(new ObjectMapper().readTree(f.toFile()));
            }
        }
        return out;
    }

    /** Every query target of every panel (rows' nested panels included). */
    static List<JsonNode> targets(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            p.path("targets").forEach(out::add);
        }
        return out;
    }

    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            out.add(p);
            p.path("panels").forEach(out::add);
        });
        return out;
    }

    @Test
    void victoriaLogsIsTheOnlyDefaultDatasourceAndEveryUrlComesFromTheEnvironment() {
        Map<String, JsonNode> ds = datasources();
        assertThat(ds).containsKeys("skulk-victorialogs", "skulk-metrics");
        assertThat(ds.values().stream().filter(d -> d.path("isDefault").asBoolean())).singleElement()
                .satisfies(d -> assertThat(d.path("type").asText()).isEqualTo("victoriametrics-logs-datasource"));
        ds.values().forEach(d -> assertThat(d.path("url").asText()).matches("\\$\\{[A-Z_]+}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void grafanaInstallsThePinnedPluginAndSetsEveryDatasourceUrl(String file) {
        JsonNode grafana = ComposeFile.load(file).service("grafana");
        String plugin = ComposeFile.env(grafana, "GF_PLUGINS_PREINSTALL_SYNC");
        assertThat(plugin).matches("victoriametrics-logs-datasource@\\d+\\.\\d+\\.\\d+");
        datasources().values().forEach(d -> {
            String var = d.path("url").asText().replaceAll("[${}]", "");
            String url = ComposeFile.env(grafana, var);
            assertThat(url).as("%s sets %s", file, var).matches("http://[a-z0-9-]+:\\d+");
            String service = url.replaceAll("^http://([a-z0-9-]+):\\d+$", "$1");
            assertThat(ComposeFile.load(file).services()).as("%s: %s points at a service", file, var).containsKey(service);
        });
        List<String> mounts = new ArrayList<>();
        grafana.path("volumes").forEach(v -> mounts.add(v.asText()));
        assertThat(mounts).contains("./grafana/provisioning:/etc/grafana/provisioning:ro",
                "./grafana/dashboards:" + ComposeFile.load("grafana/provisioning/dashboards/skulk-logs.yaml").root()
                        .path("providers").get(0).path("options").path("path").asText() + ":ro");
    }

    @Test
    void everyDashboardParsesHasAUniqueUidAndQueriesOnlyProvisionedDatasources() throws IOException {
        List<JsonNode> dashboards = dashboards();
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(2);
        Set<String> uids = new HashSet<>();
        Map<String, JsonNode> ds = datasources();
        for (JsonNode d : dashboards) {
            assertThat(uids.add(d.path("uid").asText())).as("unique uid %s", d.path("uid")).isTrue();
            assertThat(panels(d)).as(d.path("title").asText()).isNotEmpty();
            for (JsonNode p : panels(d)) {
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                String title = d.path("title").asText() + " / " + p.path("title").asText();
                assertThat(ds).as(title).containsKey(p.path("datasource").path("uid").asText());
                assertThat(p.path("targets")).as(title).isNotEmpty();
                for (JsonNode t : p.path("targets")) {
                    JsonNode target = ds.get(t.path("datasource").path("uid").asText());
                    assertThat(target).as("%s: target datasource %s", title, t.path("datasource")).isNotNull();
                    assertThat(t.path("datasource").path("type").asText()).as(title).isEqualTo(target.path("type").asText());
                    assertThat(t.path("expr").asText()).as(title).isNotBlank();
                }
            }
        }
    }

    @Test
    void theDashboardsCoverVolumeErrorsLiveTailAndPipelineHealth() throws IOException {
        List<String> exprs = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (JsonNode d : dashboards()) {
            targets(d).forEach(t -> exprs.add(t.path("expr").asText()));
            panels(d).forEach(p -> types.add(p.path("type").asText()));
        }
        assertThat(exprs).anyMatch(e -> e.contains("stats by (node_id)"))
                .anyMatch(e -> e.contains("stats by (level)"))
                .anyMatch(e -> e.contains("level:in(ERROR, CRITICAL)") && e.contains("by (component"))
                .anyMatch(e -> e.contains("records_lag"))
                .anyMatch(e -> e.contains("skulk_relay_dead_lettered_total"))
                .anyMatch(e -> e.contains("max(_time)"));
        assertThat(types).contains("logs");
    }
}
