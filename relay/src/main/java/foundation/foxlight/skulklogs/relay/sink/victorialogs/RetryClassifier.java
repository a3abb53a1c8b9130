package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;

/**
 * Classifies an answer or a failure of VictoriaLogs into an {@link InsertOutcome}. Pure functions, no
 * state, any thread.
 *
 * <table>
 *   <caption>Status codes</caption>
 *   <tr><th>status</th><th>outcome</th></tr>
 *   <tr><td>2xx</td><td>{@link InsertOutcome.Delivered}</td></tr>
 *   <tr><td>408, 429, 5xx</td><td>{@link InsertOutcome.Retry} (with {@code Retry-After} when sent)</td></tr>
 *   <tr><td>400, 413, 422</td><td>{@link InsertOutcome.Rejected}, content rejection: bisect</td></tr>
 *   <tr><td>other 4xx, 1xx, 3xx</td><td>{@link InsertOutcome.Rejected}, not the content's fault</td></tr>
 * </table>
 * Every failure without an answer (timeout, connection refused or reset, unknown host, anything else)
 * is a {@link InsertOutcome.Retry}: an unknown failure must never lose data.
 */
public final class RetryClassifier {
    /** Longest server message kept in an outcome. */
    public static final int MAX_MESSAGE_CHARS = 4096;

    private RetryClassifier() {
    }

    /**
     * @param status HTTP status
     * @param body response body as text (may be null)
     * @param retryAfter the {@code Retry-After} header (seconds or HTTP date), may be null
     * @param now the current time, to turn an HTTP-date {@code Retry-After} into a delay
     */
    public static InsertOutcome classify(int status, String body, String retryAfter, Instant now) {
        String message = shorten(body == null ? "" : body.trim());
        if (status >= 200 && status < 300) {
            return new InsertOutcome.Delivered(status);
        }
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            return new InsertOutcome.Retry(statusLine(status) + (message.isEmpty() ? "" : ": " + message),
                    status, parseRetryAfter(retryAfter, now));
        }
        return new InsertOutcome.Rejected(status, message.isEmpty() ? statusLine(status) : message);
    }

    /** A failure without an HTTP answer: always {@link InsertOutcome.Retry}. */
    public static InsertOutcome.Retry classify(Throwable failure) {
        return new InsertOutcome.Retry(describe(failure), 0, null);
    }

    /** A short human description of a connection-level failure. */
    public static String describe(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (t instanceof TimeoutException) {
                return "timeout: " + m;
            }
            if (t instanceof ConnectException) {
                return (m.toLowerCase().contains("refused") ? "connection refused: " : "cannot connect: ") + m;
            }
            if (t instanceof UnknownHostException) {
                return "unknown host: " + m;
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host: " + m;
            }
            if (t instanceof HttpClosedException) {
                return "connection closed: " + m;
            }
            if (t instanceof IOException) {
                return "i/o error: " + m;
            }
        }
        String m = failure.getMessage();
        return failure.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException ignored) {
            // an HTTP date
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }

    private static String shorten(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    /** {@code "503 Service Unavailable"}, or just the number for unusual codes. */
    static String statusLine(int status) {
        String text = statusText(status);
        return text.isEmpty() ? Integer.toString(status) : status + " " + text;
    }

    private static String statusText(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
