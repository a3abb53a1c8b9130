package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import foundation.foxlight.skulklogs.schema.JsonText;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether VictoriaLogs accepts and keeps a time field value, following its parser: a value
 * whose 5th character is not {@code -} is a Unix timestamp (integer, or with a {@code .} a float) in
 * seconds, milliseconds, microseconds or nanoseconds chosen by magnitude; otherwise RFC3339 with up to
 * 9 fraction digits and an optional offset (none = the server's local zone). {@code ""} and {@code "0"}
 * mean "now". Anything else makes the server answer 400 for the whole request; a timestamp outside the
 * retention window is silently dropped. Stateless.
 */
final class TimestampCheck {
    enum Verdict { OK, UNPARSEABLE, TOO_OLD, TOO_FAR_IN_FUTURE }

    /** Longer values are not trusted as timestamps (and would make split parts large). */
    static final int MAX_TEXT_LENGTH = 64;

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern RFC3339 = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})?");
    private static final Duration NO_ZONE_SLACK = Duration.ofHours(14);
    private static final DateTimeFormatter OUTPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private TimestampCheck() {
    }

    /** The replacement value: {@code now} as RFC3339 UTC with milliseconds, like Skulk's {@code ts}. */
    static String format(Instant now) {
        return OUTPUT.format(now);
    }

    /**
     * The verdict for {@code value} (a value of the time field that is present). A safety margin of
     * {@code min(1 h, window / 24)} is kept inside both ends of the window, so that clock skew and
     * retries cannot push a kept timestamp over the edge.
     */
    static Verdict check(Object value, Instant now, Duration retention, Duration futureRetention) {
        String s;
        if (value instanceof String str) {
            s = str;
        } else if (value instanceof Long l) {
            s = Long.toString(l);
        } else if (value instanceof JsonText j) {
            s = j.json();
        } else {
            return Verdict.UNPARSEABLE; // null, boolean
        }
        if (s.isEmpty() || s.equals("0")) {
            return Verdict.OK; // VictoriaLogs uses the ingest time
        }
        if (s.length() > MAX_TEXT_LENGTH) {
            return Verdict.UNPARSEABLE;
        }
        Instant t;
        Duration slack = Duration.ZERO;
        if (s.length() <= 4 || s.charAt(4) != '-') {
            t = parseUnix(s);
        } else {
            Matcher m = RFC3339.matcher(s);
            if (!m.matches()) {
                return Verdict.UNPARSEABLE;
            }
            try {
                LocalDateTime local = LocalDateTime.parse(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
                if (m.group(3) == null) {
                    t = local.toInstant(ZoneOffset.UTC);
                    slack = NO_ZONE_SLACK;
                } else {
                    t = ZonedDateTime.of(local, ZoneOffset.of(m.group(3))).toInstant();
                }
            } catch (DateTimeException e) {
                t = null;
            }
        }
        if (t == null) {
            return Verdict.UNPARSEABLE;
        }
        Instant oldest = now.minus(retention).plus(margin(retention));
        Instant newest = now.plus(futureRetention).minus(margin(futureRetention));
        if (t.minus(slack).isBefore(oldest)) {
            return Verdict.TOO_OLD;
        }
        if (t.plus(slack).isAfter(newest)) {
            return Verdict.TOO_FAR_IN_FUTURE;
        }
        return Verdict.OK;
    }

    static Duration margin(Duration window) {
        Duration d = window.dividedBy(24);
        return d.compareTo(Duration.ofHours(1)) < 0 ? d : Duration.ofHours(1);
    }

    private static final double S_LIMIT = 1L << 31;

    /** A Unix timestamp as VictoriaLogs reads it, or null when it would answer 400. */
    static Instant parseUnix(String s) {
        long nanos;
        if (s.indexOf('.') >= 0) {
            if (!FLOAT.matcher(s).matches()) {
                return null;
            }
            double f = Double.parseDouble(s);
            if (!Double.isFinite(f)) {
                return null;
            }
            if (f < S_LIMIT && f >= -S_LIMIT) {
                nanos = (long) (f * 1e9);
            } else if (f < 1e3 * S_LIMIT && f >= -1e3 * S_LIMIT) {
                nanos = (long) (f * 1e6);
            } else if (f < 1e6 * S_LIMIT && f >= -1e6 * S_LIMIT) {
                nanos = (long) (f * 1e3);
            } else if (f >= 9.2e18 || f <= -9.2e18) {
                return null;
            } else {
                nanos = (long) f;
            }
        } else {
            if (!INTEGER.matcher(s).matches()) {
                return null;
            }
            long n;
            try {
                n = Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
            long lim = 1L << 31;
            if (n < lim && n >= -lim) {
                nanos = n * 1_000_000_000L;
            } else if (n < 1_000L * lim && n >= -1_000L * lim) {
                nanos = n * 1_000_000L;
            } else if (n < 1_000_000L * lim && n >= -1_000_000L * lim) {
                nanos = n * 1_000L;
            } else {
                nanos = n;
            }
        }
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
