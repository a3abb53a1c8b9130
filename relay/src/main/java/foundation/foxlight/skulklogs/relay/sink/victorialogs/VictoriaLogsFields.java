package foundation.foxlight.skulklogs.relay.sink.victorialogs;

/**
 * Marker fields the VictoriaLogs request builder adds in addition to those of
 * {@link foundation.foxlight.skulklogs.schema.PipelineFields}. Like those, they start with {@code log.}.
 *
 * <p>A line too long for VictoriaLogs becomes a head event plus follow-up events (see
 * {@link VictoriaLogsRequestBuilder}); these fields say how to put it back together.
 */
public final class VictoriaLogsFields {
    /** {@code "i/n"}: this line is part {@code i} of {@code n} of one event that was too long. */
    public static final String PART = "log.part";
    /**
     * On follow-up parts ({@code i > 1}): the name of the head's field whose text continues in this
     * part's msg field; or {@link #WHOLE_LINE} when the msg fields of all parts, concatenated, are the
     * event's whole JSON line.
     */
    public static final String PART_FIELD = "log.part_field";
    /** Value of {@link #PART_FIELD} when an event was cut as a whole JSON line. */
    public static final String WHOLE_LINE = "*";
    /** JSON object text holding the fields moved out of an event that had too many fields. */
    public static final String OVERFLOW_FIELDS = "log.overflow_fields";
    /** JSON object text mapping each renamed field (name too long) to its original name. */
    public static final String RENAMED_FIELDS = "log.renamed_fields";

    private VictoriaLogsFields() {
    }
}
