package foundation.foxlight.skulklogs.it.victorialogs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a {@code /insert/jsonline} request turned into rows, with VictoriaLogs v1.26's rules for what is
 * stored, what fails the line and what is silently dropped. Pure: no I/O, no clock of its own.
 */
final class JsonLineIngest {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLineIngest.class);

    /** Limits that are command-line flags on a real server. */
    record Limits(int maxLineSizeBytes, int maxFieldsPerLine, int maxFieldNameBytes, long retentionNanos,
                  long futureRetentionNanos, String defaultMsgValue) {
    }

    /** What one request came to. */
    static final class Result {
        final List<StoredRow> rows = new ArrayList<>();
        final EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        /** Non-empty lines read (the ones that failed included), VictoriaLogs' {@code n}. */
        int lines;
        /** Failed lines, plus one when the body broke off. */
        int errors;
        /** Lines that parsed (VictoriaLogs counts them in {@code vl_rows_ingested_total} even if dropped later). */
        int ingested;
        String lastError;

        /** True when every line failed: VictoriaLogs answers 400 with the last error. */
        boolean failed() {
            return errors > 0 && lines == errors;
        }

        void drop(DropReason reason) {
            drops.merge(reason, 1L, Long::sum);
        }
    }

    private JsonLineIngest() {
    }

    /**
     * Processes a decoded body.
     *
     * @param data      the decoded body (what could be read of it)
     * @param readError why reading stopped early, or null when the whole body was read
     * @param reject    lines to fail on purpose (fault injection)
     */
    static Result ingest(byte[] data, IOException readError, InsertParams p, Limits limits, long nowNanos,
                         Predicate<String> reject) {
        Result r = new Result();
        int len = data.length;
        if (readError != null) {
            // the partial line at the break is lost; complete lines before it are processed
            len = lastIndexOf(data, (byte) '\n', len) + 1;
        }
        int invalid = 0;
        int rejected = 0;
        boolean afterTooLong = false;
        int pos = 0;
        while (pos < len) {
            int nl = indexOf(data, (byte) '\n', pos, len);
            int end = nl < 0 ? len : nl;
            int next = nl < 0 ? len : nl + 1;
            int lineLen = end - pos;
            int start = pos;
            pos = next;
            if (afterTooLong) {
                if (lineLen > 0) {
                    r.drop(DropReason.AFTER_TOO_LONG_LINE);
                }
                continue;
            }
            if (lineLen >= limits.maxLineSizeBytes()) {
                LOG.warn("the line length exceeds -insert.maxLineSizeBytes={}; skipping it; skipped bytes={} "
                        + "(stand-in: every following line of this request is lost too)", limits.maxLineSizeBytes(), lineLen);
                r.drop(DropReason.TOO_LONG_LINE);
                afterTooLong = true;
                continue;
            }
            if (lineLen == 0) {
                continue;
            }
            String line = new String(data, start, lineLen, StandardCharsets.UTF_8);
            r.lines++;
            if (reject.test(line)) {
                r.errors++;
                rejected++;
                r.lastError = "line rejected by the stand-in's fault injection; line contents: " + GoQuote.quote(line);
                LOG.warn("jsonline: cannot read line #{} in /jsonline request: {}", r.lines - 1, r.lastError);
                continue;
            }
            List<JsonLineFields.Field> fields;
            long ts;
            int timeFieldIndex;
            try {
                fields = new ArrayList<>(JsonLineFields.parse(line));
                timeFieldIndex = timeFieldIndex(fields, p.timeFields);
                ts = timeFieldIndex < 0 ? nowNanos : parseTimestamp(fields.get(timeFieldIndex), nowNanos);
            } catch (IllegalArgumentException e) {
                r.errors++;
                invalid++;
                r.lastError = e.getMessage() + "; line contents: " + GoQuote.quote(line);
                LOG.warn("jsonline: cannot read line #{} in /jsonline request: {}", r.lines - 1, r.lastError);
                continue;
            }
            r.ingested++;
            addRow(r, fields, timeFieldIndex, ts, p, limits, nowNanos);
        }
        if (readError != null) {
            r.errors++;
            r.lastError = "cannot read the next line: " + readError.getMessage();
            LOG.warn("jsonline: {}", r.lastError);
        }
        if (!r.failed()) {
            if (invalid > 0) {
                r.drops.merge(DropReason.INVALID_LINE, (long) invalid, Long::sum);
            }
            if (rejected > 0) {
                r.drops.merge(DropReason.REJECTED_LINE, (long) rejected, Long::sum);
            }
            if (readError != null) {
                r.drop(DropReason.CORRUPT_BODY);
            }
        }
        return r;
    }

    private static long parseTimestamp(JsonLineFields.Field f, long nowNanos) {
        try {
            return VlTime.parseIngestTimestamp(f.value(), nowNanos);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot parse timestamp from field \"" + f.name() + "\": " + e.getMessage(), e);
        }
    }

    /** The first field named like the first time field that the line has, or -1. */
    private static int timeFieldIndex(List<JsonLineFields.Field> fields, List<String> timeFields) {
        for (String tf : timeFields) {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equals(tf)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static void addRow(Result r, List<JsonLineFields.Field> fields, int timeFieldIndex, long ts, InsertParams p,
                               Limits limits, long nowNanos) {
        renameMsgField(fields, p.msgFields);
        if (fields.size() > limits.maxFieldsPerLine()) {
            LOG.warn("dropping log line with {} fields; it exceeds -insert.maxFieldsPerLine={}", fields.size(), limits.maxFieldsPerLine());
            r.drop(DropReason.TOO_MANY_FIELDS);
            return;
        }
        for (JsonLineFields.Field f : fields) {
            int nameBytes = f.name().getBytes(StandardCharsets.UTF_8).length;
            if (nameBytes > limits.maxFieldNameBytes()) {
                LOG.warn("ignoring log entry with too long field name \"{}\", since its length ({}) exceeds the limit {} bytes",
                        f.name(), nameBytes, limits.maxFieldNameBytes());
                r.drop(DropReason.TOO_LONG_FIELD_NAME);
                return;
            }
        }
        if (timeFieldIndex >= 0) {
            fields.remove(timeFieldIndex);
        }
        StoredRow row = buildRow(fields, ts, p, limits.defaultMsgValue());
        if (p.debug) {
            LOG.info("ignoring log entry because of `debug` arg: {} {} {}", VlTime.formatRfc3339Nano(ts), row.stream(), row.fields());
            r.drop(DropReason.DEBUG);
            return;
        }
        long day = ts / VlTime.NANOS_PER_DAY;
        if (day < (nowNanos - limits.retentionNanos()) / VlTime.NANOS_PER_DAY) {
            LOG.warn("skipping log entry with too small timestamp={}; it must be within the retention period", VlTime.formatRfc3339Nano(ts));
            r.drop(DropReason.TOO_SMALL_TIMESTAMP);
            return;
        }
        if (day > (nowNanos + limits.futureRetentionNanos()) / VlTime.NANOS_PER_DAY) {
            LOG.warn("skipping log entry with too big timestamp={}; it must not be after -futureRetention", VlTime.formatRfc3339Nano(ts));
            r.drop(DropReason.TOO_BIG_TIMESTAMP);
            return;
        }
        r.rows.add(row);
    }

    /** The first message field with a non-empty value becomes {@code _msg}. */
    private static void renameMsgField(List<JsonLineFields.Field> fields, List<String> msgFields) {
        for (String mf : msgFields) {
            for (int i = 0; i < fields.size(); i++) {
                JsonLineFields.Field f = fields.get(i);
                if (f.name().equals(mf) && !f.value().isEmpty()) {
                    fields.set(i, new JsonLineFields.Field("_msg", f.value()));
                    return;
                }
            }
        }
    }

    private static StoredRow buildRow(List<JsonLineFields.Field> fields, long ts, InsertParams p, String defaultMsg) {
        Set<String> extraNames = new HashSet<>();
        for (Map.Entry<String, String> e : p.extraFields) {
            extraNames.add(canonical(e.getKey()));
        }
        Predicate<String> ignored = name -> extraNames.contains(canonical(name)) || matchesIgnore(p.ignoreFields, name);

        List<String> streamNames = new ArrayList<>();
        for (String sf : p.streamFields) {
            if (!ignored.test(sf)) {
                streamNames.add(canonical(sf));
            }
        }
        List<String[]> tags = new ArrayList<>();
        for (JsonLineFields.Field f : fields) {
            if (streamNames.contains(canonical(f.name())) && !f.value().isEmpty()) {
                tags.add(new String[] {f.name(), f.value()});
            }
        }
        for (Map.Entry<String, String> e : p.extraFields) {
            if (p.streamFields.stream().anyMatch(sf -> canonical(sf).equals(canonical(e.getKey())))) {
                tags.add(new String[] {e.getKey(), e.getValue()});
            }
        }
        tags.sort(Comparator.<String[], String>comparing(t -> t[0]).thenComparing(t -> t[1]));
        StringBuilder stream = new StringBuilder("{");
        Map<String, String> tagMap = new TreeMap<>();
        for (String[] t : tags) {
            if (stream.length() > 1) {
                stream.append(',');
            }
            stream.append(t[0]).append('=').append(GoQuote.quote(t[1]));
            tagMap.putIfAbsent(t[0], t[1]);
        }
        String streamText = stream.append('}').toString();

        Map<String, String> stored = new LinkedHashMap<>();
        for (JsonLineFields.Field f : fields) {
            String name = f.name();
            if (ignored.test(name) || f.value().isEmpty() || name.equals("_time") || name.equals("_stream") || name.equals("_stream_id")) {
                continue;
            }
            stored.put(name, f.value());
        }
        for (Map.Entry<String, String> e : p.extraFields) {
            stored.put(e.getKey(), e.getValue());
        }
        if (!stored.containsKey("_msg") && !defaultMsg.isEmpty()) {
            stored.put("_msg", defaultMsg);
        }
        return new StoredRow(p.tenant, ts, streamText, streamId(p.tenant, streamText), tagMap, stored);
    }

    private static boolean matchesIgnore(List<String> ignoreFields, String name) {
        String n = canonical(name);
        for (String f : ignoreFields) {
            if (f.endsWith("*")) {
                if (n.startsWith(canonical(f.substring(0, f.length() - 1)))) {
                    return true;
                }
            } else if (n.equals(canonical(f))) {
                return true;
            }
        }
        return false;
    }

    private static String canonical(String name) {
        return name.equals("_msg") ? "" : name;
    }

    /** 16 hex digits of the tenant, then 32 of a hash of the stream (VictoriaLogs' layout, not its hash). */
    static String streamId(Tenant tenant, String stream) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(stream.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(48);
            b.append(String.format("%016x", (tenant.accountId() << 32) | tenant.projectId()));
            for (int i = 0; i < 16; i++) {
                b.append(String.format("%02x", h[i] & 0xff));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] a, byte b, int to) {
        for (int i = to - 1; i >= 0; i--) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
