package foundation.foxlight.skulklogs.relay.sink.victorialogs.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An independent model of what VictoriaLogs does with one ndjson line (written from the facts in the
 * design notes, not from the production guards): whether it would answer 400 for the request, silently
 * drop the line, or store it.
 */
public final class VictoriaLogsRules {
    /** A strict JSON reader: one object per line, no trailing tokens, no duplicate keys, exact numbers. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .setNodeFactory(JsonNodeFactory.instance);

    /** Server settings that matter for dropping lines. */
    public record Limits(int maxLineBytes, int maxFields, int maxNameBytes, Duration retention, Duration futureRetention) {
        public static Limits defaults() {
            return new Limits(256 * 1024, 1000, 128, Duration.ofDays(90), Duration.ofDays(2));
        }
    }

    /** What happens to one line. */
    public sealed interface Verdict {
        record Stored(ObjectNode line) implements Verdict {
        }

        record SilentlyDropped(String reason) implements Verdict {
        }

        /** The whole request is answered 400 with this message. */
        record BadRequest(String message) implements Verdict {
        }
    }

    private VictoriaLogsRules() {
    }

    public static Verdict judge(String line, Limits limits, String timeField, Instant now) {
        int bytes = line.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxLineBytes() - 1) {
            // the builder promises strictly below the limit; treat reaching it as a drop too
            return new Verdict.SilentlyDropped("line of " + bytes + " bytes reaches max line size " + limits.maxLineBytes());
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (Exception e) {
            return new Verdict.SilentlyDropped("invalid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            return new Verdict.SilentlyDropped("not a JSON object");
        }
        ObjectNode obj = (ObjectNode) node;
        int[] fields = {0};
        int[] longest = {0};
        flatten(obj, 0, fields, longest);
        if (fields[0] > limits.maxFields()) {
            return new Verdict.SilentlyDropped(fields[0] + " fields > " + limits.maxFields());
        }
        if (longest[0] > limits.maxNameBytes()) {
            return new Verdict.SilentlyDropped("field name of " + longest[0] + " bytes > " + limits.maxNameBytes());
        }
        JsonNode ts = obj.get(timeField);
        if (ts != null && !ts.isNull()) {
            Optional<Instant> t = parseTime(ts);
            if (t == null) {
                return new Verdict.BadRequest("cannot parse timestamp from field \"" + timeField + "\": " + ts);
            }
            if (t.isPresent()) {
                if (t.get().isBefore(now.minus(limits.retention()))) {
                    return new Verdict.SilentlyDropped("timestamp " + ts + " older than the retention");
                }
                if (t.get().isAfter(now.plus(limits.futureRetention()))) {
                    return new Verdict.SilentlyDropped("timestamp " + ts + " beyond the future retention");
                }
            }
        }
        return new Verdict.Stored(obj);
    }

    /** Counts fields as VictoriaLogs does (nested objects flattened with dots). */
    private static void flatten(ObjectNode obj, int prefixBytes, int[] fields, int[] longest) {
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        if (!it.hasNext() && prefixBytes > 0) {
            fields[0]++;
            longest[0] = Math.max(longest[0], prefixBytes);
        }
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            int nameBytes = (prefixBytes > 0 ? prefixBytes + 1 : 0) + f.getKey().getBytes(StandardCharsets.UTF_8).length;
            if (f.getValue().isObject()) {
                flatten((ObjectNode) f.getValue(), nameBytes, fields, longest);
            } else {
                fields[0]++;
                longest[0] = Math.max(longest[0], nameBytes);
            }
        }
    }

    /** Empty: "use the ingest time"; null: unparseable (400). */
    static Optional<Instant> parseTime(JsonNode ts) {
        if (ts.isNumber()) {
            if (ts.isIntegralNumber()) {
                BigInteger n = ts.bigIntegerValue();
                if (n.bitLength() > 63) {
                    return null;
                }
                return Optional.of(fromUnix(n.doubleValue(), n.longValue()));
            }
            return Optional.of(fromUnix(ts.doubleValue(), null));
        }
        if (!ts.isTextual()) {
            return null;
        }
        String s = ts.asText();
        if (s.isEmpty() || s.equals("0")) {
            return Optional.empty();
        }
        if (s.length() <= 4 || s.charAt(4) != '-') {
            try {
                if (s.contains(".")) {
                    return Optional.of(fromUnix(Double.parseDouble(s), null));
                }
                return Optional.of(fromUnix(0, Long.parseLong(s)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static Instant fromUnix(double f, Long exact) {
        double v = exact != null ? exact.doubleValue() : f;
        double abs = Math.abs(v);
        double secs;
        if (abs < (1L << 31)) {
            secs = v;
        } else if (abs < 1e3 * (1L << 31)) {
            secs = v / 1e3;
        } else if (abs < 1e6 * (1L << 31)) {
            secs = v / 1e6;
        } else {
            secs = v / 1e9;
        }
        return Instant.ofEpochMilli((long) (secs * 1000));
    }

    /** Every verdict for the lines of one body. */
    public static List<Verdict> judgeAll(List<String> lines, Limits limits, String timeField, Instant now) {
        List<Verdict> out = new ArrayList<>();
        for (String l : lines) {
            out.add(judge(l, limits, timeField, now));
        }
        return out;
    }
}
