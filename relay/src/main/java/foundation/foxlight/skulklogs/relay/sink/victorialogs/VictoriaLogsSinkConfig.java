package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validated settings of the VictoriaLogs sink (config key prefix {@code victorialogs.}).
 *
 * <p>Keys, as reported by {@link #validate()}: {@code url}, {@code msg_field}, {@code time_field},
 * {@code stream_fields}, {@code compression}, {@code max_line_bytes}, {@code max_fields_per_line},
 * {@code max_field_name_bytes}, {@code retention}, {@code future_retention}, {@code request_timeout},
 * {@code health_check_timeout}, {@code account_id}, {@code project_id}, {@code max_batch_bytes},
 * {@code max_batch_lines}.
 *
 * <p>The three store limits ({@code max_line_bytes}, {@code max_fields_per_line}, {@code
 * max_field_name_bytes}) and the time window ({@code retention}, {@code future_retention}) must not be
 * larger than the server's {@code -insert.maxLineSizeBytes}, {@code -insert.maxFieldsPerLine}, 128,
 * {@code -retentionPeriod} and {@code -futureRetention}: VictoriaLogs answers 200 and drops lines that
 * exceed them, so the request builder keeps every line inside them.
 *
 * <p>The constructor never throws (nulls are allowed, so that a config loader can report every problem
 * at once); call {@link #validate()} before building anything from it. Immutable and thread-safe.
 *
 * <p>zstd is not offered: the only zstd library around ({@code com.github.luben:zstd-jni}) reaches the
 * relay at runtime scope through kafka-clients, not on the compile classpath.
 *
 * @param url base URL of VictoriaLogs, e.g. {@code http://127.0.0.1:9428} (a path prefix is kept)
 * @param msgField the event field VictoriaLogs takes {@code _msg} from
 * @param timeField the event field VictoriaLogs takes {@code _time} from
 * @param streamFields fields that form the log stream ({@code _stream})
 * @param compression body compression
 * @param maxLineBytes every serialized line is kept strictly below this many bytes
 * @param maxFieldsPerLine VictoriaLogs' {@code -insert.maxFieldsPerLine} (fields counted after flattening)
 * @param maxFieldNameBytes the longest field name VictoriaLogs keeps (UTF-8 bytes)
 * @param retention the server's retention: older timestamps are replaced by the ingest time
 * @param futureRetention how far ahead timestamps may be before they are replaced by the ingest time
 * @param requestTimeout timeout of one insert request
 * @param healthCheckTimeout timeout of one {@code GET /health}
 * @param accountId tenant {@code AccountID} header, or null to send none
 * @param projectId tenant {@code ProjectID} header, or null to send none
 * @param maxBatchBytes uncompressed bytes per request, for the batcher
 * @param maxBatchLines events per request, for the batcher
 */
public record VictoriaLogsSinkConfig(
        String url,
        String msgField,
        String timeField,
        List<String> streamFields,
        Compression compression,
        int maxLineBytes,
        int maxFieldsPerLine,
        int maxFieldNameBytes,
        Duration retention,
        Duration futureRetention,
        Duration requestTimeout,
        Duration healthCheckTimeout,
        Long accountId,
        Long projectId,
        long maxBatchBytes,
        int maxBatchLines) {

    /** VictoriaLogs' default {@code -insert.maxLineSizeBytes}. */
    public static final int DEFAULT_MAX_LINE_BYTES = 256 * 1024;
    /**
     * Default {@code request_timeout}. VictoriaLogs answers an insert only once it has processed the whole body,
     * and a request that times out is sent again although the store may have kept it: every timeout is a
     * possible duplicate. So the timeout is set for a slow, busy store, not for a quick failure (a refused
     * connection fails at once anyway; {@code /health} says within {@code health_check_timeout} that the store
     * does not answer; connecting is bounded by 5 s apart from it, see {@link VictoriaLogsService#clientOptions}).
     * With 5 s, a cold store's first batches timed out and were sent again (docs/performance.md, session 6).
     */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Smallest accepted {@code max_line_bytes}: room for the identity fields of a split line's parts. */
    public static final int MIN_MAX_LINE_BYTES = 8 * 1024;
    /** VictoriaLogs refuses {@code -insert.maxLineSizeBytes} above this. */
    public static final int MAX_MAX_LINE_BYTES = 2 * 1024 * 1024;
    /** At most this many stream fields (each part of a split line repeats them). */
    public static final int MAX_STREAM_FIELDS = 8;

    private static final String P = "victorialogs.";
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    /** Body compression; the {@link #contentEncoding()} names the HTTP {@code Content-Encoding}. */
    public enum Compression {
        NONE(null),
        /** gzip level 1: understood by every VictoriaLogs-compatible endpoint. */
        GZIP("gzip"),
        /** zstd level 1: a smaller body than gzip for a fraction of its CPU (VictoriaLogs reads it). */
        ZSTD("zstd");

        private final String contentEncoding;

        Compression(String contentEncoding) {
            this.contentEncoding = contentEncoding;
        }

        /** The {@code Content-Encoding} header value, or null when the body is sent as is. */
        public String contentEncoding() {
            return contentEncoding;
        }

        /** Parses {@code zstd}, {@code gzip} or {@code none} (case-insensitive); empty for anything else. */
        public static Optional<Compression> fromName(String name) {
            if (name == null) {
                return Optional.empty();
            }
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "gzip" -> Optional.of(GZIP);
                case "zstd" -> Optional.of(ZSTD);
                case "none", "identity" -> Optional.of(NONE);
                default -> Optional.empty();
            };
        }
    }

    public VictoriaLogsSinkConfig {
        streamFields = streamFields == null ? null : Collections.unmodifiableList(new ArrayList<>(streamFields));
    }

    /** Defaults: {@code http://127.0.0.1:9428}, Skulk's fields, zstd, VictoriaLogs' default limits. */
    public static VictoriaLogsSinkConfig defaults() {
        return new VictoriaLogsSinkConfig(
                "http://127.0.0.1:9428",
                "msg",
                "ts",
                List.of("node_id", "component"),
                Compression.ZSTD,
                DEFAULT_MAX_LINE_BYTES,
                1000,
                128,
                Duration.ofDays(90),
                Duration.ofDays(2),
                DEFAULT_REQUEST_TIMEOUT,
                Duration.ofSeconds(2),
                null,
                null,
                4L * 1024 * 1024,
                10_000);
    }

    /**
     * Every problem of this config, each as {@code victorialogs.<key>: <what is wrong>}; empty when the
     * config is usable.
     */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        validateUrl(problems);
        int nameLimit = maxFieldNameBytes;
        if (maxFieldNameBytes < 32 || maxFieldNameBytes > 128) {
            problems.add(P + "max_field_name_bytes: must be between 32 and 128 (VictoriaLogs keeps names up to 128 bytes), got "
                    + maxFieldNameBytes);
            nameLimit = 128;
        }
        checkName(problems, "msg_field", msgField, nameLimit);
        checkName(problems, "time_field", timeField, nameLimit);
        if (msgField != null && msgField.equals(timeField)) {
            problems.add(P + "time_field: must differ from msg_field");
        }
        if (streamFields == null || streamFields.isEmpty()) {
            problems.add(P + "stream_fields: must name at least one field");
        } else {
            if (streamFields.size() > MAX_STREAM_FIELDS) {
                problems.add(P + "stream_fields: at most " + MAX_STREAM_FIELDS + " fields, got " + streamFields.size());
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < streamFields.size(); i++) {
                String f = streamFields.get(i);
                checkName(problems, "stream_fields[" + i + "]", f, nameLimit);
                if (f != null && !seen.add(f)) {
                    problems.add(P + "stream_fields[" + i + "]: duplicate '" + f + "'");
                }
                if (f != null && (f.equals(timeField) || f.equals(msgField))) {
                    problems.add(P + "stream_fields[" + i + "]: must not be the msg or time field");
                }
            }
        }
        if (compression == null) {
            problems.add(P + "compression: must be gzip or none");
        }
        if (maxLineBytes < MIN_MAX_LINE_BYTES || maxLineBytes > MAX_MAX_LINE_BYTES) {
            problems.add(P + "max_line_bytes: must be between " + MIN_MAX_LINE_BYTES + " and " + MAX_MAX_LINE_BYTES
                    + " (and not above the server's -insert.maxLineSizeBytes), got " + maxLineBytes);
        }
        if (maxFieldsPerLine < 64) {
            problems.add(P + "max_fields_per_line: must be at least 64, got " + maxFieldsPerLine);
        }
        checkPositive(problems, "retention", retention);
        checkPositive(problems, "future_retention", futureRetention);
        checkPositive(problems, "request_timeout", requestTimeout);
        checkPositive(problems, "health_check_timeout", healthCheckTimeout);
        checkTenant(problems, "account_id", accountId);
        checkTenant(problems, "project_id", projectId);
        if (maxBatchLines < 1) {
            problems.add(P + "max_batch_lines: must be at least 1, got " + maxBatchLines);
        }
        if (maxBatchBytes < maxLineBytes) {
            problems.add(P + "max_batch_bytes: must be at least max_line_bytes (" + maxLineBytes + "), got " + maxBatchBytes);
        }
        return List.copyOf(problems);
    }

    private void validateUrl(List<String> problems) {
        if (url == null || url.isBlank()) {
            problems.add(P + "url: must be set, e.g. http://127.0.0.1:9428");
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problems.add(P + "url: not a valid URL: " + e.getMessage());
            return;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            problems.add(P + "url: must be http(s), got '" + url + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            problems.add(P + "url: must name a host, got '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.add(P + "url: must be the base URL without query or fragment (the sink adds /insert/jsonline?...), got '"
                    + url + "'");
        }
        String path = uri.getRawPath();
        if (path != null && path.contains("/insert/")) {
            problems.add(P + "url: must be the base URL (e.g. http://host:9428), not the insert endpoint, got '" + url + "'");
        }
    }

    private static void checkName(List<String> problems, String key, String name, int nameLimit) {
        if (name == null || name.isEmpty()) {
            problems.add(P + key + ": must be set");
            return;
        }
        if (!SIMPLE_NAME.matcher(name).matches()) {
            problems.add(P + key + ": only letters, digits, '_', '.' and '-' are allowed, got '" + name + "'");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > nameLimit) {
            problems.add(P + key + ": longer than " + nameLimit + " bytes");
        }
    }

    private static void checkPositive(List<String> problems, String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            problems.add(P + key + ": must be a positive duration, got " + d);
        }
    }

    private static void checkTenant(List<String> problems, String key, Long id) {
        if (id != null && (id < 0 || id > UINT32_MAX)) {
            problems.add(P + key + ": must be between 0 and " + UINT32_MAX + " (uint32), got " + id);
        }
    }

    /** The base URL without trailing slashes. */
    public String baseUrl() {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    public VictoriaLogsSinkConfig withUrl(String newUrl) {
        return new VictoriaLogsSinkConfig(newUrl, msgField, timeField, streamFields, compression, maxLineBytes,
                maxFieldsPerLine, maxFieldNameBytes, retention, futureRetention, requestTimeout, healthCheckTimeout,
                accountId, projectId, maxBatchBytes, maxBatchLines);
    }

    public VictoriaLogsSinkConfig withCompression(Compression c) {
        return new VictoriaLogsSinkConfig(url, msgField, timeField, streamFields, c, maxLineBytes,
                maxFieldsPerLine, maxFieldNameBytes, retention, futureRetention, requestTimeout, healthCheckTimeout,
                accountId, projectId, maxBatchBytes, maxBatchLines);
    }

    public VictoriaLogsSinkConfig withStreamFields(List<String> fields) {
        return new VictoriaLogsSinkConfig(url, msgField, timeField, fields, compression, maxLineBytes,
                maxFieldsPerLine, maxFieldNameBytes, retention, futureRetention, requestTimeout, healthCheckTimeout,
                accountId, projectId, maxBatchBytes, maxBatchLines);
    }

    public VictoriaLogsSinkConfig withLimits(int newMaxLineBytes, int newMaxFieldsPerLine, int newMaxFieldNameBytes) {
        return new VictoriaLogsSinkConfig(url, msgField, timeField, streamFields, compression, newMaxLineBytes,
                newMaxFieldsPerLine, newMaxFieldNameBytes, retention, futureRetention, requestTimeout,
                healthCheckTimeout, accountId, projectId, maxBatchBytes, maxBatchLines);
    }

    public VictoriaLogsSinkConfig withTimeWindow(Duration newRetention, Duration newFutureRetention) {
        return new VictoriaLogsSinkConfig(url, msgField, timeField, streamFields, compression, maxLineBytes,
                maxFieldsPerLine, maxFieldNameBytes, newRetention, newFutureRetention, requestTimeout,
                healthCheckTimeout, accountId, projectId, maxBatchBytes, maxBatchLines);
    }

    public VictoriaLogsSinkConfig withTimeouts(Duration newRequestTimeout, Duration newHealthCheckTimeout) {
        return new VictoriaLogsSinkConfig(url, msgField, timeField, streamFields, compression, maxLineBytes,
                maxFieldsPerLine, maxFieldNameBytes, retention, futureRetention, newRequestTimeout,
                newHealthCheckTimeout, accountId, projectId, maxBatchBytes, maxBatchLines);
    }

    public VictoriaLogsSinkConfig withTenant(Long newAccountId, Long newProjectId) {
        return new VictoriaLogsSinkConfig(url, msgField, timeField, streamFields, compression, maxLineBytes,
                maxFieldsPerLine, maxFieldNameBytes, retention, futureRetention, requestTimeout, healthCheckTimeout,
                newAccountId, newProjectId, maxBatchBytes, maxBatchLines);
    }

    public VictoriaLogsSinkConfig withBatchLimits(long newMaxBatchBytes, int newMaxBatchLines) {
        return new VictoriaLogsSinkConfig(url, msgField, timeField, streamFields, compression, maxLineBytes,
                maxFieldsPerLine, maxFieldNameBytes, retention, futureRetention, requestTimeout, healthCheckTimeout,
                accountId, projectId, newMaxBatchBytes, newMaxBatchLines);
    }
}
