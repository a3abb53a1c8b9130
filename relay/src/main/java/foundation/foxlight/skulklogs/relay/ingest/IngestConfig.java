package foundation.foxlight.skulklogs.relay.ingest;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Settings of the VictoriaLogs-compatible ingest endpoint (config key prefix {@code ingest.}).
 *
 * <p>Keys, as reported by {@link #validate()}: {@code listen}, {@code token}, {@code tls.cert},
 * {@code tls.key}, {@code max_body_bytes}, {@code max_line_bytes}, {@code max_record_bytes},
 * {@code publish_timeout}, {@code max_concurrent_requests}, {@code node_id_fields},
 * {@code component_fields}.
 *
 * <p>Security rule: a bearer {@link #token} is REQUIRED whenever {@link #listen} is not a loopback address
 * ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}); {@code 0.0.0.0}, {@code ::} and any other host name
 * count as non-loopback (names are not resolved). TLS is optional but strongly advised beyond loopback: the
 * token travels in every request.
 *
 * <p>Worst-case heap held by requests in flight is roughly {@code max_concurrent_requests x 3 x
 * max_body_bytes} (the received body, then the encoded batches, which are capped at twice the body limit).
 *
 * <p>The constructor never throws (nulls are allowed, so that a config loader can report every problem at
 * once); call {@link #validate()} before building anything from it. Immutable and thread-safe.
 *
 * @param listen                {@code host:port} ({@code [v6]:port} for IPv6; port 0 = ephemeral) or {@code off}
 * @param token                 the bearer token clients must send ({@code Authorization: Bearer <token>}), or null
 * @param tlsCert               PEM certificate chain path, or null for plain HTTP
 * @param tlsKey                PEM private key path (PKCS#8 or PKCS#1), or null for plain HTTP
 * @param maxBodyBytes          largest request body, counted AFTER decompression (a zip bomb stops here)
 * @param maxLineBytes          longer lines are kept as truncated raw text, flagged (see {@link IngestRequestParser})
 * @param maxRecordBytes        target size of one Kafka record (an encoded {@code EventBatch}); must stay below the
 *                              producer's {@code max.request.size} and the topic's {@code max.message.bytes}
 * @param publishTimeout        how long a request waits for Kafka to acknowledge all its records before 503
 * @param maxConcurrentRequests requests processed at once; more are answered 503 (the shipper retries)
 * @param nodeIdFields          event fields, in order, that supply {@code node_id} when a line has none
 * @param componentFields       event fields, in order, that supply {@code component} when a line has none
 */
public record IngestConfig(
        String listen,
        String token,
        String tlsCert,
        String tlsKey,
        long maxBodyBytes,
        int maxLineBytes,
        int maxRecordBytes,
        Duration publishTimeout,
        int maxConcurrentRequests,
        List<String> nodeIdFields,
        List<String> componentFields) {

    /** {@code ingest.listen} default: the endpoint is opt-in. Suggested value: {@code 127.0.0.1:9429}. */
    public static final String OFF = "off";
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_LINE_BYTES = 512 << 10;
    public static final int DEFAULT_MAX_RECORD_BYTES = 900 << 10;
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 16;
    /** Shortest accepted token. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /**
     * Bytes a record needs beyond its largest line: a line's Kryo encoding is at most 1.5 times its UTF-8
     * length (a 4-byte UTF-8 character is two UTF-16 chars of 3 bytes each), plus the fields the normalizer
     * adds (extra_fields, ts, log.*), which are bounded by the request's head (query and headers).
     */
    static final int RECORD_OVERHEAD = 64 << 10;

    private static final String P = "ingest.";
    private static final Pattern FIELD_NAME = Pattern.compile("[^\\s,]+");
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");

    public IngestConfig {
        nodeIdFields = nodeIdFields == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(nodeIdFields));
        componentFields = componentFields == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(componentFields));
    }

    /** Defaults: {@code off}, no token, no TLS, 64 MiB bodies, 512 KiB lines, 900 KiB records, 30 s, 16 requests. */
    public static IngestConfig defaults() {
        return new IngestConfig(OFF, null, null, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LINE_BYTES,
                DEFAULT_MAX_RECORD_BYTES, DEFAULT_PUBLISH_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, List.of(), List.of());
    }

    /** Whether the endpoint listens at all ({@link #listen} is not {@code off}). */
    public boolean enabled() {
        return listen != null && !listen.trim().equalsIgnoreCase(OFF);
    }

    /** The host part of {@link #listen} (without IPv6 brackets); null when off or malformed. */
    public String host() {
        HostPort hp = HostPort.parse(listen);
        return hp == null ? null : hp.host;
    }

    /** The port of {@link #listen}; -1 when off or malformed. */
    public int port() {
        HostPort hp = HostPort.parse(listen);
        return hp == null ? -1 : hp.port;
    }

    /** Whether {@link #listen} is a loopback address (then the token is optional). */
    public boolean loopback() {
        String h = host();
        return h != null && isLoopback(h);
    }

    /** Whether clients must authenticate (a token is configured). */
    public boolean authRequired() {
        return token != null && !token.isEmpty();
    }

    /** Whether the endpoint serves HTTPS. */
    public boolean tls() {
        return tlsCert != null && !tlsCert.isBlank();
    }

    /**
     * Every problem of this config, each as {@code ingest.<key>: <what is wrong>}; empty when the config is
     * usable. A disabled endpoint ({@code listen: off}) still has its other settings checked.
     */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        boolean on = enabled();
        if (listen == null || listen.isBlank()) {
            problems.add(P + "listen: must be host:port or off, got nothing");
        } else if (on) {
            HostPort hp = HostPort.parse(listen);
            if (hp == null) {
                problems.add(P + "listen: must be host:port (port 0-65535, IPv6 as [::1]:port) or off, got '" + listen + "'");
            } else if (!isLoopback(hp.host) && !authRequired()) {
                problems.add(P + "token: required because ingest.listen (" + listen + ") is not a loopback address;"
                        + " set a bearer token of at least " + MIN_TOKEN_LENGTH + " characters (or listen on 127.0.0.1)");
            }
        }
        if (token != null) {
            if (token.length() < MIN_TOKEN_LENGTH) {
                problems.add(P + "token: must be at least " + MIN_TOKEN_LENGTH + " characters, got " + token.length());
            } else if (!TOKEN.matcher(token).matches()) {
                problems.add(P + "token: only visible ASCII characters (no spaces) are allowed");
            }
        }
        boolean cert = tlsCert != null && !tlsCert.isBlank();
        boolean key = tlsKey != null && !tlsKey.isBlank();
        if (cert != key) {
            problems.add(P + (cert ? "tls.key" : "tls.cert") + ": must be set together with ingest."
                    + (cert ? "tls.cert" : "tls.key") + " (both PEM paths, or neither)");
        }
        if (cert) {
            checkReadable(problems, "tls.cert", tlsCert);
        }
        if (key) {
            checkReadable(problems, "tls.key", tlsKey);
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > (1L << 30)) {
            problems.add(P + "max_body_bytes: must be between 1 KiB and 1 GiB, got " + maxBodyBytes);
        }
        if (maxLineBytes < 1024) {
            problems.add(P + "max_line_bytes: must be at least 1 KiB, got " + maxLineBytes);
        }
        if (maxRecordBytes < 64 << 10) {
            problems.add(P + "max_record_bytes: must be at least 64 KiB, got " + maxRecordBytes);
        } else if (maxLineBytes >= 1024 && (long) maxLineBytes * 3 / 2 + RECORD_OVERHEAD > maxRecordBytes) {
            problems.add(P + "max_line_bytes: must be at most (max_record_bytes - " + RECORD_OVERHEAD + ") / 1.5 = "
                    + ((maxRecordBytes - RECORD_OVERHEAD) * 2L / 3) + " so that one line always fits a Kafka record, got "
                    + maxLineBytes);
        }
        if (publishTimeout == null || publishTimeout.isZero() || publishTimeout.isNegative()) {
            problems.add(P + "publish_timeout: must be a positive duration, got " + publishTimeout);
        } else if (publishTimeout.compareTo(Duration.ofHours(1)) > 0) {
            problems.add(P + "publish_timeout: must be at most 1h, got " + publishTimeout);
        }
        if (maxConcurrentRequests < 1 || maxConcurrentRequests > 4096) {
            problems.add(P + "max_concurrent_requests: must be between 1 and 4096, got " + maxConcurrentRequests);
        }
        checkFields(problems, "node_id_fields", nodeIdFields);
        checkFields(problems, "component_fields", componentFields);
        return List.copyOf(problems);
    }

    /**
     * The HTTP server options: host and port of {@link #listen}, HTTPS with the PEM key and certificate when
     * configured, an idle timeout of 60 s, room for long query strings ({@code extra_fields}), and no
     * transparent decompression (the handler decompresses itself, counting decompressed bytes).
     */
    public HttpServerOptions httpServerOptions() {
        HttpServerOptions o = new HttpServerOptions()
                .setIdleTimeout(60)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(32 * 1024)
                .setDecompressionSupported(false)
                .setCompressionSupported(false);
        HostPort hp = HostPort.parse(listen);
        if (hp != null) {
            o.setHost(hp.host).setPort(hp.port);
        }
        if (tls()) {
            o.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCert).setKeyPath(tlsKey));
        }
        return o;
    }

    public IngestConfig withListen(String newListen) {
        return new IngestConfig(newListen, token, tlsCert, tlsKey, maxBodyBytes, maxLineBytes, maxRecordBytes,
                publishTimeout, maxConcurrentRequests, nodeIdFields, componentFields);
    }

    public IngestConfig withToken(String newToken) {
        return new IngestConfig(listen, newToken, tlsCert, tlsKey, maxBodyBytes, maxLineBytes, maxRecordBytes,
                publishTimeout, maxConcurrentRequests, nodeIdFields, componentFields);
    }

    public IngestConfig withTls(String certPath, String keyPath) {
        return new IngestConfig(listen, token, certPath, keyPath, maxBodyBytes, maxLineBytes, maxRecordBytes,
                publishTimeout, maxConcurrentRequests, nodeIdFields, componentFields);
    }

    public IngestConfig withLimits(long newMaxBodyBytes, int newMaxLineBytes, int newMaxRecordBytes) {
        return new IngestConfig(listen, token, tlsCert, tlsKey, newMaxBodyBytes, newMaxLineBytes, newMaxRecordBytes,
                publishTimeout, maxConcurrentRequests, nodeIdFields, componentFields);
    }

    public IngestConfig withPublishTimeout(Duration newTimeout) {
        return new IngestConfig(listen, token, tlsCert, tlsKey, maxBodyBytes, maxLineBytes, maxRecordBytes,
                newTimeout, maxConcurrentRequests, nodeIdFields, componentFields);
    }

    public IngestConfig withMaxConcurrentRequests(int n) {
        return new IngestConfig(listen, token, tlsCert, tlsKey, maxBodyBytes, maxLineBytes, maxRecordBytes,
                publishTimeout, n, nodeIdFields, componentFields);
    }

    public IngestConfig withStreamMapping(List<String> newNodeIdFields, List<String> newComponentFields) {
        return new IngestConfig(listen, token, tlsCert, tlsKey, maxBodyBytes, maxLineBytes, maxRecordBytes,
                publishTimeout, maxConcurrentRequests, newNodeIdFields, newComponentFields);
    }

    /** Whether a literal host is loopback: {@code localhost}, {@code 127.x.x.x}, {@code ::1}. Never resolves names. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static void checkReadable(List<String> problems, String key, String path) {
        try {
            Path p = Paths.get(path);
            if (!Files.isRegularFile(p)) {
                problems.add(P + key + ": no such file '" + path + "'");
            } else if (!Files.isReadable(p)) {
                problems.add(P + key + ": cannot read '" + path + "' (permissions)");
            }
        } catch (RuntimeException e) {
            problems.add(P + key + ": not a valid path '" + path + "': " + e.getMessage());
        }
    }

    private static void checkFields(List<String> problems, String key, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (f == null || !FIELD_NAME.matcher(f).matches()) {
                problems.add(P + key + "[" + i + "]: must be a field name without spaces or commas, got '" + f + "'");
            }
        }
    }

    /** {@code host:port} or {@code [v6]:port}. */
    private record HostPort(String host, int port) {
        static HostPort parse(String listen) {
            if (listen == null) {
                return null;
            }
            String s = listen.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                return null;
            }
            String host = s.substring(0, colon);
            String portText = s.substring(colon + 1);
            if (host.startsWith("[")) {
                if (!host.endsWith("]") || host.length() < 3) {
                    return null;
                }
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":") || host.isBlank() || host.contains(" ")) {
                return null; // a bare IPv6 address is ambiguous
            }
            if (!portText.chars().allMatch(Character::isDigit) || portText.length() > 5) {
                return null;
            }
            int port = Integer.parseInt(portText);
            return port > 65535 ? null : new HostPort(host, port);
        }
    }
}
