package foundation.foxlight.skulklogs.it.victorialogs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one JSON line into VictoriaLogs fields, as its ingest parser does: nested objects are flattened with dots
 * ({@code {"ctx":{"b":{"c":1}}}} gives {@code ctx.b.c}), nulls are skipped, numbers and booleans keep their source
 * text as a string, arrays are stored as compact JSON text (their strings keep their source escapes), and an empty
 * key at the top level names {@code _msg}.
 */
final class JsonLineFields {
    /** One parsed field; names repeat when the line has duplicate keys. */
    record Field(String name, String value) {
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonLineFields() {
    }

    /**
     * Parses a line that must hold exactly one JSON object.
     *
     * @throws IllegalArgumentException when it does not (the message mimics VictoriaLogs' parser)
     */
    static List<Field> parse(String line) {
        List<Field> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(line)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("cannot parse empty string");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("value doesn't contain object; it contains " + kind(first));
            }
            readObject(p, line, "", out);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("unexpected tail: \"" + line.substring((int) p.currentTokenLocation().getCharOffset()) + "\"");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot parse JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot parse JSON: " + e.getMessage(), e);
        }
        return out;
    }

    private static void readObject(JsonParser p, String src, String prefix, List<Field> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix + p.currentName();
            JsonToken t = p.nextToken();
            switch (t) {
                case VALUE_NULL:
                    break;
                case START_OBJECT:
                    readObject(p, src, name + ".", out);
                    break;
                case START_ARRAY: {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    int end = (int) p.currentTokenLocation().getCharOffset() + 1;
                    add(out, name, minify(src.substring(start, end)));
                    break;
                }
                case VALUE_STRING:
                    add(out, name, p.getText());
                    break;
                default:
                    // numbers, true, false: their source text
                    add(out, name, p.getText());
                    break;
            }
        }
    }

    private static void add(List<Field> out, String name, String value) {
        out.add(new Field(name.isEmpty() ? "_msg" : name, value));
    }

    /** Drops whitespace outside strings, keeping everything else (strings with their escapes) as written. */
    static String minify(String json) {
        StringBuilder b = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                b.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    b.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                b.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String kind(JsonToken t) {
        switch (t) {
            case START_ARRAY: return "array";
            case VALUE_STRING: return "string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "number";
            case VALUE_TRUE: return "true";
            case VALUE_FALSE: return "false";
            case VALUE_NULL: return "null";
            default: return t.asString() == null ? t.name() : t.asString();
        }
    }
}
