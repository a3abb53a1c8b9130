package foundation.foxlight.skulklogs.schema;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The JSON line form of a {@link LogEvent}: lenient parsing of Skulk lines, exact serialization.
 * Stateless and thread-safe.
 *
 * <p>Parsing is strict RFC 8259 JSON (Jackson streaming, no comments, no unescaped control characters,
 * no NaN); anything else is kept as a raw-text event rather than rejected. Values map as documented on
 * {@link LogEvent}: strings, integers that fit a {@code long}, booleans and nulls become Java values;
 * fractions, larger integers, objects and arrays become {@link JsonText} (numbers with their original
 * text, objects and arrays re-serialized compactly in member order).
 *
 * <p>Serialization writes compact UTF-8 JSON: characters of the Basic Multilingual Plane as UTF-8,
 * control characters and all surrogates (pairs and lone ones alike) as backslash-u escapes, so the output
 * is always valid UTF-8, and {@link JsonText} verbatim. For every event produced by {@link #parse} (or
 * built from values of the same forms), {@code parse(toJson(e)).equals(e)}.
 */
public final class LogEventJson {
    /** Objects and arrays nested deeper than this make a line "not JSON" (protects the stack and the heap). */
    public static final int MAX_NESTING_DEPTH = 200;

    private static final int MAX_REASON_LENGTH = 160;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    // The line length (bounded by the caller) is the only limit on names, strings and
                    // numbers: numbers are never converted, only kept as text.
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .errorReportConfiguration(ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(40)
                    .maxRawContentLength(0)
                    .build())
            // Field names of arbitrary lines: no String.intern(), and a flood of colliding names must
            // not turn into a parse failure.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            // Not COMBINE_UNICODE_SURROGATES_IN_UTF8: in jackson-core 2.20.1 it merges a lone high surrogate
            // with whatever char follows it (high surrogate D800 then '/' becomes U+1002F); escapes are exact.
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .rootValueSeparator((String) null)
            .build();

    private LogEventJson() {
    }

