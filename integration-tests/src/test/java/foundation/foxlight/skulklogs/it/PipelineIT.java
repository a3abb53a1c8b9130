package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.pipeline.SkulkLines;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.it.victorialogs.VictoriaLogsEndpoint;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * End to end: Skulk lines written to a file reach VictoriaLogs through a real Kafka broker, every one of
 * them, field by field, none twice. VictoriaLogs is {@code $VICTORIALOGS_URL}, a container, or the stand-in
 * ({@link VictoriaLogsEndpoint#start()}); rows are written under a random tenant so a shared real server is fine.
 */
class PipelineIT extends PipelineTestBase {
    private static final int LINES = 100_000;
    private static final Pattern PLAIN_SEQ = Pattern.compile("seq=(\\d+)$");


    @Test
    void everyLineArrivesOnceFieldByField() throws Exception {
        Tenant tenant = Tenant.random();
        Path file = dir.resolve("skulk.stdout.log");
        SkulkLines gen = new SkulkLines("laptop-1", "agent-node");
        Map<Long, Map<String, String>> expected = new HashMap<>();
        Instant base = Instant.now().minusSeconds(600);

        // Half the lines exist before the agent starts, half are appended while it runs.
        append(file, gen, 0, LINES / 2, base, expected);
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        pipeline.startAgent(pipeline.agentConfig(file, "agent-node", UnaryOperator.identity()));
        append(file, gen, LINES / 2, LINES, base, expected);

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(store.count(tenant, "*")).isGreaterThanOrEqualTo(LINES));

        List<Map<String, String>> rows = store.query(tenant, "*");
        Map<Long, Map<String, String>> bySeq = new HashMap<>();
        List<Long> duplicates = new ArrayList<>();
        for (Map<String, String> row : rows) {
            long seq = seqOf(row);
            if (bySeq.put(seq, row) != null) {
                duplicates.add(seq);
            }
        }
        assertThat(duplicates).as("lines stored twice").isEmpty();
        assertThat(rows).hasSize(LINES);
        List<Long> missing = expected.keySet().stream().filter(s -> !bySeq.containsKey(s)).sorted().toList();
        assertThat(missing).as("lines missing").isEmpty();
        for (Map.Entry<Long, Map<String, String>> e : expected.entrySet()) {
            assertRow(e.getKey(), bySeq.get(e.getKey()), e.getValue());
        }
    }

    private static void append(Path file, SkulkLines gen, int from, int to, Instant base, Map<Long, Map<String, String>> expected)
            throws Exception {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            for (int i = from; i < to; i++) {
                SkulkLines.GeneratedLine line = gen.line(i, base.plusMillis(i));
                out.write(line.bytes());
                out.write('\n');
                expected.put(line.seq(), line.expected());
            }
        }
    }

    private static long seqOf(Map<String, String> row) {
        String seq = row.get("seq");
        if (seq != null) {
            return Long.parseLong(seq);
        }
        Matcher m = PLAIN_SEQ.matcher(row.getOrDefault("_msg", ""));
        assertThat(m.find()).as("row without a sequence number: %s", row).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void assertRow(long seq, Map<String, String> row, Map<String, String> expected) {
        for (Map.Entry<String, String> f : expected.entrySet()) {
            String name = f.getKey();
            if (f.getValue().equals(SkulkLines.ANY)) {
                assertThat(row).as("line %d field %s", seq, name).containsKey(name);
            } else if (name.equals("_time")) {
                assertThat(Instant.parse(row.get("_time"))).as("line %d _time", seq).isEqualTo(Instant.parse(f.getValue()));
            } else {
                assertThat(row.get(name)).as("line %d field %s", seq, name).isEqualTo(f.getValue());
            }
        }
        for (String name : row.keySet()) {
            if (!name.startsWith("_") && !expected.containsKey(name)) {
                throw new AssertionError("line " + seq + " has an unexpected field " + name + "=" + row.get(name) + " in " + row);
            }
        }
    }
}
