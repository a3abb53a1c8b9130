package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import foundation.foxlight.skulklogs.schema.JsonText;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The guards of {@link VictoriaLogsRequestBuilder}: turns one event into one or more serialized lines
 * that VictoriaLogs stores as they are. Holds a scratch buffer and a JSON generator writing into it: one
 * instance per build call, one thread; {@link #close()} returns the generator's buffers.
 */
final class EventGuards implements AutoCloseable {
    /** Bytes (inside the JSON string) kept of each stream field and of the event id on every part. */
    static final int IDENTITY_CAP = 128;
    /** Fields kept free for the markers a split adds (log.adjusted, log.truncated_from_bytes, log.part). */
    static final int FIELD_RESERVE = 4;
    /** When fields overflow, this many fewer than the limit are kept. */
    static final int OVERFLOW_MARGIN = 10;

    private static final String HEAD_PART_PLACEHOLDER = "1/" + Integer.MAX_VALUE;
    private static final String PART_PLACEHOLDER = Integer.MAX_VALUE + "/" + Integer.MAX_VALUE;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final VictoriaLogsSinkConfig config;
    private final JsonLength len;
    private final int limit;
    private final Set<String> protectedNames = new HashSet<>();
    private final Set<String> identityNames = new LinkedHashSet<>();
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(8192);
    /** Writes into {@link #scratch}; one for all events of a build (creating one per event cost a sixth of the time). */
    private JsonGenerator generator;
    private Instant windowOf;
    private TimestampCheck.Window window;

    EventGuards(VictoriaLogsSinkConfig config, JsonLength len) {
        this.config = config;
        this.len = len;
        this.limit = config.maxLineBytes();
        identityNames.addAll(config.streamFields());
        identityNames.add(PipelineFields.EVENT_ID);
        protectedNames.addAll(identityNames);
        protectedNames.add(config.timeField());
        protectedNames.add(config.msgField());
        protectedNames.addAll(List.of(LogEvent.LEVEL, LogEvent.MODULE, LogEvent.FUNCTION, LogEvent.LINE,
                LogEvent.EXCEPTION, PipelineFields.PARSE_ERROR, PipelineFields.INVALID_UTF8,
                PipelineFields.TRUNCATED_FROM_BYTES, PipelineFields.ANSI_STRIPPED, PipelineFields.PARTIAL,
                PipelineFields.SOURCE, PipelineFields.ORIGINAL_TS, PipelineFields.ADJUSTED,
                VictoriaLogsFields.PART, VictoriaLogsFields.PART_FIELD, VictoriaLogsFields.RENAMED_FIELDS));
    }

    /** The lines (without newline) for one event, each strictly shorter than {@code max_line_bytes}. */
    List<byte[]> lines(LogEvent input, Instant now, GuardReport.Builder report) {
        EnumSet<GuardReason> fired = EnumSet.noneOf(GuardReason.class);
        LogEvent e = guarded(input, now, fired);
        List<byte[]> out = scratch.size() < limit ? List.of(scratch.toByteArray()) : split(e, scratch.toByteArray(), fired);
        fired.forEach(report::add);
        report.addExtraLines(out.size() - 1L);
        return out;
    }

    /**
     * Writes the lines for one event to {@code out}, each followed by {@code \n}: the same bytes as
     * {@link #lines}, without copying the common single line.
     *
     * @return the bytes written, newlines included
     */
    long write(LogEvent input, Instant now, GuardReport.Builder report, OutputStream out) throws IOException {
        EnumSet<GuardReason> fired = EnumSet.noneOf(GuardReason.class);
        LogEvent e = guarded(input, now, fired);
        if (scratch.size() < limit) {
            fired.forEach(report::add);
            long n = scratch.size() + 1L;
            scratch.writeTo(out);
            out.write('\n');
            return n;
        }
        List<byte[]> parts = split(e, scratch.toByteArray(), fired);
        fired.forEach(report::add);
        report.addExtraLines(parts.size() - 1L);
        long n = 0;
        for (byte[] line : parts) {
            out.write(line);
            out.write('\n');
            n += line.length + 1L;
        }
        return n;
    }

    /** The event with every guard applied; its serialized form is left in {@link #scratch}. */
    private LogEvent guarded(LogEvent input, Instant now, EnumSet<GuardReason> fired) {
        countOnly(input, fired);
        LogEvent e = sanitize(input, fired);
        e = fixNames(e, fired);
        e = fixTimestamp(e, now, fired);
        e = fixJsonValues(e, fired);
        e = fixFieldCount(e, fired);
        e = withAdjusted(e, fired);
        serializeToScratch(e);
        return e;
    }

    // ---------------------------------------------------------------- count-only checks

    private void countOnly(LogEvent e, EnumSet<GuardReason> fired) {
        Object msg = e.get(config.msgField());
        if (msg == null || (msg instanceof String s && s.isEmpty())) {
            fired.add(GuardReason.MSG_MISSING);
        }
        for (String f : config.streamFields()) {
            if (e.get(f) == null) {
                fired.add(GuardReason.STREAM_FIELD_MISSING);
                break;
            }
        }
    }

    // ---------------------------------------------------------------- text that UTF-8 cannot carry

    private static LogEvent sanitize(LogEvent e, EnumSet<GuardReason> fired) {
        boolean bad = false;
        for (int i = 0; i < e.size() && !bad; i++) {
            Object v = e.value(i);
            bad = JsonLength.hasLoneSurrogate(e.name(i))
                    || (v instanceof String s && JsonLength.hasLoneSurrogate(s))
                    || (v instanceof JsonText j && JsonLength.hasLoneSurrogate(j.json()));
        }
        if (!bad) {
            return e;
        }
        LogEvent.Builder b = LogEvent.builder();
        for (int i = 0; i < e.size(); i++) {
            Object v = e.value(i);
            if (v instanceof String s) {
                v = JsonLength.replaceLoneSurrogates(s);
            } else if (v instanceof JsonText j) {
                v = new JsonText(JsonLength.replaceLoneSurrogates(j.json()));
            }
            String name = JsonLength.replaceLoneSurrogates(e.name(i));
            String unique = name;
            for (int k = 2; b.has(unique); k++) {
                unique = name + "~" + k;
            }
            b.put(unique, v);
        }
        b.put(PipelineFields.INVALID_UTF8, Boolean.TRUE);
        fired.add(GuardReason.INVALID_TEXT);
        return b.build();
    }

    // ---------------------------------------------------------------- field names over the limit

    private LogEvent fixNames(LogEvent e, EnumSet<GuardReason> fired) {
        int max = config.maxFieldNameBytes();
        boolean any = false;
        for (int i = 0; i < e.size() && !any; i++) {
            String name = e.name(i);
            // a char is at most 3 UTF-8 bytes: most names need no count
            any = name.length() * 3 > max && JsonLength.utf8Length(name) > max;
        }
        if (!any) {
            return e;
        }
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < e.size(); i++) {
            taken.add(e.name(i));
        }
        Map<String, Object> renamed = new LinkedHashMap<>();
        LogEvent.Builder b = LogEvent.builder();
        for (int i = 0; i < e.size(); i++) {
            String name = e.name(i);
            if (JsonLength.utf8Length(name) > max) {
                String shortName = shortName(name, max, taken);
                taken.add(shortName);
                renamed.put(shortName, name);
                b.put(shortName, e.value(i));
            } else {
                b.put(name, e.value(i));
            }
        }
        Object previous = e.get(VictoriaLogsFields.RENAMED_FIELDS);
        if (previous != null) {
            Map<String, Object> merged = new LinkedHashMap<>(parseStringObject(previous));
            merged.putAll(renamed);
            renamed = merged;
        }
        b.put(VictoriaLogsFields.RENAMED_FIELDS, jsonObject(renamed));
        fired.add(GuardReason.FIELD_NAME_TOO_LONG);
        return b.build();
    }

    /** {@code name} cut to fit {@code max} UTF-8 bytes, with {@code ~} and 8 hex digits of its SHA-256. */
    static String shortName(String name, int max, Set<String> taken) {
        String prefix = utf8Prefix(name, max - 9);
        String candidate = prefix + "~" + hash8(name);
        for (int k = 1; taken.contains(candidate); k++) {
            candidate = prefix + "~" + hash8(name + "#" + k);
        }
        return candidate;
    }

    private static String utf8Prefix(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int next = JsonLength.nextCodePoint(s, i);
            int w = JsonLength.utf8Length(s.substring(i, next));
            if (bytes + w > maxBytes) {
                break;
            }
            bytes += w;
            i = next;
        }
        return s.substring(0, i);
    }

    private static String hash8(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A previous {@code log.renamed_fields} value as a map; kept whole under its own name when not an object. */
    private static Map<String, Object> parseStringObject(Object previous) {
        String text = previous instanceof JsonText j ? j.json() : previous.toString();
        Map<String, Object> m = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    if (p.nextToken() != JsonToken.VALUE_STRING) {
                        throw new IOException("not a string");
                    }
                    m.put(k, p.getText());
                }
                return m;
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        m.clear();
        m.put(VictoriaLogsFields.RENAMED_FIELDS, text);
        return m;
    }

    // ---------------------------------------------------------------- the time field

    private LogEvent fixTimestamp(LogEvent e, Instant now, EnumSet<GuardReason> fired) {
        int idx = e.indexOf(config.timeField());
        if (idx < 0) {
            return e; // VictoriaLogs uses the ingest time
        }
        Object v = e.value(idx);
        if (!now.equals(windowOf)) {
            window = TimestampCheck.Window.of(now, config.retention(), config.futureRetention());
            windowOf = now;
        }
        TimestampCheck.Verdict verdict = TimestampCheck.check(v, window);
        GuardReason reason = switch (verdict) {
            case OK -> null;
            case UNPARSEABLE -> GuardReason.TS_UNPARSEABLE;
            case TOO_OLD -> GuardReason.TS_TOO_OLD;
            case TOO_FAR_IN_FUTURE -> GuardReason.TS_TOO_FAR_IN_FUTURE;
        };
        if (reason == null) {
            return e;
        }
        String original = v == null ? "null" : v instanceof JsonText j ? j.json() : v.toString();
        fired.add(reason);
        return e.toBuilder()
                .put(config.timeField(), TimestampCheck.format(now))
                .putIfAbsent(PipelineFields.ORIGINAL_TS, original)
                .build();
    }

    // ---------------------------------------------------------------- verbatim JSON values

    private LogEvent fixJsonValues(LogEvent e, EnumSet<GuardReason> fired) {
        LogEvent.Builder b = null;
        for (int i = 0; i < e.size(); i++) {
            if (e.value(i) instanceof JsonText j) {
                JsonShape shape = JsonShape.of(e.name(i), j.json());
                GuardReason reason = null;
                if (!shape.valid()) {
                    reason = GuardReason.INVALID_JSON_VALUE;
                } else if (shape.object() && shape.longestNameBytes() > config.maxFieldNameBytes()) {
                    reason = GuardReason.NESTED_OBJECT_STRINGIFIED;
                }
                if (reason != null) {
                    if (b == null) {
                        b = e.toBuilder();
                    }
                    b.put(e.name(i), j.json());
                    fired.add(reason);
                }
            }
        }
        return b == null ? e : b.build();
    }

    // ---------------------------------------------------------------- too many fields

    private static int weight(String name, Object v) {
        if (v instanceof JsonText j) {
            String json = j.json();
            int k = 0;
            while (k < json.length() && Character.isWhitespace(json.charAt(k))) {
                k++;
            }
            if (k < json.length() && json.charAt(k) == '{') {
                return JsonShape.of(name, json).fields();
            }
        }
        return 1;
    }

    private LogEvent fixFieldCount(LogEvent e, EnumSet<GuardReason> fired) {
        int max = config.maxFieldsPerLine();
        int n = e.size();
        int[] w = new int[n];
        long total = FIELD_RESERVE;
        for (int i = 0; i < n; i++) {
            w[i] = weight(e.name(i), e.value(i));
            total += w[i];
        }
        if (total <= max) {
            return e;
        }
        // 1. send nested objects as JSON text, biggest first: nothing moves, names stay
        List<Integer> objects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (w[i] > 1) {
                objects.add(i);
            }
        }
        objects.sort((a, c) -> Integer.compare(w[c], w[a]));
        if (!objects.isEmpty()) {
            LogEvent.Builder b = e.toBuilder();
            for (int i : objects) {
                if (total <= max) {
                    break;
                }
                b.put(e.name(i), ((JsonText) e.value(i)).json());
                total -= w[i] - 1;
            }
            fired.add(GuardReason.NESTED_OBJECT_STRINGIFIED);
            e = b.build();
            if (total <= max) {
                return e;
            }
            // here every object has been stringified: each field now counts one
        }
        // 2. keep the protected fields and the first others, move the rest into one JSON text field
        int slots = max - OVERFLOW_MARGIN - 1;
        int protectedCount = 0;
        for (int i = 0; i < e.size(); i++) {
            if (protectedNames.contains(e.name(i))) {
                protectedCount++;
            }
        }
        int othersAllowed = Math.max(0, slots - protectedCount);
        LogEvent.Builder kept = LogEvent.builder();
        Map<String, Object> moved = new LinkedHashMap<>();
        for (int i = 0; i < e.size(); i++) {
            String name = e.name(i);
            if (name.equals(VictoriaLogsFields.OVERFLOW_FIELDS)) {
                moved.put(name, e.value(i));
            } else if (protectedNames.contains(name)) {
                kept.put(name, e.value(i));
            } else if (othersAllowed > 0) {
                othersAllowed--;
                kept.put(name, e.value(i));
            } else {
                moved.put(name, e.value(i));
            }
        }
        kept.put(VictoriaLogsFields.OVERFLOW_FIELDS, jsonObject(moved));
        fired.add(GuardReason.TOO_MANY_FIELDS);
        return kept.build();
    }

    /** The fields as one compact JSON object text. */
    static String jsonObject(Map<String, Object> fields) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                g.writeFieldName(f.getKey());
                Object v = f.getValue();
                if (v == null) {
                    g.writeNull();
                } else if (v instanceof String s) {
                    g.writeString(s);
                } else if (v instanceof Long l) {
                    g.writeNumber(l);
                } else if (v instanceof Boolean bool) {
                    g.writeBoolean(bool);
                } else if (v instanceof JsonText j) {
                    g.writeRawValue(j.json());
                } else {
                    g.writeString(v.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    // ---------------------------------------------------------------- log.adjusted

    private static LogEvent withAdjusted(LogEvent e, EnumSet<GuardReason> fired) {
        if (fired.isEmpty()) {
            return e;
        }
        List<String> codes = new ArrayList<>();
        for (GuardReason r : fired) {
            if (!r.isCountOnly()) {
                codes.add(r.code());
            }
        }
        if (codes.isEmpty()) {
            return e;
        }
        LogEvent.Builder b = e.toBuilder();
        addAdjusted(b, codes);
        return b.build();
    }

    private static void addAdjusted(LogEvent.Builder b, List<String> codes) {
        Object existing = b.get(PipelineFields.ADJUSTED);
        String base = existing == null ? "" : existing instanceof JsonText j ? j.json() : existing.toString();
        Set<String> present = new HashSet<>(List.of(base.split(",")));
        StringBuilder sb = new StringBuilder(base);
        for (String c : codes) {
            if (present.add(c)) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(c);
            }
        }
        b.put(PipelineFields.ADJUSTED, sb.toString());
    }

    // ---------------------------------------------------------------- lines too long

    private List<byte[]> split(LogEvent e, byte[] line, EnumSet<GuardReason> fired) {
        fired.add(GuardReason.LINE_TOO_LONG);
        LogEvent.Builder hb = e.toBuilder();
        hb.putIfAbsent(PipelineFields.TRUNCATED_FROM_BYTES, (long) line.length);
        hb.put(VictoriaLogsFields.PART, HEAD_PART_PLACEHOLDER);
        addAdjusted(hb, List.of(GuardReason.LINE_TOO_LONG.code()));
        LogEvent head0 = hb.build();

        List<Integer> cands = new ArrayList<>();
        for (int i = 0; i < head0.size(); i++) {
            String name = head0.name(i);
            Object v = head0.value(i);
            if (!name.equals(config.timeField()) && !name.equals(VictoriaLogsFields.PART)
                    && (v instanceof String || v instanceof JsonText)) {
                cands.add(i);
            }
        }
        int m = cands.size();
        String[] texts = new String[m];
        long[] demand = new long[m];
        LogEvent.Builder emptied = head0.toBuilder();
        for (int k = 0; k < m; k++) {
            int i = cands.get(k);
            Object v = head0.value(i);
            texts[k] = v instanceof JsonText j ? j.json() : (String) v;
            demand[k] = len.of(texts[k]);
            if (identityNames.contains(head0.name(i))) {
                demand[k] = Math.min(demand[k], IDENTITY_CAP);
            }
            emptied.put(head0.name(i), "");
        }
        long avail = limit - 1L - serialize(emptied.build()).length;
        for (int attempt = 0; attempt < 8 && avail >= 0; attempt++) {
            long[] alloc = waterFill(demand, avail);
            LogEvent.Builder b = head0.toBuilder();
            String[] rest = new String[m];
            for (int k = 0; k < m; k++) {
                int end = len.prefixEnd(texts[k], 0, alloc[k]);
                if (end < texts[k].length()) {
                    b.put(head0.name(cands.get(k)), texts[k].substring(0, end));
                    rest[k] = texts[k].substring(end);
                }
            }
            LogEvent head = b.build();
            int size = serialize(head).length;
            if (size < limit) {
                List<LogEvent> parts = new ArrayList<>();
                parts.add(head);
                LogEvent.Builder skeleton = skeleton(head);
                for (int k = 0; k < m; k++) {
                    if (rest[k] != null) {
                        skeleton.put(VictoriaLogsFields.PART_FIELD, head0.name(cands.get(k)));
                        chunk(skeleton, rest[k], 0, Integer.MAX_VALUE, parts);
                    }
                }
                return numbered(parts);
            }
            avail -= (size - (limit - 1L)) + 8L * attempt;
        }
        return wrap(e, line, fired);
    }

    /** Water-filling: small demands are met in full, the rest share what is left equally. */
    static long[] waterFill(long[] demand, long avail) {
        int m = demand.length;
        Integer[] order = new Integer[m];
        for (int k = 0; k < m; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(demand[a], demand[b]));
        long[] alloc = new long[m];
        long remaining = avail;
        for (int pos = 0; pos < m; pos++) {
            int k = order[pos];
            long share = remaining / (m - pos);
            alloc[k] = Math.min(demand[k], share);
            remaining -= alloc[k];
        }
        return alloc;
    }

    /** What every follow-up part repeats: time, stream fields and event id (as the head has them). */
    private LogEvent.Builder skeleton(LogEvent head) {
        LogEvent.Builder sk = LogEvent.builder();
        if (head.has(config.timeField())) {
            sk.put(config.timeField(), head.get(config.timeField()));
        }
        for (String f : config.streamFields()) {
            if (head.has(f)) {
                sk.put(f, head.get(f));
            }
        }
        if (head.has(PipelineFields.EVENT_ID)) {
            sk.put(PipelineFields.EVENT_ID, head.get(PipelineFields.EVENT_ID));
        }
        sk.put(VictoriaLogsFields.PART, PART_PLACEHOLDER);
        return sk;
    }

    /**
     * Appends events {@code skeleton + msg=<chunk of text>} to {@code out} for {@code text} from
     * {@code pos}, at most {@code maxChunks} of them; returns where it stopped.
     */
    private int chunk(LogEvent.Builder skeleton, String text, int pos, int maxChunks, List<LogEvent> out) {
        String msg = config.msgField();
        long room = limit - 1L - serialize(skeleton.put(msg, "").build()).length;
        if (room < 16) {
            throw new IllegalStateException("max_line_bytes " + limit + " leaves no room for a part's msg");
        }
        for (int c = 0; c < maxChunks && pos < text.length(); c++) {
            long target = room;
            while (true) {
                int end = len.prefixEnd(text, pos, target);
                if (end == pos) {
                    end = JsonLength.nextCodePoint(text, pos);
                }
                LogEvent ev = skeleton.put(msg, text.substring(pos, end)).build();
                int size = serialize(ev).length;
                if (size < limit) {
                    out.add(ev);
                    pos = end;
                    break;
                }
                if (end == JsonLength.nextCodePoint(text, pos)) {
                    throw new IllegalStateException("one character does not fit into a part of " + limit + " bytes");
                }
                target = Math.max(0, target - (size - (limit - 1L)));
            }
        }
        return pos;
    }

    /** The whole line as chunks of text: the fallback when the head alone cannot be made to fit. */
    private List<byte[]> wrap(LogEvent e, byte[] line, EnumSet<GuardReason> fired) {
        fired.add(GuardReason.LINE_WRAPPED);
        String text = new String(line, StandardCharsets.UTF_8);
        LogEvent.Builder sk = LogEvent.builder();
        if (e.has(config.timeField())) {
            sk.put(config.timeField(), e.get(config.timeField()));
        }
        for (String f : identityNames) {
            if (e.has(f)) {
                Object v = e.get(f);
                if (v instanceof String || v instanceof JsonText) {
                    String t = v instanceof JsonText j ? j.json() : (String) v;
                    int end = len.prefixEnd(t, 0, IDENTITY_CAP);
                    if (end < t.length()) {
                        v = t.substring(0, end);
                    }
                }
                sk.put(f, v);
            }
        }
        sk.put(VictoriaLogsFields.PART, PART_PLACEHOLDER);
        sk.put(VictoriaLogsFields.PART_FIELD, VictoriaLogsFields.WHOLE_LINE);
        LogEvent.Builder first = sk.build().toBuilder();
        first.put(PipelineFields.TRUNCATED_FROM_BYTES, (long) line.length);
        first.put(PipelineFields.ADJUSTED,
                GuardReason.LINE_TOO_LONG.code() + "," + GuardReason.LINE_WRAPPED.code());
        List<LogEvent> parts = new ArrayList<>();
        int pos = chunk(first, text, 0, 1, parts);
        chunk(sk, text, pos, Integer.MAX_VALUE, parts);
        return numbered(parts);
    }

    private List<byte[]> numbered(List<LogEvent> parts) {
        int n = parts.size();
        List<byte[]> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LogEvent p = parts.get(i).toBuilder().put(VictoriaLogsFields.PART, (i + 1) + "/" + n).build();
            byte[] bytes = serialize(p);
            if (bytes.length >= limit) {
                throw new IllegalStateException("part " + (i + 1) + "/" + n + " has " + bytes.length + " bytes");
            }
            lines.add(bytes);
        }
        return lines;
    }

    // ---------------------------------------------------------------- serialization

    private byte[] serialize(LogEvent e) {
        serializeToScratch(e);
        return scratch.toByteArray();
    }

    /** {@link LogEventJson#write(LogEvent, OutputStream)} into the emptied {@link #scratch}, with the reused generator. */
    private void serializeToScratch(LogEvent e) {
        scratch.reset();
        try {
            if (generator == null) {
                generator = LogEventJson.newGenerator(scratch);
            }
            LogEventJson.write(e, generator);
            generator.flush();
        } catch (IOException ex) {
            // a generator that failed half-way may hold a partial object: start the next event with a new one
            closeGenerator();
            scratch.reset();
            throw new UncheckedIOException(ex);
        }
    }

    private void closeGenerator() {
        JsonGenerator g = generator;
        generator = null;
        if (g != null) {
            try {
                g.close();
            } catch (IOException | RuntimeException ignored) {
                // only buffers are released; a generator in a failed state may refuse to close cleanly
            }
        }
    }

    /** Releases the JSON generator (its buffers go back to Jackson's pool). */
    @Override
    public void close() {
        closeGenerator();
    }
}