    /**
     * Parses one line (without its line terminator). Never throws: a line that is not a JSON object
     * becomes an event whose {@code msg} is the raw text plus {@link PipelineFields#PARSE_ERROR};
     * invalid UTF-8 is replaced by U+FFFD and flagged with {@link PipelineFields#INVALID_UTF8}.
     *
     * <p>In detail:
     * <ul>
     *   <li>a JSON object (optionally surrounded by whitespace, optionally after a UTF-8 byte-order mark):
     *       its fields in order; a repeated name keeps the position of its first occurrence and the value
     *       of its last;</li>
     *   <li>an empty or whitespace-only line: {@code msg} "" and parse error {@code empty line};</li>
     *   <li>anything else (invalid JSON, a JSON value that is not an object, trailing content after the
     *       object, nesting deeper than {@link #MAX_NESTING_DEPTH}): {@code msg} = the whole line as text
     *       and a short single-line reason such as {@code not JSON: ... at column N} or
     *       {@code not a JSON object: number};</li>
     *   <li>invalid UTF-8 anywhere: the line is decoded with replacement, then handled as above, and
     *       {@code log.invalid_utf8=true} is added (or replaces a field of that name).</li>
     * </ul>
     * Stateless and thread-safe.
     *
     * @throws IndexOutOfBoundsException only when {@code offset}/{@code length} lie outside {@code line}
     */
    public static LogEvent parse(byte[] line, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, line.length);
        // A UTF-8 byte-order mark (the first line of a file written by some tools) is not part of the JSON.
        int bom = length >= 3 && line[offset] == (byte) 0xEF && line[offset + 1] == (byte) 0xBB
                && line[offset + 2] == (byte) 0xBF ? 3 : 0;
        if (isBlank(line, offset + bom, length - bom)) {
            return notJson("", "empty line", false);
        }
        if (!Utf8.isValid(line, offset, length)) {
            return parseText(new String(line, offset, length, StandardCharsets.UTF_8), true);
        }
        if (hasNulInFirstFourBytes(line, offset + bom, length - bom)) {
            // Jackson's encoding detection would take such bytes for UTF-16/32; they are not a JSON object
            // anyway, but the reason must describe the UTF-8 text.
            return parseText(new String(line, offset, length, StandardCharsets.UTF_8), false);
        }
        // Fast path: the validated bytes go to Jackson as they are, decoded once, by the parser.
        String reason;
        try (JsonParser p = FACTORY.createParser(line, offset + bom, length - bom)) {
            Object result = readObject(p, false);
            if (result instanceof LogEvent event) {
                return event;
            }
            reason = (String) result;
        } catch (IOException | RuntimeException e) {
            reason = describe(e);
        }
        return notJson(new String(line, offset, length, StandardCharsets.UTF_8), reason, false);
    }

    /** {@link #parse(byte[], int, int)} for a whole array. Stateless and thread-safe. */
    public static LogEvent parse(byte[] line) {
        return parse(line, 0, line.length);
    }

    /**
     * Writes the event as one JSON object (no newline) to a caller-owned generator, fields in order:
     * {@link Long} as a number, {@link Boolean}, {@code null}, {@link JsonText} raw, strings escaped.
     * Does not flush or close the generator. Stateless and thread-safe (the generator is not).
     */
    public static void write(LogEvent event, JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        for (int i = 0, n = event.size(); i < n; i++) {
            generator.writeFieldName(event.name(i));
            Object v = event.value(i);
            if (v == null) {
                generator.writeNull();
            } else if (v instanceof String s) {
                generator.writeString(s);
            } else if (v instanceof Long l) {
                generator.writeNumber(l);
            } else if (v instanceof Boolean b) {
                generator.writeBoolean(b);
            } else if (v instanceof JsonText j) {
                generator.writeRawValue(j.json());
            } else {
                throw new IllegalStateException("unsupported LogEvent value type " + v.getClass().getName());
            }
        }
        generator.writeEndObject();
    }

    /**
     * Writes the event as one compact UTF-8 JSON object (no newline) to {@code out}. Neither flushes nor
     * closes {@code out}. If it throws, part of the object may already be in {@code out}. Stateless and
     * thread-safe (the stream is not).
     *
     * @throws IOException from {@code out}, or for a {@link JsonText} holding a lone surrogate
     */
    public static void write(LogEvent event, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(event, g);
        }
    }

    /**
     * The event as one compact JSON object: the same characters that {@link #write(LogEvent, OutputStream)}
     * encodes as UTF-8. Stateless and thread-safe.
     *
     * @throws UncheckedIOException only when a {@link JsonText} value cannot be written (a lone surrogate)
     */
    public static String toJson(LogEvent event) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try {
            write(event, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * A UTF-8 generator configured exactly like {@link #write(LogEvent, OutputStream)} (no separator between
     * root-level values, never flushes or closes {@code out} by itself), for writing many events with one
     * generator, e.g. newline-delimited: {@code write(e, g); g.writeRaw('\n');}. The caller closes it
     * (which writes its buffered bytes to {@code out}). Thread-safe; the generator itself is not.
     */
    public static JsonGenerator newGenerator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out, JsonEncoding.UTF8);
    }

    // ---------------------------------------------------------------------------------------------

    /** The slow path: text already decoded (with replacement when {@code invalidUtf8}). */
    private static LogEvent parseText(String text, boolean invalidUtf8) {
        String reason;
        try (JsonParser p = FACTORY.createParser(text.startsWith("\uFEFF") ? text.substring(1) : text)) {
            Object result = readObject(p, invalidUtf8);
            if (result instanceof LogEvent event) {
                return event;
            }
            reason = (String) result;
        } catch (IOException | RuntimeException e) {
            reason = describe(e);
        }
        return notJson(text, reason, invalidUtf8);
    }

    /** The event when the input is exactly one JSON object, else the reason it is not. */
    private static Object readObject(JsonParser p, boolean invalidUtf8) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return "empty line"; // not reached after the blank check in parse(); keeps this method total
        }
        if (first != JsonToken.START_OBJECT) {
            return "not a JSON object: " + kind(first);
        }
        FieldCollector fields = new FieldCollector(16);
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            fields.put(name, readValue(p, p.nextToken()));
        }
        if (t != JsonToken.END_OBJECT) {
            return "not JSON: unexpected " + t; // the parser reports malformed input itself
        }
        JsonLocation after = p.currentLocation();
        try {
            JsonToken extra = p.nextToken();
            if (extra != null) {
                return "not JSON: trailing content after the object at column "
                        + p.currentTokenLocation().getColumnNr();
            }
        } catch (JsonProcessingException e) {
            return "not JSON: trailing content after the object at column " + after.getColumnNr();
        }
        if (invalidUtf8) {
            fields.put(PipelineFields.INVALID_UTF8, Boolean.TRUE);
        }
        return fields.build();
    }

    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                    return p.getLongValue();
                }
                return new JsonText(p.getText());
            case VALUE_NUMBER_FLOAT:
                return new JsonText(p.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
            case START_ARRAY:
                return new JsonText(copyStructure(p));
            default:
                throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    /**
     * Re-serializes the object or array starting at the current token compactly, iteratively (depth is
     * bounded by the parser's constraints, not by the Java stack). Numbers keep their exact text.
     */
    private static String copyStructure(JsonParser p) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(64);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            int depth = 0;
            JsonToken t = p.currentToken();
            while (true) {
                switch (t) {
                    case START_OBJECT -> {
                        g.writeStartObject();
                        depth++;
                    }
                    case START_ARRAY -> {
                        g.writeStartArray();
                        depth++;
                    }
                    case END_OBJECT -> {
                        g.writeEndObject();
                        depth--;
                    }
                    case END_ARRAY -> {
                        g.writeEndArray();
                        depth--;
                    }
                    case FIELD_NAME -> g.writeFieldName(p.currentName());
                    case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> throw new IllegalStateException("unexpected JSON token " + t);
                }
                if (depth == 0) {
                    break;
                }
                t = p.nextToken();
                if (t == null) {
                    throw new IllegalStateException("unexpected end of input"); // the parser reports this first
                }
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static LogEvent notJson(String raw, String reason, boolean invalidUtf8) {
        FieldCollector fields = new FieldCollector(3);
        fields.append(LogEvent.MSG, raw);
        fields.append(PipelineFields.PARSE_ERROR, reason);
        if (invalidUtf8) {
            fields.append(PipelineFields.INVALID_UTF8, Boolean.TRUE);
        }
        return fields.build();
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    /** A short, single-line reason for a parse failure, without Jackson's source-reference dumps. */
    static String describe(Exception e) {
        if (e instanceof StreamConstraintsException sce) {
            String m = String.valueOf(sce.getOriginalMessage());
            if (m.startsWith("Document nesting depth")) {
                return "not JSON: nested deeper than " + MAX_NESTING_DEPTH + " levels";
            }
        }
        String message;
        JsonLocation location = null;
        if (e instanceof JsonProcessingException jpe) {
            message = jpe.getOriginalMessage();
            location = jpe.getLocation();
        } else {
            message = e.getMessage();
        }
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        message = cut(message, "\n", " (start marker at", " (for Object starting at", " (for Array starting at",
                " [Source:", ", from `", ": enable `", ": was expecting (JSON String, Number, Array, Object");
        StringBuilder sb = new StringBuilder("not JSON: ");
        for (int i = 0; i < message.length() && sb.length() < MAX_REASON_LENGTH; i++) {
            char c = message.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        if (sb.length() >= MAX_REASON_LENGTH) {
            sb.append("...");
        }
        if (location != null && location.getColumnNr() > 0) {
            sb.append(" at column ").append(location.getColumnNr());
        }
        return sb.toString();
    }

    private static String cut(String s, String... markers) {
        int end = s.length();
        for (String m : markers) {
            int i = s.indexOf(m);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return s.substring(0, end).strip();
    }

    private static boolean isBlank(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != 0x0B) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasNulInFirstFourBytes(byte[] b, int off, int len) {
        for (int i = off, end = off + Math.min(len, 4); i < end; i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
