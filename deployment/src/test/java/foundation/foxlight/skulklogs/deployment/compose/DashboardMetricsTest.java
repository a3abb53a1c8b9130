package foundation.foxlight.skulklogs.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import foundation.foxlight.skulklogs.relay.telemetry.RelayMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every metric a dashboard queries exists: the relay's own ({@code skulk_relay_*}) in the relay's source and,
 * under exactly that exposition name, in a real Prometheus scrape of {@link RelayMetrics}; every other one
 * (Kafka client, scraper, VictoriaLogs) is listed in deployment/README.md.
 */
class DashboardMetricsTest {
    private static final Path RELAY_SOURCES = ComposeFile.DEPLOYMENT_DIR.resolveSibling("relay/src/main/java");
    private static final Pattern STRIP = Pattern.compile("\\b(by|without)\\s*\\([^)]*\\)|\\{[^}]*}|\\[[^]]*]|\"[^\"]*\"");
    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(?!\\s*\\()(?![a-zA-Z0-9_:])");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "on", "ignoring", "group_left", "group_right");

    /** Metric names in the PromQL of every dashboard target on the metrics datasource. */
    static Set<String> queriedMetrics() throws IOException {
        Set<String> out = new TreeSet<>();
        for (JsonNode d : GrafanaProvisioningTest.dashboards()) {
            for (JsonNode t : GrafanaProvisioningTest.targets(d)) {
                if (t.path("datasource").path("type").asText().equals("prometheus")) {
                    String expr = STRIP.matcher(t.path("expr").asText().replace("$__rate_interval", "")).replaceAll(" ");
                    Matcher m = TOKEN.matcher(expr);
                    while (m.find()) {
                        if (!KEYWORDS.contains(m.group())) {
                            out.add(m.group());
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theMetricExtractionSeesWhatAQueryUses() {
        Matcher m = TOKEN.matcher(STRIP.matcher("sum by (reason) (increase(skulk_relay_dead_lettered_total{a=\"b\"}[5m])) / up").replaceAll(" "));
        Set<String> found = new TreeSet<>();
        while (m.find()) {
            found.add(m.group());
        }
        assertThat(found).containsExactly("skulk_relay_dead_lettered_total", "up");
    }

    @Test
    void everyRelayMetricADashboardQueriesIsRegisteredInTheRelaySource() throws IOException {
        Set<String> relayMetrics = queriedMetrics().stream().filter(n -> n.startsWith("skulk_relay_")).collect(Collectors.toSet());
        assertThat(relayMetrics).hasSizeGreaterThanOrEqualTo(5);
        String sources;
        try (Stream<Path> files = Files.walk(RELAY_SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        for (String metric : relayMetrics) {
            String meter = metric.replaceAll("_seconds$|_seconds_(count|sum|max)$", "");
            assertThat(sources).as("relay source registers %s (as \"%s\" or \"%s\")", metric, metric, meter)
                    .containsAnyOf('"' + metric + '"', '"' + meter + '"');
        }
    }

    @Test
    void everyRelayMetricADashboardQueriesIsInTheRelaysScrape() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RelayMetrics metrics = new RelayMetrics(registry);
        metrics.linesIn(3);
        metrics.linesOut(2);
        metrics.deadLettered("too_long", 1);
        metrics.guard("timestamp", 1);
        metrics.insertFailed("http_503");
        metrics.committed();
        metrics.insertLatency().record(Duration.ofMillis(7));
        Set<String> scraped = registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        registry.close();
        Set<String> queried = queriedMetrics().stream().filter(n -> n.startsWith("skulk_relay_")).collect(Collectors.toSet());
        assertThat(scraped).containsAll(queried);
    }

    @Test
    void everyOtherMetricADashboardQueriesIsDocumented() throws IOException {
        String readme = Files.readString(ComposeFile.DEPLOYMENT_DIR.resolve("README.md"));
        Set<String> others = queriedMetrics().stream().filter(n -> !n.startsWith("skulk_relay_")).collect(Collectors.toSet());
        assertThat(others).isNotEmpty();
        for (String metric : others) {
            assertThat(readme).as("deployment/README.md documents %s", metric).contains("`" + metric + "`");
        }
    }
}
