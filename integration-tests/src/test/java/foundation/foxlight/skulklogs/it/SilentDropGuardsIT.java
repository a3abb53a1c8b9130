package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every input for which VictoriaLogs answers 200 and drops the line (victorialogs-api.md), sent through the whole
 * pipeline: the store drops nothing (its drop counters stay 0) and every line can be found, adjusted and marked.
 */
class SilentDropGuardsIT extends PipelineTestBase {
    private static String line(String ts, String marker, String extra) {
        return "{\"ts\": " + ts + ", \"level\": \"INFO\", \"node_id\": \"guard-node\", \"component\": \"worker\", \"msg\": \"" + marker
                + "\"" + extra + "}";
    }

    @Test
    void nothingIsHandedToTheStoreInAFormItSilentlyDrops() throws Exception {
        Assumptions.assumeTrue(store.standIn().isPresent(), "needs the stand-in's drop counters; VictoriaLogs here is " + store.kind());
        VictoriaLogsStandIn standIn = store.standIn().orElseThrow();
        Tenant tenant = Tenant.random();
        String now = "\"" + Instant.now() + "\"";
        StringBuilder manyFields = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            manyFields.append(", \"f").append(i).append("\": ").append(i);
        }
        List<String> lines = List.of(
                line("\"" + Instant.now().minus(200, ChronoUnit.DAYS) + "\"", "older than retention", ""),
                line("\"" + Instant.now().plus(10, ChronoUnit.DAYS) + "\"", "far in the future", ""),
                line("\"not a time\"", "unparseable time", ""),
                line(now, "too many fields", manyFields.toString()),
                line(now, "long field name", ", \"" + "k".repeat(200) + "\": 1"),
                line(now, "big line " + "x".repeat(200_000), ", \"exception\": \"" + "y".repeat(200_000) + "\""),
                line(now, "after the big line", ""));
        Path file = dir.resolve("guards.log");
        Files.writeString(file, String.join("\n", lines) + "\n");
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        pipeline.startAgent(pipeline.agentConfig(file, "guard-node", r -> r.override("sources.files.max_line_bytes", "1MiB")));

        for (String marker : List.of("older than retention", "far in the future", "unparseable time", "too many fields", "long field name",
                "after the big line")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "\"" + marker + "\"") == 1);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "log.part:*") >= 2);
        assertThat(standIn.droppedCounts().values().stream().mapToLong(Long::longValue).sum())
                .as("lines the store dropped silently: %s", standIn.droppedCounts()).isZero();

        Map<String, String> old = store.query(tenant, "\"older than retention\"").get(0);
        assertThat(old).containsKey("log.original_ts");
        assertThat(store.query(tenant, "\"unparseable time\"").get(0).get("log.original_ts")).isEqualTo("not a time");
        assertThat(store.query(tenant, "\"too many fields\"").get(0)).containsKey("log.overflow_fields");
        assertThat(store.query(tenant, "\"long field name\"").get(0)).containsKey("log.renamed_fields");
        // The big line arrived in parts that hold all of it.
        long bigChars = store.query(tenant, "log.part:*").stream().mapToLong(r -> r.getOrDefault("_msg", "").length()
                + r.getOrDefault("exception", "").length()).sum();
        assertThat(bigChars).isGreaterThanOrEqualTo(400_000);
    }
}
