package foundation.foxlight.skulklogs.relay.ingest;

import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Reads an {@code /insert/jsonline} request exactly as VictoriaLogs does, as pure functions of the method,
 * query string, headers and body bytes: no I/O, no Vert.x. Every refusal is an {@link IngestError} value with
 * a VictoriaLogs-style {@code text/plain} message, never an exception.
 *
 * <h2>Head ({@link #parseHead})</h2>
 * <ul>
 *   <li>405 for any method but {@code POST};</li>
 *   <li>415 for a form ({@code application/x-www-form-urlencoded}, {@code multipart/form-data}). VictoriaLogs
 *       consumes such a body as a form and silently stores nothing (what {@code curl -d} does by default); the
 *       relay refuses it loudly and says to send {@code application/stream+json}. Any other content type is
 *       read as JSON lines, like VictoriaLogs;</li>
 *   <li>400 for a malformed query string, an {@code extra_fields} item without {@code =} or with an empty name,
 *       an {@code AccountID}/{@code ProjectID} that is not a uint32, or an unsupported {@code Content-Encoding}
 *       ({@code snappy} included: VictoriaLogs reads it, the relay does not);</li>
 *   <li>args {@code _msg_field}, {@code _time_field}, {@code _stream_fields}, {@code ignore_fields},
 *       {@code decolorize_fields}, {@code extra_fields}, {@code debug} or headers {@code VL-Msg-Field}, ...,
 *       {@code VL-Debug}: a non-empty arg wins over the header; unknown args are ignored (as VictoriaLogs
 *       does). {@code debug} is false for empty, {@code 0}, {@code f}, {@code false}, {@code no}, true for
 *       anything else (VictoriaLogs' rule).</li>
 * </ul>
 *
 * <h2>Authentication ({@link #checkAuth})</h2>
 * 401 with a reason for a missing header, another scheme than {@code Bearer}, or a wrong token (compared in
 * constant time).
 *
 * <h2>Body ({@link #readBody})</h2>
 * The body is decompressed as a stream ({@code gzip}, {@code deflate} = zlib, {@code zstd}, identity) and
 * split into lines on {@code \n} (a trailing {@code \r} is dropped). Decompressed bytes are counted as they
 * come: past {@code maxBodyBytes} the read stops at once with 413, so a zip bomb costs at most the limit plus
 * one 64 KiB chunk. A corrupt or truncated compressed body is 400. Each line:
 * <ul>
 *   <li>blank (whitespace only): skipped and counted in {@link BodyStats#blankLines()} (VictoriaLogs skips them
 *       too);</li>
 *   <li>longer than {@code maxLineBytes}: kept, NOT parsed: {@code msg} = its first {@code maxLineBytes}
 *       bytes (cut at a character boundary) as text, {@code log.truncated_from_bytes} = its length,
 *       {@code log.parse_error} says why (VictoriaLogs would silently skip it, and sometimes the lines after
 *       it);</li>
 *   <li>otherwise {@link LogEventJson#parse}: a line that is not a JSON object becomes a raw-text event with
 *       {@code log.parse_error} (VictoriaLogs drops such lines, or answers 400 when no line parses). Nothing is
 *       dropped.</li>
 * </ul>
 * Stateless (limits only) and thread-safe; {@link #readBody} runs wherever it is called, which for large
 * bodies must be a worker thread.
 */
public final class IngestRequestParser {
    /** The path VictoriaLogs serves JSON lines on. */
    public static final String PATH = "/insert/jsonline";

    static final int CHUNK = 64 * 1024;
    private static final long UINT32_MAX = 0xFFFF_FFFFL;
    private static final Constructor<?> ZSTD_INPUT_STREAM = findZstd();

    private final long maxBodyBytes;
    private final int maxLineBytes;

    /**
     * @param maxBodyBytes largest body after decompression
     * @param maxLineBytes longer lines are kept truncated, unparsed and flagged
     */
    public IngestRequestParser(long maxBodyBytes, int maxLineBytes) {
        if (maxBodyBytes < 1 || maxLineBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.maxLineBytes = maxLineBytes;
    }

    public IngestRequestParser(IngestConfig config) {
        this(config.maxBodyBytes(), config.maxLineBytes());
    }

    /** Receives each non-blank line's event, in body order; returns an error to stop reading, or null to go on. */
    @FunctionalInterface
    public interface LineConsumer {
        IngestError accept(LogEvent event, int lineBytes);
    }

    /**
     * What a body held.
     *
     * @param decompressedBytes body bytes after decompression
     * @param lines             non-blank lines, each handed to the consumer as one event
     * @param blankLines        empty or whitespace-only lines, skipped
     * @param notJson           lines kept as raw text with {@code log.parse_error} (truncated ones excluded)
     * @param invalidUtf8       lines with invalid UTF-8, replaced and flagged {@code log.invalid_utf8}
     * @param truncated         lines over {@code maxLineBytes}, kept truncated and flagged
     */
    public record BodyStats(long decompressedBytes, long lines, long blankLines, long notJson, long invalidUtf8, long truncated) {
    }

    /** A whole request read by {@link #parse}: its settings, its events (not yet normalized) and body stats. */
    public record ParsedRequest(IngestParams params, List<LogEvent> events, BodyStats stats) {
        public ParsedRequest {
            events = List.copyOf(events);
        }
    }

    // ---------------------------------------------------------------- the whole request (tests, small bodies)

    /**
     * Method, authentication, head and body in the order the handler checks them: 405, 401, 415/400, then
     * 413/400 from the body. Events are returned as parsed (see {@link IngestNormalizer} for the next step).
     *
     * @param expectedToken the bearer token required, or null when none is
     */
    public Outcome<ParsedRequest> parse(String method, String rawQuery, Map<String, String> headers, byte[] body,
            String expectedToken) {
        Map<String, String> h = caseInsensitive(headers);
        if (!"POST".equalsIgnoreCase(method)) {
            return Outcome.failed(methodNotAllowed(method));
        }
        Optional<IngestError> auth = checkAuth(expectedToken, h.get("Authorization"));
        if (auth.isPresent()) {
            return Outcome.failed(auth.get());
        }
        Outcome<IngestParams> head = parseHead(method, rawQuery, h);
        if (!head.isOk()) {
            return Outcome.failed(head.error());
        }
        List<LogEvent> events = new ArrayList<>();
        Outcome<BodyStats> stats = readBody(head.value().encoding(), body, (e, n) -> {
            events.add(e);
            return null;
        });
        if (!stats.isOk()) {
            return Outcome.failed(stats.error());
        }
        return Outcome.ok(new ParsedRequest(head.value(), events, stats.value()));
    }

    // ---------------------------------------------------------------- head

    /** 405 naming the method. */
    public static IngestError methodNotAllowed(String method) {
        return new IngestError(405, "unsupported method " + method + ": " + PATH + " accepts only POST");
    }

    /**
     * The request's settings, or 405/415/400. Header names are matched case-insensitively.
     *
     * @param rawQuery the raw (still percent-encoded) query string, or null
     */
    public static Outcome<IngestParams> parseHead(String method, String rawQuery, Map<String, String> headers) {
        if (!"POST".equalsIgnoreCase(method)) {
            return Outcome.failed(methodNotAllowed(method));
        }
        Map<String, String> h = caseInsensitive(headers);
        String contentType = h.get("Content-Type");
        if (contentType != null) {
            String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (mime.equals("application/x-www-form-urlencoded") || mime.equals("multipart/form-data")) {
                return Outcome.failed(415, "unsupported Content-Type " + mime + ": the body would be read as a form and"
                        + " VictoriaLogs would silently store nothing; send the JSON lines with"
                        + " 'Content-Type: application/stream+json' (curl: --data-binary @file -H 'Content-Type: application/stream+json')");
            }
        }
        Outcome<Map<String, String>> query = decodeQuery(rawQuery);
        if (!query.isOk()) {
            return Outcome.failed(query.error());
        }
        Map<String, String> q = query.value();

        List<String> msgFields = list(setting(q, h, "_msg_field", "VL-Msg-Field"));
        if (msgFields.isEmpty()) {
            msgFields = List.of(IngestParams.DEFAULT_MSG_FIELD);
        }
        String timeField = setting(q, h, "_time_field", "VL-Time-Field");
        timeField = timeField == null || timeField.isBlank() ? IngestParams.DEFAULT_TIME_FIELD : timeField.trim();
        List<String> streamFields = list(setting(q, h, "_stream_fields", "VL-Stream-Fields"));
        List<String> ignoreFields = list(setting(q, h, "ignore_fields", "VL-Ignore-Fields"));
        List<String> decolorizeFields = list(setting(q, h, "decolorize_fields", "VL-Decolorize-Fields"));

        Map<String, String> extra = new LinkedHashMap<>();
        String extraText = setting(q, h, "extra_fields", "VL-Extra-Fields");
        if (extraText != null && !extraText.isBlank()) {
            for (String item : extraText.split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq < 0) {
                    return Outcome.failed(IngestError.badRequest("cannot parse extra_fields: missing '=' in \"" + abbreviate(item)
                            + "\"; the format is name=value,name2=value2"));
                }
                String name = item.substring(0, eq).trim();
                if (name.isEmpty()) {
                    return Outcome.failed(IngestError.badRequest("cannot parse extra_fields: empty field name in \""
                            + abbreviate(item) + "\"; the format is name=value,name2=value2"));
                }
                extra.put(name, item.substring(eq + 1));
            }
        }

        boolean debug = bool(setting(q, h, "debug", "VL-Debug"));

        String account = h.get("AccountID");
        String project = h.get("ProjectID");
        boolean tenantGiven = account != null && !account.isBlank() || project != null && !project.isBlank();
        long accountId;
        long projectId;
        try {
            accountId = uint32("AccountID", account);
            projectId = uint32("ProjectID", project);
        } catch (IllegalArgumentException e) {
            return Outcome.failed(IngestError.badRequest(e.getMessage()));
        }

        String encodingHeader = h.get("Content-Encoding");
        Optional<ContentEncoding> encoding = ContentEncoding.fromHeader(encodingHeader);
        if (encoding.isEmpty()) {
            return Outcome.failed(IngestError.badRequest("unsupported Content-Encoding \"" + abbreviate(encodingHeader)
                    + "\": send gzip, deflate, zstd or identity"));
        }
        return Outcome.ok(new IngestParams(msgFields, timeField, streamFields, ignoreFields, decolorizeFields, extra, debug,
                accountId, projectId, tenantGiven, encoding.get()));
    }

    /**
     * Checks the token: {@code Authorization: Bearer <token>}, or {@code Basic} with the token as the password (any user
     * name), which is what an HTTP client sends for a URL with credentials ({@code http://skulk:TOKEN@relay:9429/...}), so
     * that a shipper that cannot set headers (Skulk's {@code SKULK_LOGGING_INGEST_URL}) can carry it. Empty when no
     * token is required or it matches, else 401. The comparison takes the same time whatever the token sent.
     *
     * @param expectedToken the configured token, or null/empty when none is required
     */
    public static Optional<IngestError> checkAuth(String expectedToken, String authorization) {
        if (expectedToken == null || expectedToken.isEmpty()) {
            return Optional.empty();
        }
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(new IngestError(401, "missing Authorization header: this endpoint requires"
                    + " 'Authorization: Bearer <token>' (the relay's ingest.token), or the token as the password in the URL"
                    + " (http://skulk:TOKEN@HOST:PORT/insert/jsonline)"));
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        String sent;
        if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer")) {
            sent = parts[1].trim();
        } else if (parts.length == 2 && parts[0].equalsIgnoreCase("Basic")) {
            sent = basicPassword(parts[1].trim());
            if (sent == null) {
                return Optional.of(new IngestError(401, "malformed Basic credentials: expected base64 of 'user:token'"));
            }
        } else {
            return Optional.of(new IngestError(401, "unsupported Authorization scheme \"" + abbreviate(parts[0])
                    + "\": send 'Authorization: Bearer <token>' (or Basic with the token as the password)"));
        }
        if (!MessageDigest.isEqual(sha256(sent), sha256(expectedToken))) {
            return Optional.of(new IngestError(401, "invalid token"));
        }
        return Optional.empty();
    }

    /** The password of {@code Basic} credentials ({@code base64(user:password)}), or null when malformed. */
    private static String basicPassword(String credentials) {
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- body

    /** {@link #readBody(ContentEncoding, byte[], int, int, LineConsumer)} for a whole array. */
    public Outcome<BodyStats> readBody(ContentEncoding encoding, byte[] body, LineConsumer consumer) {
        return readBody(encoding, body, 0, body.length, consumer);
    }

    /**
     * Decompresses and splits the body, handing each non-blank line's event to {@code consumer}; 413 past the
     * decompressed-size limit, 400 for a corrupt compressed body, or the consumer's own error. Events already
     * handed over stay with the consumer when it fails: the caller discards them. Blocking (CPU); thread-safe.
     */
    public Outcome<BodyStats> readBody(ContentEncoding encoding, byte[] body, int offset, int length, LineConsumer consumer) {
        Splitter splitter = new Splitter(consumer);
        if (encoding == ContentEncoding.IDENTITY) {
            IngestError e = splitter.chunk(body, offset, length);
            return e != null ? Outcome.failed(e) : finish(splitter);
        }
        byte[] buf = new byte[CHUNK];
        try (InputStream in = decoder(encoding, new ByteArrayInputStream(body, offset, length))) {
            int n;
            while ((n = in.read(buf, 0, buf.length)) >= 0) {
                IngestError e = splitter.chunk(buf, 0, n);
                if (e != null) {
                    return Outcome.failed(e);
                }
            }
        } catch (UnsupportedEncodingError e) {
            return Outcome.failed(IngestError.badRequest(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return Outcome.failed(IngestError.badRequest("cannot decompress the request body (Content-Encoding: "
                    + encoding.name().toLowerCase(Locale.ROOT) + "): " + describe(e)));
        }
        return finish(splitter);
    }

    private static Outcome<BodyStats> finish(Splitter s) {
        IngestError e = s.end();
        return e != null ? Outcome.failed(e) : Outcome.ok(s.stats());
    }

    private static InputStream decoder(ContentEncoding encoding, InputStream raw) throws IOException {
        return switch (encoding) {
            case IDENTITY -> raw;
            case GZIP -> new GZIPInputStream(raw, CHUNK);
            case DEFLATE -> new InflaterInputStream(raw);
            case ZSTD -> zstd(raw);
        };
    }

    /** Whether {@code Content-Encoding: zstd} can be decoded here (zstd-jni present and its native code loads). */
    public static boolean zstdAvailable() {
        if (ZSTD_INPUT_STREAM == null) {
            return false;
        }
        try {
            zstd(new ByteArrayInputStream(new byte[0])).close();
            return true;
        } catch (UnsupportedEncodingError e) {
            return false;
        } catch (IOException e) {
            return true; // the class and its native code loaded; an empty stream may complain on close
        }
    }

    private static InputStream zstd(InputStream raw) throws IOException {
        if (ZSTD_INPUT_STREAM == null) {
            throw new UnsupportedEncodingError("Content-Encoding zstd is not available on this relay"
                    + " (com.github.luben:zstd-jni is not on its classpath): send gzip");
        }
        try {
            return (InputStream) ZSTD_INPUT_STREAM.newInstance(raw);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof LinkageError) {
                throw new UnsupportedEncodingError("Content-Encoding zstd is not available on this relay"
                        + " (zstd-jni's native library did not load: " + e.getCause() + "): send gzip");
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        } catch (LinkageError e) {
            throw new UnsupportedEncodingError("Content-Encoding zstd is not available on this relay"
                    + " (zstd-jni's native library did not load: " + e + "): send gzip");
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedEncodingError("Content-Encoding zstd is not available on this relay (" + e + "): send gzip");
        }
    }

    /**
     * zstd-jni is a runtime dependency of kafka-clients, not on the relay's compile classpath: it is used
     * through reflection. Loading the class does not initialise it (its native library loads on first use).
     */
    private static Constructor<?> findZstd() {
        try {
            Class<?> c = Class.forName("com.github.luben.zstd.ZstdInputStream", false, IngestRequestParser.class.getClassLoader());
            return c.getConstructor(InputStream.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** An encoding the relay cannot decode after all; becomes a 400 naming the alternative. */
    private static final class UnsupportedEncodingError extends Error {
        private static final long serialVersionUID = 1L;

        UnsupportedEncodingError(String message) {
            super(message, null, false, false);
        }
    }

    /** Splits chunks into lines; lines crossing chunks are assembled in a buffer capped at maxLineBytes. */
    private final class Splitter {
        private final LineConsumer consumer;
        private byte[] pending = new byte[256];
        private int pendingLength;
        /** Length of the pending line including bytes beyond the cap. */
        private long pendingTotal;
        private long total;
        private long lines;
        private long blank;
        private long notJson;
        private long invalidUtf8;
        private long truncated;

        Splitter(LineConsumer consumer) {
            this.consumer = consumer;
        }

        IngestError chunk(byte[] b, int off, int len) {
            total += len;
            if (total > maxBodyBytes) {
                return tooLarge();
            }
            int end = off + len;
            int start = off;
            for (int i = off; i < end; i++) {
                if (b[i] != '\n') {
                    continue;
                }
                IngestError e;
                if (pendingTotal == 0) {
                    e = line(b, start, i - start, i - start);
                } else {
                    append(b, start, i - start);
                    e = line(pending, 0, pendingLength, pendingTotal);
                    pendingLength = 0;
                    pendingTotal = 0;
                }
                if (e != null) {
                    return e;
                }
                start = i + 1;
            }
            append(b, start, end - start);
            return null;
        }

        IngestError end() {
            if (pendingTotal == 0) {
                return null;
            }
            IngestError e = line(pending, 0, pendingLength, pendingTotal);
            pendingLength = 0;
            pendingTotal = 0;
            return e;
        }

        BodyStats stats() {
            return new BodyStats(total, lines, blank, notJson, invalidUtf8, truncated);
        }

        private IngestError tooLarge() {
            return new IngestError(413, "request body is larger than " + maxBodyBytes
                    + " bytes after decompression (the relay's ingest.max_body_bytes): send smaller requests");
        }

        private void append(byte[] b, int off, int len) {
            if (len <= 0) {
                return;
            }
            pendingTotal += len;
            int room = maxLineBytes - pendingLength;
            int n = Math.min(room, len);
            if (n <= 0) {
                return;
            }
            if (pendingLength + n > pending.length) {
                pending = Arrays.copyOf(pending, (int) Math.min(maxLineBytes, Math.max(pendingLength + n, pending.length * 2L)));
            }
            System.arraycopy(b, off, pending, pendingLength, n);
            pendingLength += n;
        }

        /** One line: {@code kept} bytes at {@code b[off]}, {@code fullLength} bytes originally (without \n). */
        private IngestError line(byte[] b, int off, int kept, long fullLength) {
            if (fullLength <= maxLineBytes && kept > 0 && b[off + kept - 1] == '\r') {
                kept--;
                fullLength--;
            }
            LogEvent event;
            if (fullLength > maxLineBytes) {
                event = truncatedLine(b, off, Math.min(kept, maxLineBytes), fullLength, maxLineBytes);
                truncated++;
            } else if (isBlank(b, off, kept)) {
                blank++;
                return null;
            } else {
                event = LogEventJson.parse(b, off, kept);
                if (event.has(PipelineFields.PARSE_ERROR)) {
                    notJson++;
                }
            }
            if (event.has(PipelineFields.INVALID_UTF8)) {
                invalidUtf8++;
            }
            lines++;
            return consumer.accept(event, kept);
        }
    }

    /** The event kept for a line over the limit: its head as raw text, flagged. */
    static LogEvent truncatedLine(byte[] b, int off, int kept, long fullLength, int maxLineBytes) {
        int cut = kept;
        if (cut < fullLength) {
            cut = utf8Boundary(b, off, kept);
        }
        String text;
        boolean invalid = false;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, cut)).toString();
        } catch (CharacterCodingException e) {
            text = new String(b, off, cut, StandardCharsets.UTF_8);
            invalid = true;
        }
        LogEvent.Builder builder = LogEvent.builder()
                .put(LogEvent.MSG, text)
                .put(PipelineFields.PARSE_ERROR, "line of " + fullLength + " bytes is longer than the relay's ingest.max_line_bytes ("
                        + maxLineBytes + "): its first " + cut + " bytes are kept as text, unparsed")
                .put(PipelineFields.TRUNCATED_FROM_BYTES, fullLength);
        if (invalid) {
            builder.put(PipelineFields.INVALID_UTF8, Boolean.TRUE);
        }
        return builder.build();
    }

    /** The largest length {@code <= len} that does not cut a UTF-8 sequence in two. */
    static int utf8Boundary(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int i = len - 1;
        int back = 0;
        while (i > 0 && back < 3 && (b[off + i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        int lead = b[off + i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if ((b[off + i] & 0xC0) == 0x80) {
            return len; // no lead byte nearby: invalid anyway, keep everything
        }
        return i + need <= len ? len : i;
    }

    // ---------------------------------------------------------------- helpers

    /** A case-insensitive copy of the headers (first value of each name). */
    static Map<String, String> caseInsensitive(Map<String, String> headers) {
        if (headers instanceof TreeMap<String, String> t && t.comparator() == String.CASE_INSENSITIVE_ORDER) {
            return headers;
        }
        TreeMap<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach(m::putIfAbsent);
        }
        return m;
    }

    /** The query string's args (first value of each), or 400 for a bad percent-escape. */
    static Outcome<Map<String, String>> decodeQuery(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Outcome.ok(out);
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Outcome.failed(IngestError.badRequest("cannot parse the query string near \"" + abbreviate(part) + "\": "
                        + e.getMessage()));
            }
        }
        return Outcome.ok(out);
    }

    /** The arg when it is not empty, else the header (VictoriaLogs' rule), else null. */
    private static String setting(Map<String, String> query, Map<String, String> headers, String arg, String header) {
        String v = query.get(arg);
        if (v != null && !v.isEmpty()) {
            return v;
        }
        return headers.get(header);
    }

    private static List<String> list(String commaSeparated) {
        List<String> out = new ArrayList<>();
        if (commaSeparated == null) {
            return out;
        }
        for (String s : commaSeparated.split(",")) {
            String t = s.trim();
            if (!t.isEmpty() && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** VictoriaLogs' boolean: false for "", "0", "f", "false", "no" (any case), true otherwise. */
    static boolean bool(String v) {
        if (v == null) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "", "0", "f", "false", "no" -> false;
            default -> true;
        };
    }

    private static long uint32(String name, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("cannot parse " + name + " header \"" + abbreviate(value)
                    + "\": must be an unsigned 32-bit integer (0.." + UINT32_MAX + ")");
        }
        long n = Long.parseLong(v);
        if (n > UINT32_MAX) {
            throw new IllegalArgumentException("cannot parse " + name + " header \"" + abbreviate(value)
                    + "\": larger than " + UINT32_MAX + " (uint32)");
        }
        return n;
    }

    private static boolean isBlank(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != 0x0B) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : abbreviate(m.replaceAll("[\\r\\n]+", " "));
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return s.length() > 80 ? sb + "..." : sb.toString();
    }
}
