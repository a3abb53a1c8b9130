package foundation.foxlight.skulklogs.relay.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of one {@code /insert/jsonline} request, as VictoriaLogs reads them from query args or
 * headers (the arg wins when it is not empty). Immutable and thread-safe.
 *
 * @param msgFields        {@code _msg_field} / {@code VL-Msg-Field}: candidates for the message, first present wins
 *                         (default {@code _msg}, as in VictoriaLogs)
 * @param timeField        {@code _time_field} / {@code VL-Time-Field} (default {@code _time})
 * @param streamFields     {@code _stream_fields} / {@code VL-Stream-Fields} (default none)
 * @param ignoreFields     {@code ignore_fields} / {@code VL-Ignore-Fields}; a trailing {@code *} matches a prefix
 * @param decolorizeFields {@code decolorize_fields} / {@code VL-Decolorize-Fields}: ANSI colour codes are removed
 * @param extraFields      {@code extra_fields} / {@code VL-Extra-Fields}: set on every event, overriding its own
 * @param debug            {@code debug} / {@code VL-Debug}: parse and log, store nothing
 * @param accountId        header {@code AccountID} (uint32, default 0)
 * @param projectId        header {@code ProjectID} (uint32, default 0)
 * @param tenantGiven      whether either tenant header was sent
 * @param encoding         header {@code Content-Encoding}
 */
public record IngestParams(
        List<String> msgFields,
        String timeField,
        List<String> streamFields,
        List<String> ignoreFields,
        List<String> decolorizeFields,
        Map<String, String> extraFields,
        boolean debug,
        long accountId,
        long projectId,
        boolean tenantGiven,
        ContentEncoding encoding) {

    /** VictoriaLogs' default message field. */
    public static final String DEFAULT_MSG_FIELD = "_msg";
    /** VictoriaLogs' default time field. */
    public static final String DEFAULT_TIME_FIELD = "_time";

    public IngestParams {
        msgFields = List.copyOf(msgFields);
        Objects.requireNonNull(timeField, "timeField");
        streamFields = List.copyOf(streamFields);
        ignoreFields = List.copyOf(ignoreFields);
        decolorizeFields = List.copyOf(decolorizeFields);
        extraFields = Collections.unmodifiableMap(new LinkedHashMap<>(extraFields));
        Objects.requireNonNull(encoding, "encoding");
    }

    /** What a request without any arg or header means: VictoriaLogs' defaults, tenant 0:0, identity. */
    public static IngestParams defaults() {
        return new IngestParams(List.of(DEFAULT_MSG_FIELD), DEFAULT_TIME_FIELD, List.of(), List.of(), List.of(), Map.of(),
                false, 0, 0, false, ContentEncoding.IDENTITY);
    }

    /** The tenant as {@code "account:project"}. */
    public String tenant() {
        return accountId + ":" + projectId;
    }

    public IngestParams withFields(List<String> newMsgFields, String newTimeField, List<String> newStreamFields) {
        return new IngestParams(newMsgFields, newTimeField, newStreamFields, ignoreFields, decolorizeFields, extraFields,
                debug, accountId, projectId, tenantGiven, encoding);
    }

    public IngestParams withIgnoreAndExtra(List<String> newIgnoreFields, Map<String, String> newExtraFields) {
        return new IngestParams(msgFields, timeField, streamFields, newIgnoreFields, decolorizeFields, newExtraFields,
                debug, accountId, projectId, tenantGiven, encoding);
    }

    public IngestParams withDecolorize(List<String> newDecolorizeFields) {
        return new IngestParams(msgFields, timeField, streamFields, ignoreFields, newDecolorizeFields, extraFields,
                debug, accountId, projectId, tenantGiven, encoding);
    }

    public IngestParams withTenant(long newAccountId, long newProjectId) {
        return new IngestParams(msgFields, timeField, streamFields, ignoreFields, decolorizeFields, extraFields,
                debug, newAccountId, newProjectId, true, encoding);
    }
}
