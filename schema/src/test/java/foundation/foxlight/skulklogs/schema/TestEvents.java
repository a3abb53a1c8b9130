package foundation.foxlight.skulklogs.schema;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators and sample data shared by the schema tests. */
final class TestEvents {
    /** Lines exactly as Skulk prints them ({@code json.dumps} defaults: ASCII-only, ", " and ": "). */
    static final List<String> SKULK_LINES = List.of(
            "{\"ts\": \"2026-05-04T12:34:56.789Z\", \"level\": \"INFO\", \"node_id\": \"mac-studio-1\", "
                    + "\"component\": \"worker\", \"module\": \"skulk.worker.runner\", \"function\": \"run_task\", "
                    + "\"line\": 142, \"msg\": \"task started\"}",
            "{\"ts\": \"2026-05-04T12:34:57.001Z\", \"level\": \"SUCCESS\", \"node_id\": \"mac-studio-1\", "
                    + "\"component\": \"worker\", \"module\": \"skulk.worker.runner\", \"function\": \"run_task\", "
                    + "\"line\": 171, \"msg\": \"caf\\u00e9 \\ud83d\\ude80 done in 1.2s\"}",
            "{\"ts\": \"2026-05-04T12:35:00.000Z\", \"level\": \"ERROR\", \"node_id\": \"linux-box\", "
                    + "\"component\": \"sync\", \"module\": \"skulk.sync.client\", \"function\": \"pull\", "
                    + "\"line\": 88, \"msg\": \"pull failed: \\\"timeout\\\"\", \"exception\": "
                    + "\"Traceback (most recent call last):\\n  File \\\"/opt/skulk/sync/client.py\\\", line 88, in pull\\n"
                    + "    resp = session.get(url, timeout=5)\\nTimeoutError: timed out\"}",
            "{\"ts\": \"2026-05-04T12:35:01.500Z\", \"level\": 25, \"node_id\": \"linux-box\", "
                    + "\"component\": \"unknown\", \"module\": \"\", \"function\": \"<module>\", \"line\": 1, "
                    + "\"msg\": \"\\u001b[31mred\\u001b[0m tab\\there C:\\\\path\"}",
            "{\"ts\": \"2026-05-04T12:35:02.250Z\", \"level\": \"WARNING\", \"node_id\": \"linux-box\", "
                    + "\"component\": \"api\", \"module\": \"skulk.api.server\", \"function\": \"handle\", \"line\": 310, "
                    + "\"msg\": \"slow request\", \"elapsed\": 2.50, \"extra\": {\"path\": \"/v1/tasks\", \"ids\": [1, 2, 3]}}",
            "{\"ts\": \"2026-05-04T12:35:03.999Z\", \"level\": \"CRITICAL\", \"node_id\": \"mac-mini\", "
                    + "\"component\": \"main\", \"module\": \"skulk.main\", \"function\": \"main\", \"line\": 12, "
                    + "\"msg\": \"\\u65e5\\u672c\\u8a9e \\u0000 nul\"}");

    private TestEvents() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static LogEvent parse(String line) {
        return LogEventJson.parse(utf8(line));
    }

    /** Strings of every kind: any UTF-16 code unit (lone surrogates included), escapes, long ASCII. */
    static Arbitrary<String> strings(int maxLength) {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(maxLength),
                Arbitraries.strings().ascii().ofMaxLength(maxLength),
                Arbitraries.strings()
                        .withChars("\"\\/\u0000\u0001\u001b\u007f\n\r\t\ufffd\ufeff\u00e9\u20ac\ud83d\ude80\ud800\udc00")
                        .withCharRange('a', 'c')
                        .ofMaxLength(maxLength),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(60).ofMaxLength(140));
    }

    static Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.of(LogEvent.TS, LogEvent.LEVEL, LogEvent.NODE_ID, LogEvent.COMPONENT, LogEvent.MODULE,
                        LogEvent.FUNCTION, LogEvent.LINE, LogEvent.MSG, LogEvent.EXCEPTION,
                        PipelineFields.PARSE_ERROR, PipelineFields.INVALID_UTF8, ""),
                strings(12));
    }

    /** JSON text of arbitrary values (not necessarily in the compact form {@link LogEventJson} writes). */
    static Arbitrary<String> jsonTexts() {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(40)),
                        new java.math.BigInteger("1" + "0".repeat(40))).map(Object::toString),
                Arbitraries.of("1.50", "-0.0", "0.1", "1e400", "-1E-400", "6.02214076e+23", "123456789012345678901234567890",
                        "-9223372036854775809", "9223372036854775808", "true", "false", "null",
                        "\"\"", "\"\\u0000\\ud800x\\\"\\\\\\/\"", "\"\\u00e9\\ud83d\\ude80\""),
                Arbitraries.strings().alpha().ofMaxLength(4).map(s -> "\"" + s + "\""));
        return Arbitraries.recursive(() -> scalar, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(3).map(l -> "[ " + String.join(" , ", l) + "]"),
                Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(3), inner)
                        .as((k, v) -> "\"" + k + "\" : " + v)
                        .list().ofMaxSize(3).map(l -> "{" + String.join(",", l) + "}")), 0, 4);
    }

    /** Values in the form {@link LogEventJson#parse} produces them (JsonText compact). */
    static Arbitrary<Object> parsedValues() {
        return jsonTexts().map(text -> {
            LogEvent e = parse("{\"v\":" + text + "}");
            if (e.has(PipelineFields.PARSE_ERROR)) {
                throw new AssertionError("generator made invalid JSON " + text + ": " + e);
            }
            return e.get("v");
        });
    }

    static Arbitrary<Object> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((Object) null)),
                Tuple.of(5, strings(80).map(s -> (Object) s)),
                Tuple.of(2, Arbitraries.longs().map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b)),
                Tuple.of(2, parsedValues()));
    }

    /** Events whose values are all in parsed form, so that {@code parse(toJson(e)).equals(e)} must hold. */
    static Arbitrary<LogEvent> events() {
        return Combinators.combine(names(), values()).as(Tuple::of).list().ofMaxSize(12).map(fields -> {
            LogEvent.Builder b = LogEvent.builder();
            fields.forEach(f -> b.put(f.get1(), f.get2()));
            return b.build();
        });
    }

    /** Events with any values, including JsonText that is not JSON at all (the batch codec must not care). */
    static Arbitrary<LogEvent> anyEvents() {
        Arbitrary<Object> value = Arbitraries.oneOf(values(), strings(20).map(s -> (Object) new JsonText(s)));
        return Combinators.combine(names(), value).as(Tuple::of).list().ofMaxSize(12).map(fields -> {
            LogEvent.Builder b = LogEvent.builder();
            fields.forEach(f -> b.put(f.get1(), f.get2()));
            return b.build();
        });
    }

    static Arbitrary<EventBatch> batches() {
        return Combinators.combine(strings(20), strings(40), Arbitraries.longs(), Arbitraries.longs(),
                        anyEvents().list().ofMaxSize(8))
                .as(EventBatch::new);
    }
}
