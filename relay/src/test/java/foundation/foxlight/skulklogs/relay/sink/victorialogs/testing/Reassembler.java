package foundation.foxlight.skulklogs.relay.sink.victorialogs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsFields;
import foundation.foxlight.skulklogs.schema.JsonText;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Puts split events back together from body lines, following the documented contract (head {@code
 * log.part = 1/n}, follow-ups {@code i/n} whose msg continues the head's field {@code log.part_field},
 * or whole-line chunks for {@code *}), and checks that a reassembled event accounts for every field of
 * an input event (renamed, moved to overflow, or with its timestamp kept in {@code log.original_ts}).
 */
public final class Reassembler {
    private Reassembler() {
    }

    public static List<ObjectNode> reassemble(List<String> lines, String msgField) {
        List<ObjectNode> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            ObjectNode head = parse(lines.get(i));
            JsonNode part = head.get(VictoriaLogsFields.PART);
            if (part == null) {
                out.add(head);
                i++;
                continue;
            }
            String[] pn = part.asText().split("/");
            if (!pn[0].equals("1")) {
                throw new AssertionError("line " + i + " starts with part " + part.asText());
            }
            int n = Integer.parseInt(pn[1]);
            if (VictoriaLogsFields.WHOLE_LINE.equals(head.path(VictoriaLogsFields.PART_FIELD).asText())) {
                StringBuilder sb = new StringBuilder(head.path(msgField).asText());
                for (int j = 2; j <= n; j++) {
                    ObjectNode p = part(lines, i + j - 1, j, n);
                    sb.append(p.path(msgField).asText());
                }
                out.add(parse(sb.toString()));
            } else {
                Map<String, StringBuilder> texts = new HashMap<>();
                for (int j = 2; j <= n; j++) {
                    ObjectNode p = part(lines, i + j - 1, j, n);
                    String field = p.get(VictoriaLogsFields.PART_FIELD).asText();
                    texts.computeIfAbsent(field, f -> new StringBuilder(head.path(f).asText()))
                            .append(p.path(msgField).asText());
                }
                texts.forEach((f, sb) -> head.put(f, sb.toString()));
                head.remove(VictoriaLogsFields.PART);
                out.add(head);
            }
            i += n;
        }
        return out;
    }

    private static ObjectNode part(List<String> lines, int index, int j, int n) {
        if (index >= lines.size()) {
            throw new AssertionError("part " + j + "/" + n + " missing");
        }
        ObjectNode p = parse(lines.get(index));
        String expected = j + "/" + n;
        if (!expected.equals(p.path(VictoriaLogsFields.PART).asText())) {
            throw new AssertionError("expected part " + expected + " at line " + index + ", got " + p);
        }
        return p;
    }

    public static ObjectNode parse(String line) {
        try {
            return (ObjectNode) VictoriaLogsRules.JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON object: " + abbreviate(line), e);
        }
    }

    /**
     * Problems in how {@code out} represents {@code in}: every input field must be present with the same
     * content (a {@link JsonText} may come back as its text), possibly renamed, possibly inside {@code
     * log.overflow_fields}; an adjusted time field must be kept in {@code log.original_ts}.
     */
    public static List<String> accountingProblems(LogEvent in, ObjectNode out, String timeField) {
        List<String> problems = new ArrayList<>();
        Map<String, String> newNameOf = new HashMap<>();
        JsonNode renamed = out.get(VictoriaLogsFields.RENAMED_FIELDS);
        if (renamed != null) {
            ObjectNode m = parse(renamed.asText());
            Iterator<Map.Entry<String, JsonNode>> it = m.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                newNameOf.put(e.getValue().asText(), e.getKey());
            }
        }
        ObjectNode overflow = out.has(VictoriaLogsFields.OVERFLOW_FIELDS)
                ? parse(out.get(VictoriaLogsFields.OVERFLOW_FIELDS).asText())
                : null;
        String adjusted = out.path(PipelineFields.ADJUSTED).asText("");
        boolean replaced = out.path(PipelineFields.INVALID_UTF8).asBoolean(false);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            if (replaced) {
                // documented: names equal after the replacement get ~2, ~3, ... in field order
                String base = replaceLoneSurrogates(name);
                name = base;
                for (int k = 2; seen.contains(name); k++) {
                    name = base + "~" + k;
                }
                seen.add(name);
            }
            Object value = in.value(i);
            if (replaced && value instanceof String s) {
                value = replaceLoneSurrogates(s);
            } else if (replaced && value instanceof JsonText j) {
                value = new JsonText(replaceLoneSurrogates(j.json()));
            }
            String outName = newNameOf.getOrDefault(name, name);
            if (name.equals(timeField) && adjusted.contains("ts_")) {
                String original = value == null ? "null" : value instanceof JsonText j ? j.json() : value.toString();
                if (!original.equals(out.path(PipelineFields.ORIGINAL_TS).asText(null))) {
                    problems.add("time field " + original + " adjusted but log.original_ts is "
                            + out.get(PipelineFields.ORIGINAL_TS));
                }
                continue;
            }
            JsonNode actual = out.get(outName);
            if (actual == null && overflow != null) {
                actual = overflow.get(outName);
            }
            if (actual == null) {
                problems.add("field '" + abbreviate(name) + "' missing");
            } else if (!matches(value, actual)) {
                problems.add("field '" + abbreviate(name) + "': expected " + abbreviate(String.valueOf(value)) + ", got "
                        + abbreviate(actual.toString()));
            }
        }
        return problems;
    }

    static boolean matches(Object expected, JsonNode actual) {
        if (expected == null) {
            return actual.isNull();
        }
        if (expected instanceof String s) {
            return actual.isTextual() && actual.asText().equals(s);
        }
        if (expected instanceof Long l) {
            return actual.isIntegralNumber() && actual.canConvertToLong() && actual.longValue() == l;
        }
        if (expected instanceof Boolean b) {
            return actual.isBoolean() && actual.booleanValue() == b;
        }
        String json = ((JsonText) expected).json();
        if (actual.isTextual() && actual.asText().equals(json)) {
            return true; // sent as its JSON text (stringified or cut into parts)
        }
        try {
            return VictoriaLogsRules.JSON.readTree(json).equals(actual);
        } catch (Exception e) {
            return false;
        }
    }

    /** Lone surrogates (not encodable as UTF-8) as U+FFFD, the documented replacement. */
    static String replaceLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return sb.toString();
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...(" + s.length() + " chars)";
    }
}
