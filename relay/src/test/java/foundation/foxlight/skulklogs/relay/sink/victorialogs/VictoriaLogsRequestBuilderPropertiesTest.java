package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSinkConfig.Compression;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.BodyLines;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.Reassembler;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.VictoriaLogsRules;
import foundation.foxlight.skulklogs.schema.JsonText;
import foundation.foxlight.skulklogs.schema.LogEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * For any list of events: every body line is valid JSON strictly below {@code max_line_bytes} that
 * VictoriaLogs stores as is (by the independent {@link VictoriaLogsRules}), and the lines put back
 * together account for every field of every input event, in order.
 */
class VictoriaLogsRequestBuilderPropertiesTest {
    static final Instant NOW = Instant.parse("2026-05-04T12:00:00Z");
    /** The smallest limits the config accepts, so that the guards fire often. */
    static final VictoriaLogsSinkConfig SMALL = VictoriaLogsSinkConfig.defaults().withLimits(8192, 64, 128);
    static final VictoriaLogsRules.Limits LIMITS = new VictoriaLogsRules.Limits(8192, 64, 128, Duration.ofDays(90),
            Duration.ofDays(2));

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void everyLineIsStoredAndEveryEventAccountedFor(@ForAll("events") List<LogEvent> events, @ForAll Compression compression) {
        VictoriaLogsSinkConfig config = SMALL.withCompression(compression);
        VictoriaLogsRequest r = new VictoriaLogsRequestBuilder(config).build(events, NOW);
        List<String> lines = BodyLines.of(r);

        assertThat(r.eventCount()).isEqualTo(events.size());
        assertThat(r.lineCount()).isEqualTo(lines.size());
        assertThat(r.guards().extraLines()).isEqualTo(lines.size() - events.size());
        long bytes = 0;
        for (String line : lines) {
            int n = line.getBytes(StandardCharsets.UTF_8).length;
            bytes += n + 1;
            assertThat(n).isLessThan(config.maxLineBytes());
            VictoriaLogsRules.Verdict v = VictoriaLogsRules.judge(line, LIMITS, "ts", NOW);
            assertThat(v).as("verdict for %s", abbreviate(line)).isInstanceOf(VictoriaLogsRules.Verdict.Stored.class);
        }
        assertThat(r.uncompressedBytes()).isEqualTo(bytes);

        for (GuardReason reason : GuardReason.values()) {
            Statistics.label(reason.code()).collect(r.guards().count(reason) > 0);
        }

        List<ObjectNode> back = Reassembler.reassemble(lines, "msg");
        assertThat(back).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            List<String> problems = Reassembler.accountingProblems(events.get(i), back.get(i), "ts");
            assertThat(problems.stream().map(VictoriaLogsRequestBuilderPropertiesTest::abbreviate).toList())
                    .as("event %d: %s", i, abbreviate(events.get(i).toString()))
                    .isEmpty();
        }
        for (GuardReason reason : GuardReason.values()) {
            Statistics.label(reason.code()).coverage(c -> c.check(true).percentage(p -> p > 0.5));
        }
    }

    /** Shortened, with everything outside printable ASCII escaped (reports stay readable). */
    private static String abbreviate(String s) {
        String cut = s.length() <= 300 ? s : s.substring(0, 300) + "...";
        StringBuilder sb = new StringBuilder();
        for (char c : cut.toCharArray()) {
            sb.append(c >= ' ' && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<List<LogEvent>> events() {
        return event().list().ofMinSize(0).ofMaxSize(6);
    }

    Arbitrary<LogEvent> event() {
        Arbitrary<Object> ts = timestamp();
        Arbitrary<Object> msg = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) "")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) null)),
                net.jqwik.api.Tuple.of(6, text().map(s -> (Object) s)),
                net.jqwik.api.Tuple.of(3, bigText().map(s -> (Object) s)));
        Arbitrary<Object> nodeId = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just((Object) "laptop-1")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) null)),
                net.jqwik.api.Tuple.of(1, text().map(s -> (Object) s)),
                net.jqwik.api.Tuple.of(1, bigText().map(s -> (Object) s)));
        Arbitrary<List<Field>> extras = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, field().list().ofMaxSize(8)),
                net.jqwik.api.Tuple.of(2, field().list().ofMinSize(50).ofMaxSize(120)),
                // names of control characters (6 bytes each in JSON) with numbers: too big to cut, so wrapped
                net.jqwik.api.Tuple.of(1, Combinators.combine(
                                Arbitraries.strings().withCharRange('\u0001', '\u001f').ofMinLength(100).ofMaxLength(128),
                                Arbitraries.longs())
                        .as((n, v) -> new Field(n, v)).list().ofMinSize(15).ofMaxSize(40)));
        Arbitrary<Object> exception = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just((Object) null)),
                net.jqwik.api.Tuple.of(1, bigText().map(s -> (Object) s)));
        return Combinators.combine(ts, msg, nodeId, extras, exception, Arbitraries.integers().between(0, 3))
                .as((t, m, node, fields, exc, absent) -> {
                    LogEvent.Builder b = LogEvent.builder();
                    if (absent != 0) {
                        b.put("ts", t);
                    }
                    b.put("level", "INFO");
                    if (node != null) {
                        b.put("node_id", node);
                    }
                    b.put("component", "worker");
                    for (Field f : fields) {
                        b.put(f.name(), f.value());
                    }
                    if (m != null || absent == 1) {
                        b.put("msg", m);
                    }
                    if (exc != null) {
                        b.put("exception", exc);
                    }
                    return b.build();
                });
    }

    record Field(String name, Object value) {
    }

    Arbitrary<Field> field() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)),
                net.jqwik.api.Tuple.of(2, text().filter(s -> !s.isEmpty() && !s.startsWith("log."))),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(120).ofMaxLength(220)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars('\u00e9', '\u20ac', '\u4e2d').ofMinLength(40).ofMaxLength(80)));
        Arbitrary<Object> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, text().map(s -> (Object) s)),
                net.jqwik.api.Tuple.of(1, bigText().map(s -> (Object) s)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(x -> (Object) x)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) null)),
                net.jqwik.api.Tuple.of(3, jsonText().map(j -> (Object) j)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("{oops", "[1,", "1 2", "").map(s -> (Object) new JsonText(s))));
        return Combinators.combine(name, value).as(Field::new);
    }

    /** Text from every interesting character class, surrogate pairs included, rarely a lone surrogate. */
    Arbitrary<String> text() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, validPiece()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("\ud800", "\udfff", "\udc00x")));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    Arbitrary<String> validPiece() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withChars('"', '\\', '\n', '\t', '\u0000', '\u0001', '\u001f', '\u007f').ofMinLength(1).ofMaxLength(4),
                Arbitraries.strings().withCharRange('\u00a0', '\u07ff').ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withCharRange('\u0800', '\ud7ff').ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withChars('\u2028', '\u2029', '\ufffd', '\uffff').ofMinLength(1).ofMaxLength(2),
                Arbitraries.integers().between(0x10000, 0x10ffff).map(Character::toString));
    }

    /** Text big enough to make a line exceed 8 KiB, sometimes by a lot. */
    Arbitrary<String> bigText() {
        return Combinators.combine(text().filter(s -> !s.isEmpty()), Arbitraries.integers().between(200, 6000))
                .as((s, times) -> s.repeat(Math.max(1, times * 4 / Math.max(1, s.length()))));
    }

    Arbitrary<JsonText> jsonText() {
        return jsonNode(2).map(n -> {
            try {
                return new JsonText(VictoriaLogsRules.JSON.writeValueAsString(n));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    Arbitrary<JsonNode> jsonNode(int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                text().map(f::textNode),
                Arbitraries.longs().map(f::numberNode),
                Arbitraries.bigDecimals().between(BigDecimal.valueOf(-1e6), BigDecimal.valueOf(1e6)).ofScale(3)
                        .map(d -> (JsonNode) f.numberNode(d)),
                Arbitraries.just(f.nullNode()),
                Arbitraries.just(f.booleanNode(true)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(60).ofMaxLength(100));
        Arbitrary<JsonNode> object = Combinators.combine(key, jsonNode(depth - 1)).as(Map::entry).list().ofMaxSize(4)
                .map(entries -> {
                    ObjectNode o = f.objectNode();
                    entries.forEach(e -> o.set(e.getKey(), e.getValue()));
                    return (JsonNode) o;
                });
        Arbitrary<JsonNode> wide = Arbitraries.integers().between(40, 90).map(n -> {
            ObjectNode o = f.objectNode();
            for (int i = 0; i < n; i++) {
                o.put("k" + i, i);
            }
            return (JsonNode) o;
        });
        Arbitrary<JsonNode> array = jsonNode(depth - 1).list().ofMaxSize(4).map(vs -> {
            ArrayNode a = f.arrayNode();
            vs.forEach(a::add);
            return (JsonNode) a;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(3, object),
                net.jqwik.api.Tuple.of(1, wide),
                net.jqwik.api.Tuple.of(2, array));
    }

    Arbitrary<Object> timestamp() {
        long s = NOW.getEpochSecond();
        Arbitrary<Long> offset = Arbitraries.longs().between(-Duration.ofDays(200).toSeconds(), Duration.ofDays(10).toSeconds());
        return Arbitraries.oneOf(
                offset.map(o -> (Object) NOW.plusSeconds(o).toString()),
                offset.map(o -> (Object) NOW.plusSeconds(o).atOffset(java.time.ZoneOffset.ofHours(5)).toString()),
                offset.map(o -> (Object) (s + o)),
                offset.map(o -> (Object) ((s + o) * 1000)),
                offset.map(o -> (Object) ((s + o) * 1_000_000_000L)),
                offset.map(o -> (Object) Long.toString(s + o)),
                offset.map(o -> (Object) new JsonText((s + o) + ".5")),
                Arbitraries.of("", "0", "garbage", "2026-02-30T00:00:00Z", "2026-05-04 12:00:00Z", "17e8")
                        .map(x -> (Object) x),
                text().map(x -> (Object) x),
                Arbitraries.just((Object) Boolean.TRUE),
                Arbitraries.just((Object) null));
    }
}
