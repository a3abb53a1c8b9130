package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.LineId;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A corpus of 10,000 bad lines through the whole pipeline: not JSON, invalid UTF-8, NUL bytes, 1 MB lines, deeply
 * nested JSON, 2,000 fields, huge numbers, timestamps far in the past and future, ANSI escapes. Each line carries a
 * marker {@code bad-<n>}; every marker must be found in the store (no line lost), and the store must not have
 * dropped anything silently.
 */
class BadInputCorpusIT extends PipelineTestBase {
    private static final int LINES = 10_000;
    private static final Pattern MARKER = Pattern.compile("bad-(\\d+)\\b");

    private static byte[] line(int i) {
        String m = "bad-" + i;
        String now = Instant.now().toString();
        return switch (i % 10) {
            case 0 -> ("plain text, not JSON " + m).getBytes(StandardCharsets.UTF_8);
            case 1 -> concat(("{\"msg\": \"" + m + " invalid utf8 ").getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                    "\"}".getBytes(StandardCharsets.UTF_8));
            case 2 -> ("raw NUL\u0000 in text " + m).getBytes(StandardCharsets.UTF_8);
            case 3 -> i % 1000 == 3 ? ("{\"msg\": \"" + m + " " + "z".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8)
                    : ("{\"msg\": \"" + m + " medium " + "z".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"msg\": \"" + m + " nested\", \"deep\": " + "[".repeat(300) + "1" + "]".repeat(300) + "}").getBytes(StandardCharsets.UTF_8);
            case 5 -> {
                StringBuilder b = new StringBuilder("{\"msg\": \"" + m + " wide\"");
                for (int f = 0; f < 2000; f++) {
                    b.append(", \"f").append(f).append("\": ").append(f);
                }
                yield b.append('}').toString().getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> ("{\"msg\": \"" + m + " huge numbers\", \"n\": 123456789012345678901234567890, \"x\": 1e400}").getBytes(StandardCharsets.UTF_8);
            case 7 -> ("{\"ts\": \"" + Instant.now().minus(3650, ChronoUnit.DAYS) + "\", \"msg\": \"" + m + " ancient\"}").getBytes(StandardCharsets.UTF_8);
            case 8 -> ("{\"ts\": \"" + Instant.now().plus(365, ChronoUnit.DAYS) + "\", \"msg\": \"" + m + " future\"}").getBytes(StandardCharsets.UTF_8);
            default -> ("{\"ts\": \"" + now + "\", \"msg\": \"\\u001b[31m" + m + " ansi\\u001b[0m\"}").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void everyBadLineIsAccountedFor() throws Exception {
        Tenant tenant = Tenant.random();
        Path file = dir.resolve("bad.log");
        ByteArrayOutputStream corpus = new ByteArrayOutputStream();
        for (int i = 0; i < LINES; i++) {
            corpus.writeBytes(line(i));
            corpus.write('\n');
        }
        Files.write(file, corpus.toByteArray());
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, UnaryOperator.identity()));
        Agent agent = pipeline.startAgent(pipeline.agentConfig(file, "bad-node", UnaryOperator.identity()));

        Set<Integer> found = new TreeSet<>();
        List<LineId> copies = new java.util.ArrayList<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            found.clear();
            copies.clear();
            for (Map<String, String> row : store.query(tenant, "*")) {
                Matcher m = MARKER.matcher(row.getOrDefault("_msg", ""));
                if (m.find()) {
                    found.add(Integer.parseInt(m.group(1)));
                    copies.add(new LineId("bad-node", Long.parseLong(m.group(1))));
                }
            }
            return found.size() == LINES;
        });
        ScenarioReport.record("10 bad-input corpus (" + LINES + " lines, 10 kinds)",
                new DeliveryAccounting().written("bad-node", LINES).countedDrops(agent.metrics().linesDroppedTotal()).account(copies, List.of()),
                new PeakMemory.Table().addThisJvm().asMap());
        assertThat(agent.metrics().linesDroppedTotal()).isZero();
        store.standIn().ifPresent(s -> assertThat(s.droppedCounts().values().stream().mapToLong(Long::longValue).sum())
                .as("lines the store dropped silently: %s", s.droppedCounts()).isZero());
        assertThat(store.count(tenant, "log.parse_error:*")).as("lines kept as text").isGreaterThanOrEqualTo(LINES / 10 * 2);
        assertThat(store.count(tenant, "log.invalid_utf8:true")).isGreaterThanOrEqualTo(LINES / 10);
        assertThat(store.count(tenant, "log.original_ts:*")).as("timestamps corrected").isGreaterThanOrEqualTo(LINES / 10 * 2);
    }
}
