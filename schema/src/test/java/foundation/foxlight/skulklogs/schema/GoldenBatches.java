package foundation.foxlight.skulklogs.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of the golden batches under {@code src/test/resources/golden/v1/}, and their readable JSON
 * form: one object with the batch header and an {@code events} array holding each event exactly as
 * {@link LogEventJson#toJson} writes it, one per line.
 */
final class GoldenBatches {
    static final String DIR = "golden/v1";

    private GoldenBatches() {
    }

    /** Name (file name without extension) to content. Changing these requires regenerating the files. */
    static Map<String, EventBatch> definitions() {
        Map<String, EventBatch> m = new LinkedHashMap<>();

        List<LogEvent> skulk = new ArrayList<>();
        TestEvents.SKULK_LINES.forEach(line -> skulk.add(TestEvents.parse(line)));
        m.put("skulk-lines", new EventBatch("mac-studio-1", "/Users/skulk/.skulk/logs/skulk.stdout.log", 4096,
                1_777_900_000_000L, skulk));

        m.put("empty", new EventBatch("linux-box", "journald", -1, 0, List.of()));

        // Literal events (not parse results) so that these files never depend on parser wording.
        List<LogEvent> odd = List.of(
                unparsed("Traceback (most recent call last):", "not JSON: Unrecognized token 'Traceback' at column 11").build(),
                unparsed("bad \ufffd\ufffd \ufffd\ufffd\ufffd \ufffd", "not JSON: Unrecognized token 'bad' at column 4")
                        .put(PipelineFields.INVALID_UTF8, true).build(),
                unparsed("\u001b[1;31mERROR\u001b[0m \u0000 disk full", "not JSON: Illegal character").build(),
                unparsed("", "empty line").build(),
                unparsed("[1,2,3]", "not a JSON object: array").build(),
                unparsed("{\"msg\":\"ok\"} trailing", "not JSON: trailing content after the object at column 13").build(),
                LogEvent.builder().put(LogEvent.MSG, "\ufffd").put(PipelineFields.INVALID_UTF8, true).build());
        m.put("unparsed-lines", new EventBatch("mac-mini", "stdin", 0, 1_777_900_000_123L, odd));

        LogEvent values = LogEvent.builder()
                .put(LogEvent.MSG, "every value type")
                .put("null", null)
                .put("true", true)
                .put("false", false)
                .put("zero", 0L)
                .put("one", 1L)
                .put("minus-one", -1L)
                .put("long-min", Long.MIN_VALUE)
                .put("long-max", Long.MAX_VALUE)
                .put("fraction", new JsonText("1.50"))
                .put("exponent", new JsonText("1e400"))
                .put("big", new JsonText("123456789012345678901234567890"))
                .put("object", new JsonText("{\"b\":1,\"a\":[true,null,\"x\"],\"c\":{}}"))
                .put("array", new JsonText("[]"))
                .put("empty", "")
                .put("c", "c")
                .put("ascii-63", "a".repeat(63))
                .put("ascii-64", "a".repeat(64))
                .put("ascii-200", "0123456789".repeat(20))
                .put("non-ascii", "caf\u00e9 \u65e5\u672c \ud83d\ude80 \ufffd")
                .put("lone-surrogates", "\ud800x\udc00")
                .put("controls", "\u0000\u0001\t\n\r\u001b[0m\u007f")
                .put("quotes", "\"'\\/")
                .put("\u00fcnic\u00f6de name", "v")
                .put("", "empty name")
                .build();
        m.put("value-types", new EventBatch("n\u00f6de-\u00e9", "/var/log/sk\u00fclk \"quoted\".log", Long.MAX_VALUE,
                Long.MIN_VALUE, List.of(values, LogEvent.builder().build())));
        return m;
    }

    private static LogEvent.Builder unparsed(String msg, String reason) {
        return LogEvent.builder().put(LogEvent.MSG, msg).put(PipelineFields.PARSE_ERROR, reason);
    }

    /** The readable JSON form of a batch. */
    static String toJson(EventBatch batch) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"nodeId\":").append(jsonString(batch.nodeId()))
                .append(",\"source\":").append(jsonString(batch.source()))
                .append(",\"sequence\":").append(batch.sequence())
                .append(",\"createdAtMillis\":").append(batch.createdAtMillis())
                .append(",\"events\":[");
        for (int i = 0; i < batch.events().size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n").append(LogEventJson.toJson(batch.events().get(i)));
        }
        return sb.append(batch.events().isEmpty() ? "]}\n" : "\n]}\n").toString();
    }

    private static String jsonString(String s) {
        String json = LogEventJson.toJson(LogEvent.builder().put("s", s).build());
        return json.substring("{\"s\":".length(), json.length() - 1);
    }

    /** Reads the JSON form; each event is parsed from its own bytes with {@link LogEventJson#parse}. */
    static EventBatch fromJson(byte[] json) throws IOException {
        String nodeId = null;
        String source = null;
        Long sequence = null;
        Long createdAt = null;
        List<LogEvent> events = null;
        try (JsonParser p = new JsonFactory().createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "nodeId" -> nodeId = p.getText();
                    case "source" -> source = p.getText();
                    case "sequence" -> sequence = p.getLongValue();
                    case "createdAtMillis" -> createdAt = p.getLongValue();
                    case "events" -> {
                        expect(t, JsonToken.START_ARRAY);
                        events = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            int start = (int) p.currentTokenLocation().getByteOffset();
                            p.skipChildren();
                            int end = (int) p.currentLocation().getByteOffset();
                            LogEvent e = LogEventJson.parse(json, start, end - start);
                            if (e.has(PipelineFields.PARSE_ERROR) && !LogEventJson.toJson(e).equals(
                                    new String(json, start, end - start, StandardCharsets.UTF_8))) {
                                throw new IOException("golden event at byte " + start + " is not JSON: " + e);
                            }
                            events.add(e);
                        }
                    }
                    default -> throw new IOException("unknown golden batch field " + name);
                }
            }
        }
        if (nodeId == null || source == null || sequence == null || createdAt == null || events == null) {
            throw new IOException("golden batch JSON lacks a field");
        }
        return new EventBatch(nodeId, source, sequence, createdAt, events);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
