package foundation.foxlight.skulklogs.relay.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import foundation.foxlight.skulklogs.schema.JsonText;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an event parsed from an {@code /insert/jsonline} request into the relay's canonical form, the one
 * every Skulk line already has and the relay inserts with ({@code _msg_field=msg&_time_field=ts&
 * _stream_fields=node_id,component}). Steps, in order:
 * <ol>
 *   <li><b>ignore_fields</b> are removed (top-level names; a trailing {@code *} matches a prefix). The
 *       parser's flags {@code log.parse_error}, {@code log.invalid_utf8} and {@code log.truncated_from_bytes}
 *       are never removed;</li>
 *   <li><b>extra_fields</b> are set, overriding the line's own values (as VictoriaLogs does);</li>
 *   <li><b>decolorize_fields</b>: ANSI escape sequences are removed from those string fields; when anything
 *       was removed, {@code log.ansi_stripped=true};</li>
 *   <li><b>message</b>: the first of the request's msg fields present with a non-empty value is renamed
 *       {@code msg} (a non-string value becomes its JSON text). A {@code msg} field the line already had that
 *       is not that source is kept as {@value #DISPLACED_PREFIX}{@code msg} (VictoriaLogs would store it as a
 *       plain field; the relay must not let it become the message, nor overwrite it);</li>
 *   <li><b>time</b>: the time field is renamed {@code ts}; a {@code ts} the line had besides is kept as
 *       {@value #DISPLACED_PREFIX}{@code ts}. When the time field is missing, null, {@code ""}, {@code "0"} or
 *       {@code 0} (VictoriaLogs: "use the ingest time"), {@code ts} is set to the time the relay received the
 *       request, plus the line's index in nanoseconds (so lines keep their order). VictoriaLogs would take its
 *       own insert time, which behind a Kafka buffer can be much later;</li>
 *   <li><b>stream fields</b> are kept as they are. When the line has no {@code node_id} (or an empty one), it
 *       takes the value of the first present of {@code ingest.node_id_fields}, else of the first of the
 *       request's stream fields other than {@code node_id}/{@code component} that is present. When it has no
 *       {@code component}, it takes the first present of {@code ingest.component_fields}, else the next such
 *       stream field not used for {@code node_id}, else {@value #DEFAULT_COMPONENT}. Values are copied as
 *       text. So Vector's {@code _stream_fields=host,app} gives {@code node_id=<host>}, {@code component=<app>},
 *       and {@code host}, {@code app} remain. A line without any of these gets no {@code node_id} (its Kafka
 *       key is then {@value #DEFAULT_NODE_KEY});</li>
 *   <li><b>tenant</b>: when the request carried {@code AccountID} or {@code ProjectID},
 *       {@link PipelineFields#TENANT} = {@code "account:project"}, and the relay stores the line in that tenant, as
 *       VictoriaLogs would (a missing header counts as 0). Without either header the relay's own routing decides
 *       ({@code victorialogs.tenants}, else {@code victorialogs.account_id/project_id});</li>
 *   <li>{@code log.source} = {@code http:<client address>} unless the line already has one.</li>
 * </ol>
 * A line that was not a JSON object (it has {@code log.parse_error}; its {@code msg} is the raw text) skips
 * steps 1, 3, 4 and 5's renaming: it gets only the defaults ({@code ts}, {@code component}), the extra fields
 * that do not collide with its own, the tenant and the source. Nothing a line carried is ever lost.
 *
 * <p>Dotted names ({@code kubernetes.host}) in the msg, time and stream fields also find values nested in
 * JSON objects, as VictoriaLogs flattens objects. A nested msg or time source is copied, not removed from its
 * object. ignore_fields and decolorize_fields see top-level names only.
 *
 * <p>Immutable and thread-safe (runs on worker threads).
 */
public final class IngestNormalizer {
    /** Prefix of a canonical field ({@code msg}, {@code ts}) moved aside because the request named another source. */
    public static final String DISPLACED_PREFIX = "log.displaced.";
    /** {@code component} of a line that has none and whose request names none. */
    public static final String DEFAULT_COMPONENT = "unknown";
    /** Kafka key (and batch node id) of events without {@code node_id}. */
    public static final String DEFAULT_NODE_KEY = "http";

    private static final Set<String> PROTECTED = Set.of(PipelineFields.PARSE_ERROR, PipelineFields.INVALID_UTF8,
            PipelineFields.TRUNCATED_FROM_BYTES);
    private static final Pattern ANSI = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)|\u001B[@-Z\\\\-_]|\u009B[0-?]*[ -/]*[@-~]");
    private static final DateTimeFormatter TS_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final List<String> nodeIdFields;
    private final List<String> componentFields;

    /**
     * @param nodeIdFields    fields, in order, whose value becomes {@code node_id} when a line has none
     * @param componentFields fields, in order, whose value becomes {@code component} when a line has none
     */
    public IngestNormalizer(List<String> nodeIdFields, List<String> componentFields) {
        this.nodeIdFields = List.copyOf(nodeIdFields);
        this.componentFields = List.copyOf(componentFields);
    }

    public IngestNormalizer(IngestConfig config) {
        this(config.nodeIdFields(), config.componentFields());
    }

    /**
     * The canonical event.
     *
     * @param event       as parsed by {@link IngestRequestParser}
     * @param params      the request's settings
     * @param defaultTime the {@code ts} when the line has no usable time: receive time + line index ns
     * @param source      {@code http:<client address>}, set as {@code log.source} when absent; or null
     */
    public LogEvent normalize(LogEvent event, IngestParams params, Instant defaultTime, String source) {
        boolean raw = event.has(PipelineFields.PARSE_ERROR);
        LogEvent.Builder b = event.toBuilder();
        if (!raw) {
            ignore(b, event, params.ignoreFields());
            for (Map.Entry<String, String> x : params.extraFields().entrySet()) {
                b.put(x.getKey(), x.getValue());
            }
            decolorize(b, params.decolorizeFields());
            mapMessage(b, params.msgFields());
            mapTime(b, params.timeField(), defaultTime);
        } else {
            for (Map.Entry<String, String> x : params.extraFields().entrySet()) {
                b.putIfAbsent(x.getKey(), x.getValue());
            }
            if (!usableTime(b.get(LogEvent.TS))) {
                b.put(LogEvent.TS, formatTime(defaultTime));
            }
        }
        mapStream(b, params.streamFields());
        if (params.tenantGiven()) {
            b.put(PipelineFields.TENANT, params.tenant());
        }
        if (source != null) {
            b.putIfAbsent(PipelineFields.SOURCE, source);
        }
        return b.build();
    }

    /** The Kafka key of a normalized event: its {@code node_id} as text, or {@value #DEFAULT_NODE_KEY}. */
    public static String nodeKey(LogEvent normalized) {
        String id = normalized.getText(LogEvent.NODE_ID);
        return id == null || id.isBlank() ? DEFAULT_NODE_KEY : id;
    }

    /** RFC 3339 UTC with nanoseconds, e.g. {@code 2025-01-02T03:04:05.123000007Z}. */
    public static String formatTime(Instant t) {
        return TS_FORMAT.format(t);
    }

    // ---------------------------------------------------------------- steps

    private static void ignore(LogEvent.Builder b, LogEvent original, List<String> patterns) {
        if (patterns.isEmpty()) {
            return;
        }
        for (int i = 0; i < original.size(); i++) {
            String name = original.name(i);
            if (!PROTECTED.contains(name) && matchesAny(name, patterns)) {
                b.remove(name);
            }
        }
    }

    private static boolean matchesAny(String name, List<String> patterns) {
        for (String p : patterns) {
            if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static void decolorize(LogEvent.Builder b, List<String> fields) {
        boolean stripped = false;
        for (String f : fields) {
            if (b.get(f) instanceof String s && (s.indexOf('\u001B') >= 0 || s.indexOf('\u009B') >= 0)) {
                String clean = ANSI.matcher(s).replaceAll("");
                if (!clean.equals(s)) {
                    b.put(f, clean);
                    stripped = true;
                }
            }
        }
        if (stripped) {
            b.put(PipelineFields.ANSI_STRIPPED, Boolean.TRUE);
        }
    }

    private static void mapMessage(LogEvent.Builder b, List<String> msgFields) {
        String source = null;
        Object value = null;
        for (String f : msgFields) {
            Object v = lookup(b, f);
            if (v != null && !(v instanceof String s && s.isEmpty())) {
                source = f;
                value = v;
                break;
            }
        }
        if (source == null) {
            if (b.has(LogEvent.MSG) && !msgFields.contains(LogEvent.MSG)) {
                displace(b, LogEvent.MSG);
            }
            return;
        }
        Object text = value instanceof String ? value : value instanceof JsonText j ? j.json() : value.toString();
        if (source.equals(LogEvent.MSG)) {
            b.put(LogEvent.MSG, text);
            return;
        }
        b.remove(source);
        if (b.has(LogEvent.MSG)) {
            displace(b, LogEvent.MSG);
        }
        b.put(LogEvent.MSG, text);
    }

    private static void mapTime(LogEvent.Builder b, String timeField, Instant defaultTime) {
        Object value = lookup(b, timeField);
        if (!timeField.equals(LogEvent.TS)) {
            b.remove(timeField);
            if (b.has(LogEvent.TS)) {
                displace(b, LogEvent.TS);
            }
        }
        b.put(LogEvent.TS, usableTime(value) ? value : formatTime(defaultTime));
    }

    private static boolean usableTime(Object v) {
        if (v == null || v instanceof Boolean) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isBlank() && !s.equals("0");
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        return true;
    }

    private void mapStream(LogEvent.Builder b, List<String> streamFields) {
        List<String> candidates = new ArrayList<>();
        for (String f : streamFields) {
            if (!f.equals(LogEvent.NODE_ID) && !f.equals(LogEvent.COMPONENT)) {
                candidates.add(f);
            }
        }
        int next = 0;
        if (isEmpty(b.get(LogEvent.NODE_ID))) {
            String v = firstText(b, nodeIdFields);
            if (v == null) {
                while (next < candidates.size() && v == null) {
                    v = text(lookup(b, candidates.get(next++)));
                }
            }
            if (v != null) {
                b.put(LogEvent.NODE_ID, v);
            }
        }
        if (isEmpty(b.get(LogEvent.COMPONENT))) {
            String v = firstText(b, componentFields);
            while (v == null && next < candidates.size()) {
                v = text(lookup(b, candidates.get(next++)));
            }
            b.put(LogEvent.COMPONENT, v != null ? v : DEFAULT_COMPONENT);
        }
    }

    private static String firstText(LogEvent.Builder b, List<String> fields) {
        for (String f : fields) {
            String v = text(lookup(b, f));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static boolean isEmpty(Object v) {
        return v == null || (v instanceof String s && s.isBlank());
    }

    /** A value as non-blank text, or null. */
    private static String text(Object v) {
        if (isEmpty(v)) {
            return null;
        }
        return v instanceof JsonText j ? j.json() : v.toString();
    }

    private static void displace(LogEvent.Builder b, String name) {
        Object v = b.get(name);
        b.remove(name);
        b.put(DISPLACED_PREFIX + name, v);
    }

    // ---------------------------------------------------------------- nested lookup

    /**
     * The value of a top-level field, or, for a dotted name absent at the top level, of the value nested in
     * JSON objects along the path ({@code a.b.c} in {@code {"a":{"b":{"c":1}}}} or {@code {"a.b":{"c":1}}}).
     * Null when absent.
     */
    static Object lookup(LogEvent.Builder b, String path) {
        if (b.has(path) || path.indexOf('.') < 0) {
            return b.get(path);
        }
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            if (b.get(path.substring(0, dot)) instanceof JsonText j && j.json().startsWith("{")) {
                try {
                    JsonNode found = find(JSON.readTree(j.json()), path.substring(dot + 1));
                    if (found != null) {
                        return fromNode(found);
                    }
                } catch (Exception e) {
                    // not an object after all: no value
                }
            }
        }
        return null;
    }

    private static JsonNode find(JsonNode node, String rest) {
        if (node == null || !node.isObject()) {
            return null;
        }
        if (node.has(rest)) {
            return node.get(rest);
        }
        for (int dot = rest.indexOf('.'); dot > 0; dot = rest.indexOf('.', dot + 1)) {
            JsonNode child = node.get(rest.substring(0, dot));
            JsonNode found = find(child, rest.substring(dot + 1));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Object fromNode(JsonNode n) {
        if (n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        return new JsonText(n.toString());
    }
}
