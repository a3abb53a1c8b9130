package foundation.foxlight.skulklogs.schema;

/**
 * Names of the fields skulk-logs itself adds to an event to say what happened to the line on its way.
 * They all start with {@code log.} so that a LogsQL query such as {@code log.parse_error:*} finds them,
 * and so that they can never collide with Skulk's own keys.
 */
public final class PipelineFields {
    /** Why the line was not parsed as a JSON object (the raw text is then the {@code msg}). */
    public static final String PARSE_ERROR = "log.parse_error";
    /** {@code true} when invalid UTF-8 bytes were replaced by U+FFFD. */
    public static final String INVALID_UTF8 = "log.invalid_utf8";
    /** The line was longer than the limit: how many bytes the original line had. */
    public static final String TRUNCATED_FROM_BYTES = "log.truncated_from_bytes";
    /** ANSI escape codes were removed from {@code msg}. */
    public static final String ANSI_STRIPPED = "log.ansi_stripped";
    /** A line longer than the maximum was cut into pieces: this piece's number, from 1. */
    public static final String LINE_PART = "log.line_part";
    /** {@code true} on the last piece of a line that was cut into pieces. */
    public static final String LINE_PART_LAST = "log.line_part_last";
    /** The line had no newline when it was shipped (a partial last line flushed after a timeout). */
    public static final String PARTIAL = "log.partial";
    /** Where a line came from when it did not come from an agent: {@code http:<client address>} (the relay's ingest). */
    public static final String SOURCE = "log.source";
    /**
     * The VictoriaLogs tenant a shipper sent the line for, {@code "AccountID:ProjectID"} (the relay's ingest sets it from
     * the request's headers); the relay stores the line in that tenant.
     */
    public static final String TENANT = "log.tenant";
    /** A stable id of the line (node, source, offset), to find replays after a crash. */
    public static final String EVENT_ID = "log.event_id";
    /** The original timestamp when the pipeline had to replace it (outside the store's window, unparseable). */
    public static final String ORIGINAL_TS = "log.original_ts";
    /** Why a field or value was changed to fit the store (too many fields, name too long, ...). */
    public static final String ADJUSTED = "log.adjusted";

    private PipelineFields() {
    }
}
