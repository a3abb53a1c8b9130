package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import foundation.foxlight.skulklogs.schema.JsonText;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
     * The time window a timestamp must lie in, computed once per request: {@code [now - retention + margin,
     * now + futureRetention - margin]}, with a margin of {@code min(1 h, window / 24)} inside both ends, so
     * that clock skew and retries cannot push a kept timestamp over the edge. Immutable.
     */
    record Window(Instant oldest, Instant newest) {
        static Window of(Instant now, Duration retention, Duration futureRetention) {
            return new Window(now.minus(retention).plus(margin(retention)), now.plus(futureRetention).minus(margin(futureRetention)));
        }
    }

    /** {@link #check(Object, Window)} with the window of {@code now}. */
    static Verdict check(Object value, Instant now, Duration retention, Duration futureRetention) {
        return check(value, Window.of(now, retention, futureRetention));
    }

    /** The verdict for {@code value} (a value of the time field that is present) against {@code window}. */
    static Verdict check(Object value, Window window) {
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
            t = parseRfc3339(s);
            if (t != null && !hasZone(s)) {
                slack = NO_ZONE_SLACK;
            }
        }
        if (t == null) {
            return Verdict.UNPARSEABLE;
        }
        if (t.minus(slack).isBefore(window.oldest())) {
            return Verdict.TOO_OLD;
        }
        if (t.plus(slack).isAfter(window.newest())) {
            return Verdict.TOO_FAR_IN_FUTURE;
        }
        return Verdict.OK;
    }

    /** Ends with {@code Z} or {@code +hh:mm}/{@code -hh:mm} (only called on a value {@link #parseRfc3339} accepted). */
    private static boolean hasZone(String s) {
        char last = s.charAt(s.length() - 1);
        return last == 'Z' || (s.length() >= 25 && (s.charAt(s.length() - 6) == '+' || s.charAt(s.length() - 6) == '-'));
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z|±hh:mm]} (no offset: read as UTC) as an instant, or null when it is
     * not exactly that or not a valid date and time (e.g. February 30, hour 24, second 60, offset beyond ±18:00).
     * Hand-written: the regular expression and {@code LocalDateTime.parse} it replaces were a third of the
     * relay's CPU time per line.
     */
    static Instant parseRfc3339(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int pos = 19;
        int nanos = 0;
        if (pos < n && s.charAt(pos) == '.') {
            int start = ++pos;
            while (pos < n && pos - start < 9 && isDigit(s.charAt(pos))) {
                nanos = nanos * 10 + (s.charAt(pos) - '0');
                pos++;
            }
            int count = pos - start;
            if (count == 0) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds = 0;
        if (pos < n) {
            char c = s.charAt(pos);
            if (c == 'Z' && pos + 1 == n) {
                pos++;
            } else if ((c == '+' || c == '-') && pos + 6 == n && s.charAt(pos + 3) == ':') {
                int oh = digits(s, pos + 1, 2);
                int om = digits(s, pos + 4, 2);
                if ((oh | om) < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                    return null;
                }
                offsetSeconds = (c == '-' ? -1 : 1) * (oh * 3600 + om * 60);
                pos = n;
            } else {
                return null;
            }
        }
        if (pos != n) {
            return null;
        }
        try {
            long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC) - offsetSeconds;
            return Instant.ofEpochSecond(epochSecond, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
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
