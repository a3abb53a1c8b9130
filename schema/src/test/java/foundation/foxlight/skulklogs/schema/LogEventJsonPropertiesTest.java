package foundation.foxlight.skulklogs.schema;

import static foundation.foxlight.skulklogs.schema.TestEvents.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class LogEventJsonPropertiesTest {

    /** Parsing never throws, always yields a well-formed event, and that event survives its own JSON line. */
    static LogEvent checkParse(byte[] line) {
        LogEvent e = LogEventJson.parse(line);
        assertThat(e).isNotNull();
        if (e.has(PipelineFields.PARSE_ERROR)) {
            assertThat(e.get(LogEvent.MSG)).isInstanceOf(String.class);
            assertThat((String) e.get(PipelineFields.PARSE_ERROR)).doesNotContain("\n").hasSizeLessThan(220);
        }
        boolean strictUtf8 = isStrictUtf8(line);
        assertThat(e.has(PipelineFields.INVALID_UTF8)).as("flagged iff invalid UTF-8").isEqualTo(
                !strictUtf8 || hasFlagField(e, line));
        String json = LogEventJson.toJson(e);
        assertThat(Utf8.isValid(utf8(json), 0, utf8(json).length)).isTrue();
        assertThat(LogEventJson.parse(utf8(json))).isEqualTo(e);
        return e;
    }

    private static boolean hasFlagField(LogEvent e, byte[] line) {
        // a valid-UTF-8 JSON line may carry the field itself
        return e.has(PipelineFields.INVALID_UTF8) && new String(line, StandardCharsets.UTF_8).contains("log.invalid_utf8");
    }

    static boolean isStrictUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Property(tries = 1000)
    void serializedEventsParseBackEqual(@ForAll("events") LogEvent event) throws IOException {
        String json = LogEventJson.toJson(event);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogEventJson.write(event, out);

        assertThat(out.toByteArray()).isEqualTo(utf8(json));
        assertThat(LogEventJson.parse(out.toByteArray())).isEqualTo(event);
        assertThat(json).doesNotContain("\n").startsWith("{").endsWith("}");
    }

    @Property(tries = 2000)
    void randomBytesNeverThrow(@ForAll @Size(max = 64) byte[] line) {
        checkParse(line);
    }

    @Property(tries = 1000)
    void randomJsonishBytesNeverThrow(@ForAll("jsonishBytes") byte[] line) {
        checkParse(line);
    }

    @Property(tries = 1000)
    void mutatedSkulkLinesNeverThrowAndRoundTrip(@ForAll("mutatedSkulkLines") byte[] line) {
        checkParse(line);
    }

    @Property(tries = 500)
    void jsonValuesOfEveryShapeRoundTrip(@ForAll("jsonTexts") String value) {
        LogEvent e = checkParse(utf8("{\"v\": " + value + " }"));

        assertThat(e.has(PipelineFields.PARSE_ERROR)).as(value).isFalse();
    }

    @Property(tries = 3000)
    void utf8ValidationAgreesWithTheJdkDecoder(@ForAll("utf8ishBytes") byte[] bytes) {
        assertThat(Utf8.isValid(bytes, 0, bytes.length)).isEqualTo(isStrictUtf8(bytes));
        checkParse(bytes);
    }

    @Property(tries = 500)
    void wellFormedStringsAreValidUtf8(@ForAll("wellFormedStrings") String s) {
        byte[] b = utf8(s);
        byte[] padded = new byte[b.length + 2];
        System.arraycopy(b, 0, padded, 1, b.length);
        padded[0] = (byte) 0xFF;
        padded[padded.length - 1] = (byte) 0x80;

        assertThat(Utf8.isValid(b, 0, b.length)).isTrue();
        assertThat(Utf8.isValid(padded, 1, b.length)).isTrue();
    }

    @Provide
    Arbitrary<LogEvent> events() {
        return TestEvents.events();
    }

    @Provide
    Arbitrary<String> jsonTexts() {
        return TestEvents.jsonTexts();
    }

    @Provide
    Arbitrary<String> wellFormedStrings() {
        return Arbitraries.strings().all().ofMaxLength(30).filter(s -> s.codePoints().noneMatch(
                cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE));
    }

    /**
     * Mostly well-formed UTF-8 (code points at every encoding-length and surrogate boundary) with now and
     * then one ill-formed piece (overlong, surrogate, above U+10FFFF, truncated, stray byte), so that a
     * validator that misses one kind of error is caught: the rest of the array is valid.
     */
    @Provide
    Arbitrary<byte[]> utf8ishBytes() {
        Arbitrary<byte[]> valid = Arbitraries.oneOf(
                Arbitraries.of(0x00, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
                        0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF),
                Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE))
                .map(cp -> TestEvents.utf8(new String(Character.toChars(cp))));
        Arbitrary<byte[]> invalid = Arbitraries.of(
                bytes(0x80), bytes(0xBF), bytes(0xC0, 0x80), bytes(0xC1, 0xBF), bytes(0xC2), bytes(0xDF),
                bytes(0xE0, 0x80, 0x80), bytes(0xE0, 0x9F, 0xBF), bytes(0xE1, 0x80), bytes(0xEF, 0xBF),
                bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), bytes(0xF0, 0x80, 0x80, 0x80),
                bytes(0xF0, 0x8F, 0xBF, 0xBF), bytes(0xF0, 0x90, 0x80), bytes(0xF4, 0x90, 0x80, 0x80),
                bytes(0xF4, 0x8F, 0xBF), bytes(0xF5, 0x80, 0x80, 0x80), bytes(0xF8), bytes(0xFE), bytes(0xFF),
                bytes(0xE2, 0x41, 0x82), bytes(0xC3, 0xC3));
        Arbitrary<byte[]> randomByte = Arbitraries.bytes().map(b -> new byte[] {b});
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(16, valid), net.jqwik.api.Tuple.of(1, invalid),
                        net.jqwik.api.Tuple.of(1, randomByte))
                .list().ofMaxSize(10)
                .map(parts -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    parts.forEach(out::writeBytes);
                    return out.toByteArray();
                });
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Concatenations of JSON fragments, whitespace and odd bytes: mostly almost-JSON. */
    @Provide
    Arbitrary<byte[]> jsonishBytes() {
        Arbitrary<byte[]> fragment = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\"a\"", "\"b\":", "1", "-0",
                        "1.5e3", "true", "null", " ", "\t", "\\", "\\u00", "\\ud800", "\u00e9", "x", "{\"a\":1}")
                .map(TestEvents::utf8);
        Arbitrary<byte[]> odd = Arbitraries.of(new byte[] {0}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xED,
                (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, new byte[] {0x1B});
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, fragment), net.jqwik.api.Tuple.of(1, odd))
                .list().ofMaxSize(16)
                .map(parts -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    parts.forEach(out::writeBytes);
                    return out.toByteArray();
                });
    }

    /** Real Skulk lines with a byte replaced, deleted, inserted, or the line cut. */
    @Provide
    Arbitrary<byte[]> mutatedSkulkLines() {
        Arbitrary<byte[]> lines = Arbitraries.of(TestEvents.SKULK_LINES).map(TestEvents::utf8);
        return Combinators.combine(lines, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10_000),
                Arbitraries.bytes()).as((line, op, where, b) -> {
                    int at = where % line.length;
                    return switch (op) {
                        case 0 -> replace(line, at, b);
                        case 1 -> delete(line, at);
                        case 2 -> insert(line, at, b);
                        default -> Arrays.copyOf(line, at);
                    };
                });
    }

    private static byte[] replace(byte[] line, int at, byte b) {
        byte[] copy = line.clone();
        copy[at] = b;
        return copy;
    }

    private static byte[] delete(byte[] line, int at) {
        byte[] copy = new byte[line.length - 1];
        System.arraycopy(line, 0, copy, 0, at);
        System.arraycopy(line, at + 1, copy, at, line.length - at - 1);
        return copy;
    }

    private static byte[] insert(byte[] line, int at, byte b) {
        byte[] copy = new byte[line.length + 1];
        System.arraycopy(line, 0, copy, 0, at);
        copy[at] = b;
        System.arraycopy(line, at, copy, at + 1, line.length - at);
        return copy;
    }
}
