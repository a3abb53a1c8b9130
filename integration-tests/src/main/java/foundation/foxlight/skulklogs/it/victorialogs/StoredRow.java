package foundation.foxlight.skulklogs.it.victorialogs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A row as the stand-in keeps it: tenant, timestamp, stream ({@code _stream} text, its tags and {@code _stream_id})
 * and the remaining fields, all strings, {@code _msg} among them. Immutable.
 */
final class StoredRow {
    private final Tenant tenant;
    private final long timeNanos;
    private final String stream;
    private final String streamId;
    private final Map<String, String> streamTags;
    private final SortedMap<String, String> fields;

    StoredRow(Tenant tenant, long timeNanos, String stream, String streamId, Map<String, String> streamTags,
              Map<String, String> fields) {
        this.tenant = tenant;
        this.timeNanos = timeNanos;
        this.stream = stream;
        this.streamId = streamId;
        this.streamTags = Map.copyOf(streamTags);
        this.fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
    }

    Tenant tenant() {
        return tenant;
    }

    long timeNanos() {
        return timeNanos;
    }

    String stream() {
        return stream;
    }

    String streamId() {
        return streamId;
    }

    /** Stream tags by name (a missing tag reads as the empty string). */
    Map<String, String> streamTags() {
        return streamTags;
    }

    /** The stored fields other than {@code _time}, {@code _stream} and {@code _stream_id}. */
    SortedMap<String, String> fields() {
        return fields;
    }

    /** A field's value as LogsQL filters see it: {@code ""} and {@code _msg} name the message; missing is empty. */
    String value(String field) {
        switch (field) {
            case "":
            case "_msg":
                return fields.getOrDefault("_msg", "");
            case "_stream":
                return stream;
            case "_stream_id":
                return streamId;
            case "_time":
                return VlTime.formatRfc3339Nano(timeNanos);
            default:
                return fields.getOrDefault(field, "");
        }
    }

    /**
     * Every field in the answer of {@code /select/logsql/query}: {@code _time}, {@code _stream_id}, {@code _stream},
     * {@code _msg}, then the rest alphabetically (the order v1.2x servers use; newer ones sort all fields; clients
     * must not depend on it).
     */
    Map<String, String> asQueryResult() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("_time", VlTime.formatRfc3339Nano(timeNanos));
        all.put("_stream_id", streamId);
        all.put("_stream", stream);
        if (fields.containsKey("_msg")) {
            all.put("_msg", fields.get("_msg"));
        }
        fields.forEach(all::putIfAbsent);
        return all;
    }
}
