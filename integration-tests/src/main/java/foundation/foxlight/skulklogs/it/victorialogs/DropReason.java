package foundation.foxlight.skulklogs.it.victorialogs;

/**
 * Why the {@link VictoriaLogsStandIn} dropped data while answering the client as if all was well (200), or, for
 * the line-level reasons, while still storing the rest of the request. Each reason mirrors a behaviour of the real
 * VictoriaLogs v1.26 and is exported on {@code /metrics} under the real metric name where VictoriaLogs has one,
 * else under a {@code standin_*} name.
 */
public enum DropReason {
    /** {@code Content-Type: application/x-www-form-urlencoded} (or multipart): the body is eaten as a form. Counts requests. */
    FORM_CONTENT_TYPE("standin_requests_dropped_total{reason=\"form_content_type\"}", true),
    /** The (compressed) body broke off mid-stream: the lines read before are stored, 200 all the same. Counts requests. */
    CORRUPT_BODY("standin_requests_dropped_total{reason=\"corrupt_body\"}", true),
    /** A line that is not a JSON object or has a bad timestamp, in a request where another line was fine. */
    INVALID_LINE("standin_rows_dropped_total{reason=\"invalid_line\"}", false),
    /** A line failed on purpose by {@link VictoriaLogsStandIn#rejectLinesMatching}, in a request where another line was fine. */
    REJECTED_LINE("standin_rows_dropped_total{reason=\"rejected_line\"}", false),
    /** A line of {@code maxLineSizeBytes} bytes or more (VictoriaLogs: {@code -insert.maxLineSizeBytes}). */
    TOO_LONG_LINE("vl_too_long_lines_skipped_total", false),
    /** A line after a too long line in the same request (the worst case observed on a real server). */
    AFTER_TOO_LONG_LINE("standin_rows_dropped_total{reason=\"after_too_long_line\"}", false),
    /** A timestamp older than the retention period. */
    TOO_SMALL_TIMESTAMP("vl_rows_dropped_total{reason=\"too_small_timestamp\"}", false),
    /** A timestamp more than the future retention (2 days) ahead. */
    TOO_BIG_TIMESTAMP("vl_rows_dropped_total{reason=\"too_big_timestamp\"}", false),
    /** More than {@code maxFieldsPerLine} (1000) fields in a line. */
    TOO_MANY_FIELDS("vl_rows_dropped_total{reason=\"too_many_fields\"}", false),
    /** A field name longer than 128 bytes. */
    TOO_LONG_FIELD_NAME("standin_rows_dropped_total{reason=\"too_long_field_name\"}", false),
    /** The request had {@code debug=1}: rows are logged, never stored. */
    DEBUG("vl_rows_dropped_total{reason=\"debug\"}", false);

    private final String metricSeries;
    private final boolean countsRequests;

    DropReason(String metricSeries, boolean countsRequests) {
        this.metricSeries = metricSeries;
        this.countsRequests = countsRequests;
    }

    /** The Prometheus series (name and labels) this reason is exported as on {@code /metrics}. */
    public String metricSeries() {
        return metricSeries;
    }

    /** True when the counter counts whole requests (the number of rows lost is unknown), false when it counts lines. */
    public boolean countsRequests() {
        return countsRequests;
    }
}
