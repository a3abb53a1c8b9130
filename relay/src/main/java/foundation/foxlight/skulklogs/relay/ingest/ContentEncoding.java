package foundation.foxlight.skulklogs.relay.ingest;

import java.util.Locale;
import java.util.Optional;

/**
 * The request body encodings the ingest endpoint decodes ({@code Content-Encoding}). VictoriaLogs also
 * accepts {@code snappy}; the relay answers 400 for it (see {@link IngestRequestParser}).
 */
public enum ContentEncoding {
    IDENTITY,
    GZIP,
    /** HTTP {@code deflate}: a zlib stream (RFC 1950), as VictoriaLogs reads it. */
    DEFLATE,
    /** Zstandard frames, decoded with zstd-jni, which kafka-clients brings at runtime. */
    ZSTD;

    /** Parses a {@code Content-Encoding} value (case-insensitive; null or empty = identity). */
    public static Optional<ContentEncoding> fromHeader(String value) {
        if (value == null) {
            return Optional.of(IDENTITY);
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "", "identity" -> Optional.of(IDENTITY);
            case "gzip", "x-gzip" -> Optional.of(GZIP);
            case "deflate" -> Optional.of(DEFLATE);
            case "zstd" -> Optional.of(ZSTD);
            default -> Optional.empty();
        };
    }
}
