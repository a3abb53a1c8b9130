package foundation.foxlight.skulklogs.it.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generates Skulk-style log lines (Python {@code json.dumps} with default separators, ASCII-only,
 * {@code \\uXXXX} escapes) with a unique sequence number in each, plus odd ones among them, together with
 * what VictoriaLogs must store for each line (every field as a string, {@code _msg}, {@code _time}).
 * {@link #ANY} in an expectation means "present, with any value".
 */
public final class SkulkLines {
    /** Expected value meaning: the field must be present, its value is not compared. */
    public static final String ANY = "\u0000any";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** One generated line: its bytes (without newline) and the stored row it must become. */
    public record GeneratedLine(long seq, byte[] bytes, Map<String, String> expected) {
    }

    private final String nodeId;
    private final String agentNodeId;

    /**
     * @param nodeId      the node_id Skulk writes into its JSON lines
     * @param agentNodeId the agent's node id, which lines without one (not JSON) get
     */
    public SkulkLines(String nodeId, String agentNodeId) {
        this.nodeId = nodeId;
        this.agentNodeId = agentNodeId;
    }

    /** Line number {@code seq}, stamped {@code time}; every 1000 lines include one of each odd kind. */
    public GeneratedLine line(long seq, Instant time) {
        String ts = TS.format(time);
        Map<String, String> exp = new LinkedHashMap<>();
        int kind = (int) (seq % 1000);
        switch (kind) {
            case 0 -> { // not JSON at all: kept as text, flagged, routed to the agent's node
                String text = "Traceback (most recent call last): plain text seq=" + seq;
                exp.put("_msg", text);
                exp.put("node_id", agentNodeId);
                exp.put("component", "unknown");
                exp.put("log.parse_error", ANY);
                exp.put("_time", ANY);
                return new GeneratedLine(seq, text.getBytes(StandardCharsets.US_ASCII), exp);
            }
            case 1 -> { // invalid UTF-8 inside a JSON string: replaced and flagged
                String text = json(ts, "WARNING", "worker", "skulk.worker.runner", "run", 7, "bad byte @ here", seq);
                byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
                bytes[text.indexOf('@')] = (byte) 0xFF;
                standard(exp, ts, "WARNING", "worker", "skulk.worker.runner", "run", 7, seq);
                exp.put("_msg", "bad byte \uFFFD here");
                exp.put("log.invalid_utf8", "true");
                return new GeneratedLine(seq, bytes, exp);
            }
            case 2 -> { // ANSI escape codes inside msg (kept as data)
                String msg = "\u001b[31mred alert\u001b[0m seq " + seq;
                return regular(seq, ts, "ERROR", "api", "skulk.api.server", "handle", 99, msg, exp);
            }
            case 3 -> { // non-ASCII written as \\uXXXX escapes, including a surrogate pair
                String msg = "caf\u00e9 \ud83d\ude80 launched seq " + seq;
                return regular(seq, ts, "SUCCESS", "master", "skulk.master.main", "boot", 1, msg, exp);
            }
            case 4 -> { // multi-line exception field
                String exc = "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: boom " + seq;
                GeneratedLine base = regular(seq, ts, "CRITICAL", "worker", "skulk.worker.runner", "crash", 500, "crashed " + seq, exp);
                String line = new String(base.bytes(), StandardCharsets.US_ASCII);
                line = line.substring(0, line.length() - 1) + ", \"exception\": " + pyString(exc) + "}";
                exp.put("exception", exc);
                return new GeneratedLine(seq, line.getBytes(StandardCharsets.US_ASCII), exp);
            }
            case 5 -> { // nested object: flattened with dots by the store
                GeneratedLine base = regular(seq, ts, "INFO", "shard", "skulk.shard.plan", "plan", 12, "nested " + seq, exp);
                String line = new String(base.bytes(), StandardCharsets.US_ASCII);
                line = line.substring(0, line.length() - 1) + ", \"ctx\": {\"a\": 1, \"b\": {\"c\": \"x\"}}}";
                exp.put("ctx.a", "1");
                exp.put("ctx.b.c", "x");
                return new GeneratedLine(seq, line.getBytes(StandardCharsets.US_ASCII), exp);
            }
            default -> {
                return regular(seq, ts, "INFO", "worker", "skulk.worker.runner", "step", (int) (seq % 400), "step done seq " + seq, exp);
            }
        }
    }

    private GeneratedLine regular(long seq, String ts, String level, String component, String module, String function, int line,
            String msg, Map<String, String> exp) {
        standard(exp, ts, level, component, module, function, line, seq);
        exp.put("_msg", msg);
        return new GeneratedLine(seq, json(ts, level, component, module, function, line, msg, seq).getBytes(StandardCharsets.US_ASCII), exp);
    }

    private void standard(Map<String, String> exp, String ts, String level, String component, String module, String function, int line,
            long seq) {
        exp.put("_time", ts);
        exp.put("level", level);
        exp.put("node_id", nodeId);
        exp.put("component", component);
        exp.put("module", module);
        exp.put("function", function);
        exp.put("line", String.valueOf(line));
        exp.put("seq", String.valueOf(seq));
    }

    private String json(String ts, String level, String component, String module, String function, int line, String msg, long seq) {
        return "{\"ts\": \"" + ts + "\", \"level\": \"" + level + "\", \"node_id\": " + pyString(nodeId) + ", \"component\": \""
                + component + "\", \"module\": \"" + module + "\", \"function\": \"" + function + "\", \"line\": " + line
                + ", \"msg\": " + (msg == null ? "null" : pyString(msg)) + ", \"seq\": " + seq + "}";
    }

    /** A string as Python's {@code json.dumps} writes it (ensure_ascii=True). */
    static String pyString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
