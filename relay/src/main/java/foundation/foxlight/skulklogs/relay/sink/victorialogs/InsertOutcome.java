package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one insert request came to, as a value (the service never fails its future for HTTP or I/O
 * problems). What the caller must do:
 * <ul>
 *   <li>{@link Delivered}: VictoriaLogs accepted the request; acknowledge its events. (A 200 reaches
 *       VictoriaLogs' disk within {@code -inmemoryDataFlushInterval}, 5 s by default.)</li>
 *   <li>{@link Retry}: a transient problem (5xx, 408, 429, timeout, refused or reset connection);
 *       resend the same request later, no sooner than {@link Retry#retryAfterHint()} when present. The
 *       request may have been stored already (timeout after the server took it): VictoriaLogs does not
 *       de-duplicate, so a retry can store it twice — never zero times.</li>
 *   <li>{@link Rejected} with {@link Rejected#isContentRejection()}: the server refused the content
 *       (400, 413, 422); hand the events to {@link RejectedLineSplitter} to deliver the good ones and
 *       dead-letter the bad ones.</li>
 *   <li>{@link Rejected} otherwise (401, 403, 404, 405, 415, 3xx, other 4xx): the relay is
 *       misconfigured (URL, proxy, auth) — no line is at fault. Do not dead-letter; keep the events,
 *       back off, report unhealthy.</li>
 * </ul>
 */
public sealed interface InsertOutcome {

    /** The request was stored (2xx). */
    record Delivered(int status) implements InsertOutcome {
    }

    /**
     * A transient failure: send the same request again later.
     *
     * @param reason human-readable cause, e.g. {@code "503 Service Unavailable: ..."} or
     *     {@code "connection refused: ..."}
     * @param status HTTP status, or 0 when no answer came
     * @param retryAfter the server's {@code Retry-After}, or null
     */
    record Retry(String reason, int status, Duration retryAfter) implements InsertOutcome {
        public Retry {
            Objects.requireNonNull(reason, "reason");
        }

        public Optional<Duration> retryAfterHint() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /**
     * The server refused the request; resending it unchanged will not help.
     *
     * @param status HTTP status
     * @param message the server's answer (truncated to a few KiB)
     */
    record Rejected(int status, String message) implements InsertOutcome {
        public Rejected {
            Objects.requireNonNull(message, "message");
        }

        /** True when the content is at fault (400, 413, 422): split the batch to find the bad lines. */
        public boolean isContentRejection() {
            return status == 400 || status == 413 || status == 422;
        }
    }
}
