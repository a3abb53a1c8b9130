package foundation.foxlight.skulklogs.schema;

import static foundation.foxlight.skulklogs.schema.TestEvents.parse;
import static foundation.foxlight.skulklogs.schema.TestEvents.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogEventJsonTest {

    static List<String> names(LogEvent e) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            names.add(e.name(i));
        }
        return names;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static void assertRoundTrips(LogEvent e) {
        String json = LogEventJson.toJson(e);
        assertThat(LogEventJson.parse(utf8(json))).as("parse(toJson(e)) for %s", json).isEqualTo(e);
    }

    static void assertNotJson(LogEvent e, String raw, String reasonPrefix) {
        assertThat(names(e)).containsExactly(LogEvent.MSG, PipelineFields.PARSE_ERROR);
        assertThat(e.get(LogEvent.MSG)).isEqualTo(raw);
        assertThat((String) e.get(PipelineFields.PARSE_ERROR)).startsWith(reasonPrefix);
        assertShortReason(e);
    }

    static void assertShortReason(LogEvent e) {
        String reason = (String) e.get(PipelineFields.PARSE_ERROR);
        assertThat(reason).hasSizeLessThan(220).doesNotContain("\n").doesNotContain("Source").doesNotContain("REDACTED");
    }

    @Nested
    class SkulkLines {
        @Test
        void infoLineKeepsFieldsTypesAndOrder() {
            LogEvent e = parse(TestEvents.SKULK_LINES.get(0));

            assertThat(names(e)).containsExactly("ts", "level", "node_id", "component", "module", "function", "line", "msg");
            assertThat(e.get(LogEvent.TS)).isEqualTo("2026-05-04T12:34:56.789Z");
            assertThat(e.get(LogEvent.LEVEL)).isEqualTo("INFO");
            assertThat(e.get(LogEvent.NODE_ID)).isEqualTo("mac-studio-1");
            assertThat(e.get(LogEvent.COMPONENT)).isEqualTo("worker");
            assertThat(e.get(LogEvent.MODULE)).isEqualTo("skulk.worker.runner");
            assertThat(e.get(LogEvent.FUNCTION)).isEqualTo("run_task");
            assertThat(e.get(LogEvent.LINE)).isEqualTo(142L);
            assertThat(e.get(LogEvent.MSG)).isEqualTo("task started");
        }

        @Test
        void infoLineSerializesCompactlyInTheSameOrder() {
            LogEvent e = parse(TestEvents.SKULK_LINES.get(0));

            assertThat(LogEventJson.toJson(e)).isEqualTo("{\"ts\":\"2026-05-04T12:34:56.789Z\",\"level\":\"INFO\","
                    + "\"node_id\":\"mac-studio-1\",\"component\":\"worker\",\"module\":\"skulk.worker.runner\","
                    + "\"function\":\"run_task\",\"line\":142,\"msg\":\"task started\"}");
        }

        @Test
        void unicodeEscapesAreDecoded() {
            LogEvent e = parse(TestEvents.SKULK_LINES.get(1));

            assertThat(e.get(LogEvent.LEVEL)).isEqualTo("SUCCESS");
            assertThat(e.get(LogEvent.MSG)).isEqualTo("caf\u00e9 \ud83d\ude80 done in 1.2s");
            assertThat(LogEventJson.toJson(e)).contains("\"msg\":\"caf\u00e9 \\uD83D\\uDE80 done in 1.2s\"");
        }

        @Test
        void multiLineExceptionIsOneStringField() {
            LogEvent e = parse(TestEvents.SKULK_LINES.get(2));

            assertThat(names(e)).endsWith("msg", "exception");
            assertThat(e.get(LogEvent.LEVEL)).isEqualTo("ERROR");
            assertThat(e.get(LogEvent.MSG)).isEqualTo("pull failed: \"timeout\"");
            assertThat(((String) e.get(LogEvent.EXCEPTION)).split("\n")).containsExactly(
                    "Traceback (most recent call last):",
                    "  File \"/opt/skulk/sync/client.py\", line 88, in pull",
                    "    resp = session.get(url, timeout=5)",
                    "TimeoutError: timed out");
        }

        @Test
        void numericLevelAndControlCharactersAreKept() {
            LogEvent e = parse(TestEvents.SKULK_LINES.get(3));

            assertThat(e.get(LogEvent.LEVEL)).isEqualTo(25L);
            assertThat(e.get(LogEvent.MODULE)).isEqualTo("");
            assertThat(e.get(LogEvent.MSG)).isEqualTo("\u001b[31mred\u001b[0m tab\there C:\\path");
            assertThat(LogEventJson.toJson(e)).contains("\"msg\":\"\\u001B[31mred\\u001B[0m tab\\there C:\\\\path\"");
        }

        @Test
        void extraFieldsWithFractionsAndNestedValuesAreKeptVerbatim() {
            LogEvent e = parse(TestEvents.SKULK_LINES.get(4));

            assertThat(names(e)).endsWith("msg", "elapsed", "extra");
            assertThat(e.get("elapsed")).isEqualTo(new JsonText("2.50"));
            assertThat(e.get("extra")).isEqualTo(new JsonText("{\"path\":\"/v1/tasks\",\"ids\":[1,2,3]}"));
        }

        @Test
        void nulEscapeIsData() {
            LogEvent e = parse(TestEvents.SKULK_LINES.get(5));

            assertThat(e.get(LogEvent.MSG)).isEqualTo("\u65e5\u672c\u8a9e \u0000 nul");
            assertThat(LogEventJson.toJson(e)).contains("\\u0000");
        }

        @Test
        void everySampleLineRoundTripsAndIsNotFlagged() {
            for (String line : TestEvents.SKULK_LINES) {
                LogEvent e = parse(line);
                assertThat(e.has(PipelineFields.PARSE_ERROR)).as(line).isFalse();
                assertThat(e.has(PipelineFields.INVALID_UTF8)).as(line).isFalse();
                assertRoundTrips(e);
            }
        }
    }

    @Nested
    class Values {
        @Test
        void eachJsonValueMapsToItsType() {
            LogEvent e = parse("{\"s\":\"x\",\"i\":1,\"min\":-9223372036854775808,\"max\":9223372036854775807,"
                    + "\"over\":9223372036854775808,\"under\":-9223372036854775809,\"frac\":1.50,\"exp\":1e400,"
                    + "\"big\":123456789012345678901234567890,\"negzero\":-0,\"negzerof\":-0.0,"
                    + "\"t\":true,\"f\":false,\"n\":null,\"o\":{\"x\":[1,2.0,{\"y\":null}],\"a\":\"b\"},"
                    + "\"ea\":[],\"eo\":{}}");

            LogEvent expected = LogEvent.builder()
                    .put("s", "x")
                    .put("i", 1L)
                    .put("min", Long.MIN_VALUE)
                    .put("max", Long.MAX_VALUE)
                    .put("over", new JsonText("9223372036854775808"))
                    .put("under", new JsonText("-9223372036854775809"))
                    .put("frac", new JsonText("1.50"))
                    .put("exp", new JsonText("1e400"))
                    .put("big", new JsonText("123456789012345678901234567890"))
                    .put("negzero", 0L)
                    .put("negzerof", new JsonText("-0.0"))
                    .put("t", true)
                    .put("f", false)
                    .put("n", null)
                    .put("o", new JsonText("{\"x\":[1,2.0,{\"y\":null}],\"a\":\"b\"}"))
                    .put("ea", new JsonText("[]"))
                    .put("eo", new JsonText("{}"))
                    .build();
            assertThat(e).isEqualTo(expected);
            assertThat(e.has("n")).isTrue();
            assertRoundTrips(e);
        }

        @Test
        void nestedValuesAreRecopiedCompactlyWithMemberOrderAndNumberText() {
            LogEvent e = parse("{ \"o\" : { \"b\" : 1 , \"a\" : [ 1.0 , 2E5 , -0 ] , \"b\" : 2 } }");

            // duplicate keys inside a nested object are copied as they are
            assertThat(e.get("o")).isEqualTo(new JsonText("{\"b\":1,\"a\":[1.0,2E5,-0],\"b\":2}"));
        }

        @Test
        void nestedStringsAreEscapedConsistently() {
            LogEvent e = parse("{\"o\":{\"s\":\"q\\\"b\\\\n\\n\\u0001\\u00e9\\ud83d\\ude80\\ud800\\/\"}}");

            assertThat(e.get("o")).isEqualTo(new JsonText(
                    "{\"s\":\"q\\\"b\\\\n\\n\\u0001\u00e9\\uD83D\\uDE80\\uD800/\"}"));
            assertRoundTrips(e);
        }

        @Test
        void hugeNumbersKeepTheirExactText() {
            String digits = "9".repeat(5000);
            LogEvent e = parse("{\"a\":" + digits + ",\"b\":-" + digits + ".5e-99999}");

            assertThat(e.get("a")).isEqualTo(new JsonText(digits));
            assertThat(e.get("b")).isEqualTo(new JsonText("-" + digits + ".5e-99999"));
            assertRoundTrips(e);
        }

        @Test
        void duplicateKeysLastValueWinsAtFirstPosition() {
            LogEvent e = parse("{\"a\":1,\"b\":2,\"a\":\"three\",\"c\":null,\"b\":null}");

            assertThat(names(e)).containsExactly("a", "b", "c");
            assertThat(e.get("a")).isEqualTo("three");
            assertThat(e.has("b")).isTrue();
            assertThat(e.get("b")).isNull();
        }

        @Test
        void twoThousandFieldsKeepOrderAndDuplicatesResolve() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < 2000; i++) {
                sb.append("\"f").append(i).append("\":").append(i).append(',');
            }
            sb.append("\"f5\":\"again\",\"f1999\":true}");

            LogEvent e = parse(sb.toString());

            assertThat(e.size()).isEqualTo(2000);
            for (int i = 0; i < 2000; i++) {
                assertThat(e.name(i)).isEqualTo("f" + i);
            }
            assertThat(e.get("f4")).isEqualTo(4L);
            assertThat(e.get("f5")).isEqualTo("again");
            assertThat(e.get("f1999")).isEqualTo(true);
            assertRoundTrips(e);
        }

        @Test
        void whitespaceAroundTheObjectIsAllowed() {
            LogEvent e = parse(" \t\r\n{ \"a\" : 1 }\t \r");

            assertThat(e.asMap()).containsExactly(java.util.Map.entry("a", 1L));
        }

        @Test
        void utf8ByteOrderMarkBeforeAnObjectIsSkipped() {
            LogEvent e = LogEventJson.parse(concat(bytes(0xEF, 0xBB, 0xBF), utf8("{\"a\":1}")));

            assertThat(e.asMap()).containsExactly(java.util.Map.entry("a", 1L));
        }

        @Test
        void byteOrderMarkAloneOrWithWhitespaceIsAnEmptyLine() {
            LogEvent bomOnly = LogEventJson.parse(bytes(0xEF, 0xBB, 0xBF));
            LogEvent bomSpace = LogEventJson.parse(bytes(0xEF, 0xBB, 0xBF, ' ', '\t'));

            assertThat(bomOnly.get(PipelineFields.PARSE_ERROR)).isEqualTo("empty line");
            assertThat(bomSpace.get(PipelineFields.PARSE_ERROR)).isEqualTo("empty line");
        }

        @Test
        void byteOrderMarkIsSkippedOnTheInvalidUtf8PathToo() {
            LogEvent e = LogEventJson.parse(concat(bytes(0xEF, 0xBB, 0xBF), utf8("{\"a\":\""), bytes(0xFF), utf8("\"}")));

            assertThat(e.asMap()).containsExactly(java.util.Map.entry("a", "\ufffd"),
                    java.util.Map.entry(PipelineFields.INVALID_UTF8, true));
        }

        @Test
        void textAfterAByteOrderMarkKeepsItInTheRawMessage() {
            LogEvent e = LogEventJson.parse(concat(bytes(0xEF, 0xBB, 0xBF), utf8("plain")));

            assertNotJson(e, "\ufeffplain", "not JSON: Unrecognized token 'plain'");
        }

        @Test
        void emptyObjectIsAnEventWithoutFields() {
            assertThat(parse("{}").size()).isZero();
        }

        @Test
        void parsesOnlyTheGivenSliceOfTheArray() {
            byte[] buf = concat(utf8("garbage\u00ff{\"a\":"), utf8("{\"x\":\"y\"}"), bytes(0xFF, '}'));
            int off = utf8("garbage\u00ff{\"a\":").length;

            assertThat(LogEventJson.parse(buf, off, 9).asMap()).containsExactly(java.util.Map.entry("x", "y"));
            LogEvent head = LogEventJson.parse(buf, 0, 7);
            assertNotJson(head, "garbage", "not JSON: ");
            assertThatThrownBy(() -> LogEventJson.parse(buf, 5, buf.length)).isInstanceOf(IndexOutOfBoundsException.class);
        }

        @Test
        void invalidUtf8InsideASliceIsDecodedWithinTheSlice() {
            byte[] buf = concat(bytes(0xFF), utf8("{\"a\":\""), bytes(0x80), utf8("\"}"), bytes(0xFF));

            LogEvent e = LogEventJson.parse(buf, 1, buf.length - 2);

            assertThat(e.asMap()).containsExactly(java.util.Map.entry("a", "\ufffd"),
                    java.util.Map.entry(PipelineFields.INVALID_UTF8, true));
        }
    }

    @Nested
    class NotJson {
        @Test
        void plainTextBecomesMsgWithAReason() {
            LogEvent e = parse("hello world");

            assertNotJson(e, "hello world", "not JSON: ");
            assertThat((String) e.get(PipelineFields.PARSE_ERROR)).matches("not JSON: Unrecognized token 'hello' at column \\d+");
            assertRoundTrips(e);
        }

        @Test
        void pythonTracebackPrintedBeforeLoggingStarts() {
            String line = "Traceback (most recent call last):";

            assertNotJson(parse(line), line, "not JSON: ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "-1.5", "\"x\"", "[1]", "[]", "true", "false", "null", " 42 "})
        void jsonThatIsNotAnObject(String line) {
            LogEvent e = parse(line);

            assertNotJson(e, line, "not a JSON object: ");
        }

        @Test
        void kindOfNonObjectIsNamed() {
            assertThat(parse("42").get(PipelineFields.PARSE_ERROR)).isEqualTo("not a JSON object: number");
            assertThat(parse("1.5").get(PipelineFields.PARSE_ERROR)).isEqualTo("not a JSON object: number");
            assertThat(parse("\"x\"").get(PipelineFields.PARSE_ERROR)).isEqualTo("not a JSON object: string");
            assertThat(parse("[1]").get(PipelineFields.PARSE_ERROR)).isEqualTo("not a JSON object: array");
            assertThat(parse("true").get(PipelineFields.PARSE_ERROR)).isEqualTo("not a JSON object: boolean");
            assertThat(parse("null").get(PipelineFields.PARSE_ERROR)).isEqualTo("not a JSON object: null");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "{\"a\":\"unterminated",
                "{\"a\":[1,2", "{\"a\":{\"b\":1}"})
        void truncatedObject(String line) {
            LogEvent e = parse(line);

            assertNotJson(e, line, "not JSON: ");
            assertThat((String) e.get(PipelineFields.PARSE_ERROR)).containsIgnoringCase("end-of-input");
        }

        @Test
        void truncatedObjectReasonIsShortAndPointsAtTheEnd() {
            assertThat(parse("{\"a\":1").get(PipelineFields.PARSE_ERROR))
                    .isEqualTo("not JSON: Unexpected end-of-input: expected close marker for Object at column 7");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"a\":1} junk", "{\"a\":1}{\"b\":2}", "{\"a\":1} 2", "{\"a\":1}}", "{\"a\":1} {",
                "{\"a\":1}]", "{\"a\":1},"})
        void trailingContentAfterTheObject(String line) {
            LogEvent e = parse(line);

            assertNotJson(e, line, "not JSON: trailing content after the object at column ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{a:1}", "{'a':1}", "{\"a\":1,}", "{\"a\":NaN}", "{\"a\":01}", "{\"a\":tru}",
                "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":\"\\x\"}", "{\"a\":\"raw\ttab\"}", "{\"a\":1]", "}",
                "{\"a\":1 // comment\n}", "{\"a\":+1}", "{\"a\":.5}"})
        void malformedJson(String line) {
            assertNotJson(parse(line), line, "not JSON: ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t", "  \t \r", "\r\n"})
        void emptyOrWhitespaceLine(String line) {
            LogEvent e = parse(line);

            assertThat(e.asMap()).containsExactly(java.util.Map.entry(LogEvent.MSG, ""),
                    java.util.Map.entry(PipelineFields.PARSE_ERROR, "empty line"));
        }

        @Test
        void tenThousandOpenBracketsAreNotAnObjectAndDoNotOverflow() {
            String line = "[".repeat(10_000);

            assertNotJson(parse(line), line, "not a JSON object: array");
        }

        @Test
        void deepNestingInsideAnObjectIsNotJson() {
            String line = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

            LogEvent e = parse(line);

            assertNotJson(e, line, "not JSON: ");
            assertThat(e.get(PipelineFields.PARSE_ERROR)).isEqualTo("not JSON: nested deeper than 200 levels");
        }

        @Test
        void nestingUpToTheLimitIsAllowed() {
            int arrays = LogEventJson.MAX_NESTING_DEPTH - 1; // plus the line's own object
            LogEvent ok = parse("{\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}");
            LogEvent tooDeep = parse("{\"a\":" + "[".repeat(arrays + 1) + "]".repeat(arrays + 1) + "}");

            assertThat(ok.get("a")).isEqualTo(new JsonText("[".repeat(arrays) + "]".repeat(arrays)));
            assertRoundTrips(ok);
            assertThat(tooDeep.get(PipelineFields.PARSE_ERROR)).isEqualTo("not JSON: nested deeper than 200 levels");
        }

        @Test
        void rawNulBytesAreKeptInTheMessage() {
            String line = "abc\u0000def\u0000";

            LogEvent e = parse(line);

            assertNotJson(e, line, "not JSON: ");
            assertThat(LogEventJson.toJson(e)).startsWith("{\"msg\":\"abc\\u0000def\\u0000\"");
            assertRoundTrips(e);
        }

        @Test
        void leadingNulBytesAreNotMistakenForUtf16() {
            String line = "\u0000{\"a\":1}";

            LogEvent e = parse(line);

            assertNotJson(e, line, "not JSON: ");
            assertThat((String) e.get(PipelineFields.PARSE_ERROR)).contains("code 0").doesNotContain("65533");
        }

        @Test
        void ansiEscapesInARawLineAreKept() {
            String line = "\u001b[1;31mERROR\u001b[0m disk full \u001b]0;title\u0007";

            LogEvent e = parse(line);

            assertNotJson(e, line, "not JSON: ");
            assertRoundTrips(e);
        }

        @Test
        void longJunkTokenIsAbbreviatedInTheReason() {
            String line = "x".repeat(10_000);

            LogEvent e = parse(line);

            assertNotJson(e, line, "not JSON: ");
        }

        @Test
        void oneMegabyteLines() {
            String big = "\u00e9x\u001b".repeat(350_000); // 1.4 MB of UTF-8
            LogEvent json = parse("{\"msg\":\"" + big.replace("\u001b", "\\u001b") + "\",\"n\":1}");
            LogEvent raw = parse("RAW " + big);

            assertThat(json.get(LogEvent.MSG)).isEqualTo(big);
            assertThat(json.get("n")).isEqualTo(1L);
            assertRoundTrips(json);
            assertNotJson(raw, "RAW " + big, "not JSON: ");
            assertRoundTrips(raw);
        }
    }

    @Nested
    class InvalidUtf8 {
        private LogEvent parseJsonWithBytes(int... bad) {
            return LogEventJson.parse(concat(utf8("{\"msg\":\"a"), bytes(bad), utf8("b\",\"n\":1}")));
        }

        @Test
        void loneContinuationByteInsideAStringIsReplacedAndFlagged() {
            LogEvent e = parseJsonWithBytes(0x80);

            assertThat(names(e)).containsExactly(LogEvent.MSG, "n", PipelineFields.INVALID_UTF8);
            assertThat(e.get(LogEvent.MSG)).isEqualTo("a\ufffdb");
            assertThat(e.get(PipelineFields.INVALID_UTF8)).isEqualTo(true);
            assertRoundTrips(e);
        }

        @Test
        void overlongEncodingIsRejected() {
            // C0 AF is an overlong '/', E0 80 AF an overlong '/', F0 80 80 AF too
            for (int[] overlong : new int[][] {{0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xF0, 0x80, 0x80, 0xAF}}) {
                LogEvent e = parseJsonWithBytes(overlong);
                assertThat(e.get(PipelineFields.INVALID_UTF8)).as(Arrays.toString(overlong)).isEqualTo(true);
                assertThat((String) e.get(LogEvent.MSG)).as(Arrays.toString(overlong)).contains("\ufffd").doesNotContain("/");
            }
        }

        @Test
        void surrogateCodePointsEncodedInUtf8AreRejected() {
            // U+D800 and U+DFFF as three bytes each, and a "CESU-8" pair for U+1F680
            for (int[] surrogate : new int[][] {{0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF},
                    {0xED, 0xA0, 0xBD, 0xED, 0xBA, 0x80}}) {
                LogEvent e = parseJsonWithBytes(surrogate);
                assertThat(e.get(PipelineFields.INVALID_UTF8)).isEqualTo(true);
                String msg = (String) e.get(LogEvent.MSG);
                assertThat(msg).startsWith("a\ufffd").endsWith("\ufffdb");
                assertThat(msg.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
            }
        }

        @Test
        void truncatedSequencesAndBytesAboveTheRangeAreRejected() {
            for (int[] bad : new int[][] {{0xE2, 0x82}, {0xF0, 0x9F, 0x9A}, {0xC3}, {0xF4, 0x90, 0x80, 0x80},
                    {0xF5, 0x80, 0x80, 0x80}, {0xFE}, {0xFF}}) {
                LogEvent e = parseJsonWithBytes(bad);
                assertThat(e.get(PipelineFields.INVALID_UTF8)).as(Arrays.toString(bad)).isEqualTo(true);
                assertThat(e.get("n")).isEqualTo(1L);
            }
        }

        @Test
        void truncatedSequenceAtTheEndOfARawLine() {
            LogEvent e = LogEventJson.parse(concat(utf8("price 10"), bytes(0xE2, 0x82)));

            assertThat(names(e)).containsExactly(LogEvent.MSG, PipelineFields.PARSE_ERROR, PipelineFields.INVALID_UTF8);
            assertThat(e.get(LogEvent.MSG)).isEqualTo("price 10\ufffd");
            assertThat(e.get(PipelineFields.INVALID_UTF8)).isEqualTo(true);
            assertShortReason(e);
            assertRoundTrips(e);
        }

        @Test
        void invalidByteInAFieldNameIsReplacedToo() {
            LogEvent e = LogEventJson.parse(concat(utf8("{\"k"), bytes(0xFF), utf8("\":1}")));

            assertThat(e.asMap()).containsExactly(java.util.Map.entry("k\ufffd", 1L),
                    java.util.Map.entry(PipelineFields.INVALID_UTF8, true));
        }

        @Test
        void existingFlagFieldIsOverwrittenInPlace() {
            LogEvent e = LogEventJson.parse(concat(utf8("{\"log.invalid_utf8\":false,\"m\":\""), bytes(0x80), utf8("\"}")));

            assertThat(names(e)).containsExactly(PipelineFields.INVALID_UTF8, "m");
            assertThat(e.get(PipelineFields.INVALID_UTF8)).isEqualTo(true);
        }

        @Test
        void validMultiByteTextIsNotFlagged() {
            LogEvent e = parse("{\"m\":\"\u00e9\u20ac\ud83d\ude80\uffff\u0800\"}");

            assertThat(e.asMap()).containsExactly(java.util.Map.entry("m", "\u00e9\u20ac\ud83d\ude80\uffff\u0800"));
        }
    }

    @Nested
    class Writing {
        @Test
        void writesEachTypeCompactly() {
            LogEvent e = LogEvent.builder().put("s", "x\"y\\z").put("l", -7L).put("t", true).put("f", false)
                    .put("n", null).put("j", new JsonText("1.50")).put("o", new JsonText("{\"a\":[1]}")).build();

            assertThat(LogEventJson.toJson(e)).isEqualTo(
                    "{\"s\":\"x\\\"y\\\\z\",\"l\":-7,\"t\":true,\"f\":false,\"n\":null,\"j\":1.50,\"o\":{\"a\":[1]}}");
        }

        @Test
        void jsonTextIsWrittenVerbatimAndALoneSurrogateInItIsRefused() {
            LogEvent pair = LogEvent.builder().put("j", new JsonText("[\"\ud83d\ude80\", 1.0]")).build();
            LogEvent lone = LogEvent.builder().put("j", new JsonText("\"\ud800\"")).build();

            assertThat(LogEventJson.toJson(pair)).isEqualTo("{\"j\":[\"\ud83d\ude80\", 1.0]}");
            assertThatThrownBy(() -> LogEventJson.toJson(lone)).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("surrogate");
        }

        @Test
        void emptyEventIsAnEmptyObject() {
            assertThat(LogEventJson.toJson(LogEvent.builder().build())).isEqualTo("{}");
        }

        @Test
        void controlCharactersAreEscapedAndNonAsciiIsUtf8() throws IOException {
            LogEvent e = LogEvent.builder().put("k\n\u0000", "\u0001\t\u001b\u007f\u00e9\ufffd\ud83d\ude80").build();

            String json = LogEventJson.toJson(e);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LogEventJson.write(e, out);

            assertThat(json).isEqualTo("{\"k\\n\\u0000\":\"\\u0001\\t\\u001B\u007f\u00e9\ufffd\\uD83D\\uDE80\"}");
            assertThat(out.toByteArray()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
            assertThat(out.toByteArray()).containsSequence(bytes(0xC3, 0xA9)); // BMP characters as UTF-8
            assertRoundTrips(e);
        }

        @Test
        void loneSurrogatesAreEscapedSoTheOutputIsValidUtf8() throws IOException {
            LogEvent e = LogEvent.builder().put("\udc00name", "x\ud800").put("pair-reversed", "\ude80\ud83d").build();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LogEventJson.write(e, out);

            assertThat(LogEventJson.toJson(e)).isEqualTo(
                    "{\"\\uDC00name\":\"x\\uD800\",\"pair-reversed\":\"\\uDE80\\uD83D\"}");
            assertThat(Utf8.isValid(out.toByteArray(), 0, out.size())).isTrue();
            assertRoundTrips(e);
        }

        @Test
        void highSurrogateFollowedByAnotherCharStaysTwoChars() {
            // jackson-core 2.20.1 with COMBINE_UNICODE_SURROGATES_IN_UTF8 would merge these into U+1002F
            LogEvent e = LogEvent.builder().put("a", "\ud800/").put("b", "\ud800\u00e9").build();
            LogEvent nested = parse("{\"o\":[\"\\ud800/\"]}");

            assertThat(LogEventJson.toJson(e)).isEqualTo("{\"a\":\"\\uD800/\",\"b\":\"\\uD800\u00e9\"}");
            assertThat(nested.get("o")).isEqualTo(new JsonText("[\"\\uD800/\"]"));
            assertRoundTrips(e);
        }

        @Test
        void outputIsStrictJsonForHostileNamesAndValues() throws IOException {
            String hostile = "\"}\\{\u0000\u001f\u2028\u2029</script>\ufffd\ud800\udfff";
            LogEvent e = LogEvent.builder().put(hostile, hostile).put("", "").put("j", new JsonText("[\"" + "\\\"" + "\"]")).build();

            String json = LogEventJson.toJson(e);

            List<String> tokens = new ArrayList<>();
            try (JsonParser p = new JsonFactory().createParser(json)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    tokens.add(t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING ? p.getText() : t.name());
                }
            }
            assertThat(tokens).containsExactly("START_OBJECT", hostile, hostile, "", "", "j", "START_ARRAY", "\"",
                    "END_ARRAY", "END_OBJECT");
            assertRoundTrips(e);
        }

        @Test
        void writeToAStreamNeitherFlushesNorClosesIt() throws IOException {
            List<String> calls = new ArrayList<>();
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) {
                    sink.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    sink.write(b, off, len);
                }

                @Override
                public void flush() {
                    calls.add("flush");
                }

                @Override
                public void close() {
                    calls.add("close");
                }
            };
            LogEvent e = parse(TestEvents.SKULK_LINES.get(0));

            LogEventJson.write(e, out);
            out.write('\n');
            LogEventJson.write(e, out);

            assertThat(calls).isEmpty();
            String line = LogEventJson.toJson(e);
            assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo(line + "\n" + line);
        }

        @Test
        void sharedGeneratorWritesNewlineDelimitedEventsWithoutSeparators() throws IOException {
            LogEvent a = parse(TestEvents.SKULK_LINES.get(0));
            LogEvent b = parse(TestEvents.SKULK_LINES.get(2));
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            try (JsonGenerator g = LogEventJson.newGenerator(out)) {
                LogEventJson.write(a, g);
                g.writeRaw('\n');
                LogEventJson.write(b, g);
                g.writeRaw('\n');
            }

            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo(LogEventJson.toJson(a) + "\n" + LogEventJson.toJson(b) + "\n");
        }

        @Test
        void parsedEventRoundTripsThroughItsOwnLineRepeatedly() {
            LogEvent e = parse(TestEvents.SKULK_LINES.get(4));
            String once = LogEventJson.toJson(e);
            String twice = LogEventJson.toJson(LogEventJson.parse(utf8(once)));

            assertThat(twice).isEqualTo(once);
        }
    }
}
