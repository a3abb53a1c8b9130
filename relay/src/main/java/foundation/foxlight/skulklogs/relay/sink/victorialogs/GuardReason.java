package foundation.foxlight.skulklogs.relay.sink.victorialogs;

/**
 * Why the request builder changed (or only noticed) an event so that VictoriaLogs stores it instead of
 * silently dropping it. Every change also adds the {@link #code()} to the event's
 * {@link foundation.foxlight.skulklogs.schema.PipelineFields#ADJUSTED} field, except for the reasons
 * that only count ({@link #isCountOnly()}).
 */
public enum GuardReason {
    /** The serialized line reached {@code max_line_bytes}: split into a head and follow-up parts. */
    LINE_TOO_LONG("line_too_long", false),
    /** A too-long line whose fixed part alone did not fit: sent as chunks of its whole JSON text. */
    LINE_WRAPPED("line_wrapped", false),
    /** The time field was neither RFC3339 nor a Unix timestamp: replaced by the build time. */
    TS_UNPARSEABLE("ts_unparseable", false),
    /** The time field was older than the retention: replaced by the build time. */
    TS_TOO_OLD("ts_too_old", false),
    /** The time field was further ahead than the future retention: replaced by the build time. */
    TS_TOO_FAR_IN_FUTURE("ts_too_far_in_future", false),
    /** More fields than {@code max_fields_per_line}: the rest moved into {@code log.overflow_fields}. */
    TOO_MANY_FIELDS("too_many_fields", false),
    /** A field name longer than {@code max_field_name_bytes}: renamed, original in {@code log.renamed_fields}. */
    FIELD_NAME_TOO_LONG("field_name_too_long", false),
    /** A nested object sent as JSON text (a flattened name too long, or to save fields). */
    NESTED_OBJECT_STRINGIFIED("nested_object_stringified", false),
    /** A verbatim JSON value that is not valid JSON: sent as a string. */
    INVALID_JSON_VALUE("invalid_json_value", false),
    /** Text that cannot be encoded as UTF-8 (lone surrogates): replaced by U+FFFD. */
    INVALID_TEXT("invalid_text", false),
    /** The msg field is missing, null or empty: VictoriaLogs stores its default message. Counted only. */
    MSG_MISSING("msg_missing", true),
    /** A stream field is missing: the line lands in a stream without it. Counted only. */
    STREAM_FIELD_MISSING("stream_field_missing", true);

    private final String code;
    private final boolean countOnly;

    GuardReason(String code, boolean countOnly) {
        this.code = code;
        this.countOnly = countOnly;
    }

    /** The short code written into {@code log.adjusted} and used as a metric tag. */
    public String code() {
        return code;
    }

    /** True when the event is left unchanged and the reason is only counted. */
    public boolean isCountOnly() {
        return countOnly;
    }
}
