package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSinkConfig.Compression;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.BodyLines;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.Reassembler;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.VictoriaLogsRules;
import foundation.foxlight.skulklogs.schema.JsonText;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VictoriaLogsRequestBuilderTest {
    static final Instant NOW = Instant.parse("2026-05-04T12:00:00Z");
    static final String NOW_TEXT = "2026-05-04T12:00:00.000Z";
    static final VictoriaLogsSinkConfig DEFAULTS = VictoriaLogsSinkConfig.defaults();

    static LogEvent skulk(String msg) {
        return LogEvent.builder()
                .put("ts", "2026-05-04T11:59:00.123Z")
                .put("level", "INFO")
                .put("node_id", "laptop-1")
                .put("component", "worker")
                .put("module", "skulk.worker.runner")
                .put("function", "run")
                .put("line", 42L)
                .put("msg", msg)
                .build();
    }

    static VictoriaLogsRequest build(VictoriaLogsSinkConfig config, LogEvent... events) {
        return new VictoriaLogsRequestBuilder(config).build(List.of(events), NOW);
    }

    static ObjectNode onlyLine(VictoriaLogsRequest r) {
        List<String> lines = BodyLines.of(r);
        assertThat(lines).hasSize(1);
        return Reassembler.parse(lines.get(0));
    }

    /** Every line would be stored by VictoriaLogs as it is (nothing dropped, no 400). */
    static void assertStoredAsIs(VictoriaLogsRequest r, VictoriaLogsSinkConfig c) {
        VictoriaLogsRules.Limits limits = new VictoriaLogsRules.Limits(c.maxLineBytes(), c.maxFieldsPerLine(),
                c.maxFieldNameBytes(), c.retention(), c.futureRetention());
        assertThat(VictoriaLogsRules.judgeAll(BodyLines.of(r), limits, c.timeField(), NOW))
                .allMatch(v -> v instanceof VictoriaLogsRules.Verdict.Stored);
    }

    // ------------------------------------------------------------------ request shape

    @Test
    void uriCarriesStreamMsgAndTimeFieldsUrlEncoded() {
        VictoriaLogsRequestBuilder b = new VictoriaLogsRequestBuilder(DEFAULTS);
        assertThat(b.uri()).isEqualTo(
                "http://127.0.0.1:9428/insert/jsonline?_stream_fields=node_id%2Ccomponent&_msg_field=msg&_time_field=ts");
        VictoriaLogsRequestBuilder prefixed = new VictoriaLogsRequestBuilder(DEFAULTS.withUrl("https://logs.example.org/vl/"));
        assertThat(prefixed.uri()).startsWith("https://logs.example.org/vl/insert/jsonline?");
    }

    @Test
    void headersAreStreamJsonZstdAndTenantWhenConfigured() {
        assertThat(new VictoriaLogsRequestBuilder(DEFAULTS).headers()).containsExactlyInAnyOrderEntriesOf(
                Map.of("Content-Type", "application/stream+json", "Content-Encoding", "zstd"));
        assertThat(new VictoriaLogsRequestBuilder(DEFAULTS.withCompression(Compression.GZIP)).headers())
                .containsEntry("Content-Encoding", "gzip");
        assertThat(new VictoriaLogsRequestBuilder(DEFAULTS.withCompression(Compression.NONE).withTenant(7L, 3L)).headers())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("Content-Type", "application/stream+json", "AccountID", "7", "ProjectID", "3"));
        assertThat(new VictoriaLogsRequestBuilder(DEFAULTS.withTenant(null, 3L)).headers())
                .containsEntry("ProjectID", "3").doesNotContainKey("AccountID");
    }

    @Test
    void cleanEventsAreWrittenExactlyOneLineEachAndZstdCompressed() {
        LogEvent a = skulk("first");
        LogEvent b = skulk("second \"quoted\" \u00e9\u20ac\ud83d\ude00 and a\nnewline");
        LogEvent c = skulk("third").toBuilder().put("ctx", new JsonText("{\"a\":{\"b\":1},\"list\":[1,2]}")).build();
        VictoriaLogsRequest r = build(DEFAULTS, a, b, c);

        List<String> expected = List.of(LogEventJson.toJson(a), LogEventJson.toJson(b), LogEventJson.toJson(c));
        assertThat(BodyLines.of(r)).containsExactlyElementsOf(expected);
        assertThat(r.eventCount()).isEqualTo(3);
        assertThat(r.lineCount()).isEqualTo(3);
        long bytes = expected.stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length + 1).sum();
        assertThat(r.uncompressedBytes()).isEqualTo(bytes);
        assertThat(r.guards().isEmpty()).isTrue();
        assertThat(r.compression()).isEqualTo(Compression.ZSTD);
        byte[] raw = r.body().getBytes();
        // a zstd frame: magic 0xFD2FB528, little-endian
        assertThat(raw).startsWith((byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD);
        assertThat(r.headers()).containsEntry("Content-Encoding", "zstd");
        assertThat(r.uri()).isEqualTo(new VictoriaLogsRequestBuilder(DEFAULTS).uri());
        assertThat(r.headers()).containsEntry("Content-Type", "application/stream+json");
    }

    @Test
    void uncompressedBodyIsPlainNdjson() {
        VictoriaLogsRequest r = build(DEFAULTS.withCompression(Compression.NONE), skulk("x"), skulk("y"));
        assertThat(r.body().toString(StandardCharsets.UTF_8))
                .isEqualTo(LogEventJson.toJson(skulk("x")) + "\n" + LogEventJson.toJson(skulk("y")) + "\n");
        assertThat(r.headers()).doesNotContainKey("Content-Encoding");
    }

    @Test
    void emptyListGivesAnEmptyBody() {
        VictoriaLogsRequest r = build(DEFAULTS);
        assertThat(BodyLines.of(r)).isEmpty();
        assertThat(r.lineCount()).isZero();
        assertThat(r.uncompressedBytes()).isZero();
    }

    // ------------------------------------------------------------------ line length

    /** An event whose serialized line has exactly {@code size} bytes. */
    static LogEvent eventOfSize(int size) {
        int base = LogEventJson.toJson(skulk("")).getBytes(StandardCharsets.UTF_8).length;
        LogEvent e = skulk("x".repeat(size - base));
        assertThat(LogEventJson.toJson(e).getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return e;
    }

    @Test
    void lineOneByteBelowTheLimitIsSentAsIs() {
        LogEvent e = eventOfSize(DEFAULTS.maxLineBytes() - 1);
        VictoriaLogsRequest r = build(DEFAULTS, e);
        assertThat(BodyLines.of(r)).containsExactly(LogEventJson.toJson(e));
        assertThat(r.guards().isEmpty()).isTrue();
    }

    @Test
    void lineExactlyAtTheLimitIsSplitWithNothingLost() {
        LogEvent e = eventOfSize(DEFAULTS.maxLineBytes());
        VictoriaLogsRequest r = build(DEFAULTS, e);
        List<String> lines = BodyLines.of(r);
        assertThat(lines).hasSize(2);
        assertThat(lines).allSatisfy(l -> assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThan(DEFAULTS.maxLineBytes()));
        ObjectNode head = Reassembler.parse(lines.get(0));
        assertThat(head.get("log.part").asText()).isEqualTo("1/2");
        assertThat(head.get(PipelineFields.TRUNCATED_FROM_BYTES).asLong()).isEqualTo(DEFAULTS.maxLineBytes());
        assertThat(head.get(PipelineFields.ADJUSTED).asText()).isEqualTo("line_too_long");
        assertThat(r.guards().count(GuardReason.LINE_TOO_LONG)).isEqualTo(1);
        assertThat(r.guards().extraLines()).isEqualTo(1);
        assertThat(r.lineCount()).isEqualTo(2);
        assertThat(r.eventCount()).isEqualTo(1);
        List<ObjectNode> back = Reassembler.reassemble(lines, "msg");
        assertThat(back).hasSize(1);
        assertThat(Reassembler.accountingProblems(e, back.get(0), "ts")).isEmpty();
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void oneMegabyteMsgAndBigExceptionArePreservedAcrossParts() {
        StringBuilder msg = new StringBuilder();
        for (int i = 0; msg.length() < 1_000_000; i++) {
            msg.append("line ").append(i).append(" \"quoted\" caf\u00e9 \u20ac \ud83d\ude00 tab\t end\n");
        }
        String exception = "Traceback (most recent call last):\n" + "  File \"x.py\", line 1, in <module>\n".repeat(9000);
        LogEvent e = skulk(msg.toString()).toBuilder()
                .put("exception", exception)
                .put(PipelineFields.EVENT_ID, "laptop-1:stdout:123456")
                .build();
        int original = LogEventJson.toJson(e).getBytes(StandardCharsets.UTF_8).length;

        VictoriaLogsRequest r = build(DEFAULTS, skulk("before"), e, skulk("after"));
        List<String> lines = BodyLines.of(r);
        assertThat(lines.size()).isGreaterThan(5);
        assertThat(lines).allSatisfy(l -> assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThan(DEFAULTS.maxLineBytes()));
        int n = lines.size() - 2;
        ObjectNode head = Reassembler.parse(lines.get(1));
        assertThat(head.get("log.part").asText()).isEqualTo("1/" + n);
        assertThat(head.get(PipelineFields.TRUNCATED_FROM_BYTES).asLong()).isEqualTo(original);
        assertThat(head.get("level").asText()).isEqualTo("INFO");
        assertThat(head.get("module").asText()).isEqualTo("skulk.worker.runner");
        assertThat(head.get("line").asLong()).isEqualTo(42);
        for (int i = 2; i < lines.size() - 1; i++) {
            ObjectNode p = Reassembler.parse(lines.get(i));
            assertThat(p.get("log.part").asText()).isEqualTo(i + "/" + n);
            assertThat(p.get("ts").asText()).isEqualTo("2026-05-04T11:59:00.123Z");
            assertThat(p.get("node_id").asText()).isEqualTo("laptop-1");
            assertThat(p.get("component").asText()).isEqualTo("worker");
            assertThat(p.get(PipelineFields.EVENT_ID).asText()).isEqualTo("laptop-1:stdout:123456");
            assertThat(p.get("log.part_field").asText()).isIn("msg", "exception");
            assertThat(p.get("msg").asText()).isNotEmpty();
        }
        List<ObjectNode> back = Reassembler.reassemble(lines, "msg");
        assertThat(back).hasSize(3);
        assertThat(back.get(1).get("msg").asText()).isEqualTo(msg.toString());
        assertThat(back.get(1).get("exception").asText()).isEqualTo(exception);
        assertThat(Reassembler.accountingProblems(e, back.get(1), "ts")).isEmpty();
        assertThat(back.get(0).get("msg").asText()).isEqualTo("before");
        assertThat(back.get(2).get("msg").asText()).isEqualTo("after");
        assertThat(r.guards().count(GuardReason.LINE_TOO_LONG)).isEqualTo(1);
        assertThat(r.guards().extraLines()).isEqualTo(n - 1);
        assertThat(r.lineCount()).isEqualTo(lines.size());
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void hugeStreamFieldIsCappedInEveryPartSoAllPartsShareTheStream() {
        LogEvent e = skulk("m".repeat(300_000)).toBuilder().put("node_id", "n".repeat(5000)).build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        List<String> lines = BodyLines.of(r);
        List<String> nodeIds = new ArrayList<>();
        for (String l : lines) {
            nodeIds.add(Reassembler.parse(l).get("node_id").asText());
        }
        assertThat(nodeIds).allMatch(id -> id.equals("n".repeat(EventGuards.IDENTITY_CAP)));
        ObjectNode back = Reassembler.reassemble(lines, "msg").get(0);
        assertThat(Reassembler.accountingProblems(e, back, "ts")).isEmpty();
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void whenFixedFieldsAloneDoNotFitTheWholeLineIsWrappedIntoParts() {
        VictoriaLogsSinkConfig small = DEFAULTS.withLimits(8192, 1000, 128);
        LogEvent.Builder b = skulk("short").toBuilder();
        for (int i = 0; i < 150; i++) {
            b.put(String.format("%0100d", i), (long) i);
        }
        LogEvent e = b.build();
        VictoriaLogsRequest r = build(small, e);
        assertThat(r.guards().count(GuardReason.LINE_WRAPPED)).isEqualTo(1);
        assertThat(r.guards().count(GuardReason.LINE_TOO_LONG)).isEqualTo(1);
        List<String> lines = BodyLines.of(r);
        assertThat(lines.size()).isGreaterThan(1);
        assertThat(Reassembler.parse(lines.get(0)).get("log.part_field").asText()).isEqualTo("*");
        ObjectNode back = Reassembler.reassemble(lines, "msg").get(0);
        assertThat(Reassembler.accountingProblems(e, back, "ts")).isEmpty();
        assertStoredAsIs(r, small);
    }

    // ------------------------------------------------------------------ timestamps

    static Stream<Arguments> timestamps() {
        long s = NOW.getEpochSecond();
        return Stream.of(
                Arguments.of("RFC3339 ms Z", "2026-05-04T11:59:00.123Z", null),
                Arguments.of("RFC3339 offset", "2026-05-04T13:59:00+02:00", null),
                Arguments.of("RFC3339 nanoseconds", "2026-05-04T11:59:00.123456789Z", null),
                Arguments.of("RFC3339 without zone", "2026-05-04T11:59:00", null),
                Arguments.of("empty: ingest time", "", null),
                Arguments.of("zero: ingest time", "0", null),
                Arguments.of("46 h ahead", "2026-05-06T10:00:00Z", null),
                Arguments.of("89 d old", "2026-02-04T12:00:00Z", null),
                Arguments.of("words", "yesterday noon", GuardReason.TS_UNPARSEABLE),
                Arguments.of("space instead of T", "2026-05-04 11:59:00Z", GuardReason.TS_UNPARSEABLE),
                Arguments.of("February 30", "2026-02-30T00:00:00Z", GuardReason.TS_UNPARSEABLE),
                Arguments.of("10 fraction digits", "2026-05-04T11:59:00.1234567890Z", GuardReason.TS_UNPARSEABLE),
                Arguments.of("lower-case z", "2026-05-04T11:59:00z", GuardReason.TS_UNPARSEABLE),
                Arguments.of("RFC3339 old", "2025-12-01T00:00:00Z", GuardReason.TS_TOO_OLD),
                Arguments.of("RFC3339 future", "2026-05-07T12:00:00Z", GuardReason.TS_TOO_FAR_IN_FUTURE),
                Arguments.of("47.5 h ahead, inside the margin", "2026-05-06T11:30:00Z", GuardReason.TS_TOO_FAR_IN_FUTURE),
                Arguments.of("seconds", s - 60, null),
                Arguments.of("milliseconds", (s - 60) * 1000, null),
                Arguments.of("microseconds", (s - 60) * 1_000_000, null),
                Arguments.of("nanoseconds", (s - 60) * 1_000_000_000, null),
                Arguments.of("seconds as text", Long.toString(s - 60), null),
                Arguments.of("fractional seconds", new JsonText((s - 60) + ".25"), null),
                Arguments.of("fractional seconds text", (s - 60) + ".25", null),
                Arguments.of("seconds old", s - Duration.ofDays(91).toSeconds(), GuardReason.TS_TOO_OLD),
                Arguments.of("milliseconds future", (s + Duration.ofDays(3).toSeconds()) * 1000, GuardReason.TS_TOO_FAR_IN_FUTURE),
                Arguments.of("nanoseconds old", (s - Duration.ofDays(100).toSeconds()) * 1_000_000_000, GuardReason.TS_TOO_OLD),
                Arguments.of("numeric text with junk", "17778959x", GuardReason.TS_UNPARSEABLE),
                Arguments.of("exponent without dot", new JsonText("17e8"), GuardReason.TS_UNPARSEABLE),
                Arguments.of("beyond long", new JsonText("123456789012345678901234567890"), GuardReason.TS_UNPARSEABLE),
                Arguments.of("boolean", Boolean.TRUE, GuardReason.TS_UNPARSEABLE),
                Arguments.of("object", new JsonText("{\"s\":1}"), GuardReason.TS_UNPARSEABLE),
                Arguments.of("null", null, GuardReason.TS_UNPARSEABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamps")
    void timestampGuard(String label, Object ts, GuardReason expected) {
        LogEvent e = skulk("hello").toBuilder().put("ts", ts).build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        ObjectNode line = onlyLine(r);
        if (expected == null) {
            assertThat(BodyLines.of(r).get(0)).isEqualTo(LogEventJson.toJson(e));
            assertThat(r.guards().isEmpty()).isTrue();
        } else {
            String original = ts == null ? "null" : ts instanceof JsonText j ? j.json() : ts.toString();
            assertThat(line.get("ts").asText()).isEqualTo(NOW_TEXT);
            assertThat(line.get(PipelineFields.ORIGINAL_TS).asText()).isEqualTo(original);
            assertThat(line.get(PipelineFields.ADJUSTED).asText()).isEqualTo(expected.code());
            assertThat(r.guards().count(expected)).isEqualTo(1);
            assertThat(r.guards().counts()).hasSize(1);
        }
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void missingTimeFieldIsLeftForTheIngestTime() {
        LogEvent e = LogEvent.builder().put("level", "INFO").put("node_id", "n").put("component", "c").put("msg", "m").build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        assertThat(BodyLines.of(r)).containsExactly(LogEventJson.toJson(e));
        assertThat(r.guards().isEmpty()).isTrue();
    }

    // ------------------------------------------------------------------ fields

    @Test
    void twoThousandFieldsAreFoldedIntoOverflowWithNothingLost() {
        LogEvent.Builder b = skulk("many fields").toBuilder();
        for (int i = 0; i < 2000; i++) {
            b.put(String.format("f%04d", i), (long) i);
        }
        LogEvent e = b.build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        ObjectNode line = onlyLine(r);
        assertThat(line.size()).isLessThanOrEqualTo(DEFAULTS.maxFieldsPerLine() - 3);
        for (String kept : List.of("ts", "level", "node_id", "component", "module", "function", "line", "msg")) {
            assertThat(line.has(kept)).as(kept).isTrue();
        }
        assertThat(line.has("f0000")).isTrue();
        assertThat(line.has("f1999")).isFalse();
        ObjectNode overflow = Reassembler.parse(line.get("log.overflow_fields").asText());
        assertThat(overflow.get("f1999").asLong()).isEqualTo(1999);
        assertThat(overflow.size() + line.size() - 2).isEqualTo(e.size()); // minus overflow field and log.adjusted
        assertThat(line.get(PipelineFields.ADJUSTED).asText()).isEqualTo("too_many_fields");
        assertThat(r.guards().count(GuardReason.TOO_MANY_FIELDS)).isEqualTo(1);
        assertThat(Reassembler.accountingProblems(e, line, "ts")).isEmpty();
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void nestedObjectFlatteningIntoTooManyFieldsIsSentAsText() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 1500; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        json.append('}');
        LogEvent e = skulk("nested").toBuilder().put("ctx", new JsonText(json.toString())).build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        ObjectNode line = onlyLine(r);
        assertThat(line.get("ctx").isTextual()).isTrue();
        assertThat(line.get("ctx").asText()).isEqualTo(json.toString());
        assertThat(line.has("log.overflow_fields")).isFalse();
        assertThat(r.guards().count(GuardReason.NESTED_OBJECT_STRINGIFIED)).isEqualTo(1);
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void twoHundredByteFieldNamesAreRenamedAndTheOriginalKept() {
        String ascii = "a".repeat(200);
        String multiByte = "\u00e9".repeat(100); // 200 UTF-8 bytes
        LogEvent e = skulk("names").toBuilder().put(ascii, "v1").put(multiByte, 2L).build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        ObjectNode line = onlyLine(r);
        Iterator<String> names = line.fieldNames();
        while (names.hasNext()) {
            assertThat(names.next().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(128);
        }
        ObjectNode renamed = Reassembler.parse(line.get("log.renamed_fields").asText());
        assertThat(renamed.size()).isEqualTo(2);
        renamed.fields().forEachRemaining(f -> {
            assertThat(f.getKey()).startsWith(f.getValue().asText().substring(0, 50)).matches(".*~[0-9a-f]{8}");
            assertThat(line.has(f.getKey())).isTrue();
        });
        assertThat(line.get(PipelineFields.ADJUSTED).asText()).isEqualTo("field_name_too_long");
        assertThat(r.guards().count(GuardReason.FIELD_NAME_TOO_LONG)).isEqualTo(1);
        assertThat(Reassembler.accountingProblems(e, line, "ts")).isEmpty();
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void nestedObjectWithTooLongFlattenedNameIsSentAsText() {
        String json = "{\"inner\":{\"" + "k".repeat(120) + "\":1}}";
        LogEvent e = skulk("deep").toBuilder().put("ctx", new JsonText(json)).build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        ObjectNode line = onlyLine(r);
        assertThat(line.get("ctx").asText()).isEqualTo(json);
        assertThat(r.guards().count(GuardReason.NESTED_OBJECT_STRINGIFIED)).isEqualTo(1);
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void invalidVerbatimJsonIsSentAsString() {
        LogEvent e = skulk("bad json").toBuilder().put("ctx", new JsonText("{not json")).put("n", new JsonText("1 2")).build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        ObjectNode line = onlyLine(r);
        assertThat(line.get("ctx").asText()).isEqualTo("{not json");
        assertThat(line.get("n").asText()).isEqualTo("1 2");
        assertThat(r.guards().count(GuardReason.INVALID_JSON_VALUE)).isEqualTo(1);
        assertStoredAsIs(r, DEFAULTS);
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        LogEvent e = skulk("a\ud800b");
        ObjectNode line = onlyLine(build(DEFAULTS, e));
        assertThat(line.get("msg").asText()).isEqualTo("a\ufffdb");
        assertThat(line.get(PipelineFields.INVALID_UTF8).asBoolean()).isTrue();
        assertThat(line.get(PipelineFields.ADJUSTED).asText()).isEqualTo("invalid_text");
    }

    @Test
    void missingMsgAndStreamFieldsAreOnlyCounted() {
        LogEvent noMsg = LogEvent.builder().put("ts", "2026-05-04T11:59:00.123Z").put("level", "INFO").build();
        LogEvent emptyMsg = skulk("");
        VictoriaLogsRequest r = build(DEFAULTS, noMsg, emptyMsg);
        assertThat(BodyLines.of(r)).containsExactly(LogEventJson.toJson(noMsg), LogEventJson.toJson(emptyMsg));
        assertThat(r.guards().count(GuardReason.MSG_MISSING)).isEqualTo(2);
        assertThat(r.guards().count(GuardReason.STREAM_FIELD_MISSING)).isEqualTo(1);
        assertThat(r.guards().extraLines()).isZero();
    }

    @Test
    void existingAdjustedMarkerIsExtendedNotReplaced() {
        LogEvent e = skulk("x").toBuilder().put("ts", "garbage").put(PipelineFields.ADJUSTED, "agent_reason").build();
        ObjectNode line = onlyLine(build(DEFAULTS, e));
        assertThat(line.get(PipelineFields.ADJUSTED).asText()).isEqualTo("agent_reason,ts_unparseable");
    }

    @Test
    void guardsComposeOnOneEvent() {
        LogEvent.Builder b = skulk("z".repeat(400_000)).toBuilder().put("ts", "not a time").put("x".repeat(300), "long name");
        for (int i = 0; i < 1200; i++) {
            b.put("g" + i, "v" + i);
        }
        LogEvent e = b.build();
        VictoriaLogsRequest r = build(DEFAULTS, e);
        assertThat(r.guards().count(GuardReason.TS_UNPARSEABLE)).isEqualTo(1);
        assertThat(r.guards().count(GuardReason.FIELD_NAME_TOO_LONG)).isEqualTo(1);
        assertThat(r.guards().count(GuardReason.TOO_MANY_FIELDS)).isEqualTo(1);
        assertThat(r.guards().count(GuardReason.LINE_TOO_LONG)).isEqualTo(1);
        List<String> lines = BodyLines.of(r);
        ObjectNode back = Reassembler.reassemble(lines, "msg").get(0);
        assertThat(back.get(PipelineFields.ADJUSTED).asText())
                .isEqualTo("ts_unparseable,too_many_fields,field_name_too_long,line_too_long");
        assertThat(Reassembler.accountingProblems(e, back, "ts")).isEmpty();
        assertStoredAsIs(r, DEFAULTS);
        JsonNode ts = back.get("ts");
        assertThat(ts.asText()).isEqualTo(NOW_TEXT);
    }
}
