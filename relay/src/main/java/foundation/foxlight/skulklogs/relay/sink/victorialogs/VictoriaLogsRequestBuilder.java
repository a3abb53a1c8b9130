package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a list of events into one {@code POST /insert/jsonline} request that VictoriaLogs stores in
 * full: each event is written with {@link LogEventJson#write(LogEvent, OutputStream)} plus {@code \n},
 * the body is compressed per config, and every case where VictoriaLogs would answer 200 yet drop the
 * line (or answer 400 for the whole request) is fixed beforehand, counted in the {@link GuardReport} and
 * marked in the event.
 *
 * <h2>Guards</h2>
 * <ul>
 *   <li><b>Line too long</b> (serialized line ≥ {@code max_line_bytes}): nothing is dropped. The
 *       <em>head</em> (part {@code 1/n}) keeps every field; the biggest string values (msg, exception,
 *       ...) are cut so that it fits ("water-filling": small values stay whole, the big ones share what
 *       is left), with {@code log.truncated_from_bytes} = the original line size and {@code log.part}
 *       = {@code 1/n}. The cut-off rest of each field follows in parts {@code 2/n..n/n}, each a small
 *       event with the time field, the stream fields, {@code log.event_id}, {@code log.part},
 *       {@code log.part_field} = the field's name, and the text chunk in the msg field. Joining, in
 *       order, the head's field with the msg of each part naming it gives the original text back.
 *       Why not only truncate: it loses data. Why not only split the msg: the head keeps the level,
 *       module and other fields, so queries on them still find the line, and the whole text stays
 *       searchable as {@code _msg}. Stream fields and the event id are kept at most
 *       {@value EventGuards#IDENTITY_CAP} bytes in every part (rest in parts), so that all parts land in
 *       the same stream. When even the fields that cannot be cut (names, numbers) do not fit, the whole
 *       JSON line is sent as msg chunks with {@code log.part_field} = {@code *}
 *       ({@link GuardReason#LINE_WRAPPED}).</li>
 *   <li><b>Time field</b>: missing, {@code ""} or {@code "0"} is left alone (VictoriaLogs uses the
 *       ingest time). Not RFC3339 nor a Unix timestamp in the form VictoriaLogs parses (it would answer
 *       400 for the whole request), older than {@code retention} or further ahead than
 *       {@code future_retention} (it would drop the line): replaced by {@code now} (RFC3339 UTC, ms),
 *       the original kept in {@code log.original_ts}, the reason in {@code log.adjusted}. A margin of
 *       {@code min(1 h, window/24)} is kept inside both ends.</li>
 *   <li><b>Field names</b> over {@code max_field_name_bytes}: renamed to a prefix + {@code ~} + 8 hex
 *       digits of SHA-256; {@code log.renamed_fields} (JSON object text) maps new to original
 *       names. A nested object whose flattened name ({@code a.b.c}) would be too long is sent as JSON
 *       text instead.</li>
 *   <li><b>Too many fields</b> (counted as VictoriaLogs does, after flattening nested objects, with
 *       {@value EventGuards#FIELD_RESERVE} kept free for markers): nested objects become JSON text,
 *       biggest first; if still too many, the well-known and pipeline fields and the first others are
 *       kept ({@code max_fields_per_line - 10} in all) and the rest go, as one JSON object text, into
 *       {@code log.overflow_fields}.</li>
 *   <li><b>Invalid verbatim JSON</b> ({@code JsonText} that is not exactly one JSON value, which would
 *       make the line invalid and silently skipped): sent as a string. Lone surrogates (not UTF-8
 *       encodable) become U+FFFD with {@code log.invalid_utf8}; field names that become equal by it
 *       get {@code ~2}, {@code ~3}, ... in field order.</li>
 *   <li><b>Missing msg</b> (absent, null or empty): left alone and counted. VictoriaLogs stores such a
 *       line with its {@code -defaultMsgValue} text as {@code _msg}; it does not drop it.</li>
 *   <li><b>Missing stream field</b>: left alone (the agent fills them) and counted.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Pure and stateless apart from its config: {@link #build} may be called from any thread concurrently.
 * It is CPU work (serialization, compression) proportional to the batch size: call it on a worker thread
 * ({@code vertx.executeBlocking}), never on an event loop.
 */
public final class VictoriaLogsRequestBuilder {
    /** The only content type sent; never {@code application/x-www-form-urlencoded} (stored as nothing). */
    public static final String CONTENT_TYPE = "application/stream+json";
    public static final String INSERT_PATH = "/insert/jsonline";

    private final VictoriaLogsSinkConfig config;
    private final String uri;
    private final Map<String, String> headers;

    /** @throws IllegalArgumentException when the config is not valid (every problem in the message) */
    public VictoriaLogsRequestBuilder(VictoriaLogsSinkConfig config) {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid VictoriaLogs sink config: " + String.join("; ", problems));
        }
        this.config = config;
        this.uri = config.baseUrl() + INSERT_PATH
                + "?_stream_fields=" + encode(String.join(",", config.streamFields()))
                + "&_msg_field=" + encode(config.msgField())
                + "&_time_field=" + encode(config.timeField());
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", CONTENT_TYPE);
        if (config.compression().contentEncoding() != null) {
            h.put("Content-Encoding", config.compression().contentEncoding());
        }
        if (config.accountId() != null) {
            h.put("AccountID", Long.toString(config.accountId()));
        }
        if (config.projectId() != null) {
            h.put("ProjectID", Long.toString(config.projectId()));
        }
        this.headers = Map.copyOf(h);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public VictoriaLogsSinkConfig config() {
        return config;
    }

    /** The absolute insert URI with its query ({@code _stream_fields}, {@code _msg_field}, {@code _time_field}). */
    public String uri() {
        return uri;
    }

    /** The headers every request carries. */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Builds the request for {@code events} (may be empty). {@code now} is the time that replaces bad
     * timestamps and anchors the retention window; pass the current time. Never drops an event: every
     * input event yields at least one line.
     *
     * @throws IllegalStateException only if {@link LogEventJson} itself fails on an event (a bug there);
     *     {@link RejectedLineSplitter} isolates such an event like a rejected one
     */
    public VictoriaLogsRequest build(List<LogEvent> events, Instant now) {
        GuardReport.Builder report = GuardReport.builder();
        Buffer body = Buffer.buffer(estimate(events));
        long uncompressed = 0;
        try (EventGuards guards = new EventGuards(config, JsonLength.get()); OutputStream out = open(body)) {
            for (LogEvent e : events) {
                uncompressed += guards.write(e, now, report, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GuardReport guards = report.build();
        return new VictoriaLogsRequest(uri, headers, body, config.compression(), events.size(),
                (int) (events.size() + guards.extraLines()), uncompressed, guards);
    }

    private int estimate(List<LogEvent> events) {
        int perEvent = config.compression() == VictoriaLogsSinkConfig.Compression.NONE ? 256 : 64;
        return (int) Math.min(64L * 1024 * 1024, Math.max(1024L, (long) events.size() * perEvent));
    }

    private OutputStream open(Buffer body) throws IOException {
        OutputStream raw = new BufferOutputStream(body);
        return switch (config.compression()) {
            case NONE -> raw;
            case GZIP -> new GZIPOutputStream(raw, 64 * 1024) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            // Buffered: each write would otherwise be one native call; closing it writes the frame's end.
            case ZSTD -> new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(raw, RecyclingBufferPool.INSTANCE, 1), 64 * 1024);
        };
    }

    private static final class BufferOutputStream extends OutputStream {
        private final Buffer buffer;

        BufferOutputStream(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.appendBytes(b, off, len);
        }
    }
}
