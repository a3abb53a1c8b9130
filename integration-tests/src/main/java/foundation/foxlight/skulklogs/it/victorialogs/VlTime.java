package foundation.foxlight.skulklogs.it.victorialogs;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timestamps the way VictoriaLogs reads and writes them: ingest-time parsing of the time field (RFC3339 with up
 * to nine fraction digits, or a Unix number in seconds, milliseconds, microseconds or nanoseconds told apart by
 * magnitude), Go's {@code RFC3339Nano} output (trailing fraction zeros trimmed), and LogsQL durations.
 */
final class VlTime {
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;

    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|µs|us|ns|s|m|h|d|w|y)");

    private VlTime() {
    }

    /** The current time in Unix nanoseconds. */
    static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    }

    /**
     * Parses the value of a time field at ingest. Empty, {@code "0"} and {@code "-"} mean "now".
     *
     * @throws IllegalArgumentException with VictoriaLogs' wording when the value is not a timestamp
     */
    static long parseIngestTimestamp(String s, long nowNanos) {
        if (s.isEmpty() || s.equals("0") || s.equals("-")) {
            return nowNanos;
        }
        if (s.length() <= 4 || s.charAt(4) != '-') {
            Long n = tryParseUnixTimestamp(s);
            if (n == null) {
                throw new IllegalArgumentException("cannot parse unix timestamp \"" + s + "\"");
            }
            return n == 0 ? nowNanos : n;
        }
        Long n = tryParseRfc3339Nano(s);
        if (n == null) {
            throw new IllegalArgumentException("cannot unmarshal rfc3339 timestamp \"" + s + "\"");
        }
        return n == 0 ? nowNanos : n;
    }

    /** A Unix timestamp (integer, fractional or scientific) in s, ms, µs or ns, or null. */
    static Long tryParseUnixTimestamp(String s) {
        try {
            int exp = Math.max(s.indexOf('e'), s.indexOf('E'));
            if (exp >= 0) {
                long decimalExp = Long.parseLong(s.substring(exp + 1));
                String mantissa = s.substring(0, exp);
                int dot = mantissa.indexOf('.');
                long n;
                if (dot < 0) {
                    n = multiplyByPow10(Long.parseLong(mantissa), decimalExp);
                } else {
                    String frac = mantissa.substring(dot + 1);
                    if (decimalExp < frac.length()) {
                        return null;
                    }
                    n = multiplyByPow10(fractional(mantissa.substring(0, dot), frac), decimalExp - frac.length());
                }
                return toNanos(n);
            }
            int dot = s.indexOf('.');
            if (dot < 0) {
                return toNanos(Long.parseLong(s));
            }
            String frac = s.substring(dot + 1);
            long n = fractional(s.substring(0, dot), frac);
            for (int digits = frac.length(); digits % 3 != 0; digits++) {
                n = Math.multiplyExact(n, 10L);
            }
            return toNanos(n);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static long fractional(String intPart, String frac) {
        long n = multiplyByPow10(Long.parseLong(intPart), frac.length());
        long f = Long.parseLong(frac);
        return n >= 0 ? Math.addExact(n, f) : Math.subtractExact(n, f);
    }

    private static long multiplyByPow10(long n, long exp) {
        if (exp < 0 || exp >= POW10.length) {
            throw new ArithmeticException("exponent out of range");
        }
        return Math.multiplyExact(n, POW10[(int) exp]);
    }

    /** VictoriaLogs' magnitude rule: seconds below 2^31, then milliseconds, microseconds, else nanoseconds. */
    private static long toNanos(long n) {
        long limit = 1L << 31;
        if (n < limit && n >= -limit) {
            return n * NANOS_PER_SECOND;
        }
        if (n < 1_000L * limit && n >= -1_000L * limit) {
            return n * 1_000_000L;
        }
        if (n < 1_000_000L * limit && n >= -1_000_000L * limit) {
            return n * 1_000L;
        }
        return n;
    }

    /**
     * {@code YYYY-MM-DDTHH:MM:SS[.fraction up to 9 digits][Z|+hh:mm|-hh:mm]}; without a zone the local one is used.
     * Returns Unix nanoseconds, or null.
     */
    static Long tryParseRfc3339Nano(String s) {
        if (s.length() < 19 || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(7) != '-') {
            return null;
        }
        try {
            LocalDateTime dt = LocalDateTime.of(
                    digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10), digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19));
            String tail = s.substring(19);
            ZoneOffset offset;
            if (tail.endsWith("Z")) {
                offset = ZoneOffset.UTC;
                tail = tail.substring(0, tail.length() - 1);
            } else {
                int sign = Math.max(tail.lastIndexOf('+'), tail.lastIndexOf('-'));
                if (sign < 0) {
                    offset = ZoneId.systemDefault().getRules().getOffset(dt);
                } else {
                    String off = tail.substring(sign + 1);
                    if (off.length() != 5 || off.charAt(2) != ':') {
                        return null;
                    }
                    int secs = digits(off, 0, 2) * 3600 + digits(off, 3, 5) * 60;
                    offset = ZoneOffset.ofTotalSeconds(tail.charAt(sign) == '-' ? -secs : secs);
                    tail = tail.substring(0, sign);
                }
            }
            long nanos = 0;
            if (!tail.isEmpty()) {
                if (tail.charAt(0) == '.') {
                    tail = tail.substring(1);
                }
                if (tail.isEmpty() || tail.length() > 9) {
                    return null;
                }
                nanos = digits(tail, 0, tail.length()) * POW10[9 - tail.length()];
            }
            return Math.addExact(Math.multiplyExact(dt.toEpochSecond(offset), NANOS_PER_SECOND), nanos);
        } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a digit: " + c);
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Go's {@code time.RFC3339Nano} in UTC, e.g. {@code 2025-01-02T03:04:05.12Z} (no trailing fraction zeros). */
    static String formatRfc3339Nano(long unixNanos) {
        long secs = Math.floorDiv(unixNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(unixNanos, NANOS_PER_SECOND);
        LocalDateTime dt = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(30);
        pad(b, dt.getYear(), 4).append('-');
        pad(b, dt.getMonthValue(), 2).append('-');
        pad(b, dt.getDayOfMonth(), 2).append('T');
        pad(b, dt.getHour(), 2).append(':');
        pad(b, dt.getMinute(), 2).append(':');
        pad(b, dt.getSecond(), 2);
        if (nanos != 0) {
            StringBuilder frac = new StringBuilder();
            pad(frac, nanos, 9);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(frac, 0, end);
        }
        return b.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    /**
     * A LogsQL duration such as {@code 5m}, {@code 1h30m}, {@code 2.5d}, {@code 500ms} in nanoseconds, or -1
     * when the text is not a duration.
     */
    static long parseDurationNanos(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        Matcher m = DURATION_PART.matcher(s);
        int pos = 0;
        double total = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                return -1;
            }
            double unit;
            switch (m.group(2)) {
                case "ns": unit = 1; break;
                case "us": case "µs": unit = 1e3; break;
                case "ms": unit = 1e6; break;
                case "s": unit = 1e9; break;
                case "m": unit = 60e9; break;
                case "h": unit = 3600e9; break;
                case "d": unit = 86400e9; break;
                case "w": unit = 7 * 86400e9; break;
                default: unit = 365 * 86400e9; break;
            }
            total += Double.parseDouble(m.group(1)) * unit;
            pos = m.end();
        }
        return (long) total;
    }

    /**
     * The {@code start}/{@code end} query args: {@code now}, RFC3339 (with zone), a Unix number, or a duration
     * meaning "that long ago". Returns Unix nanoseconds.
     *
     * @throws IllegalArgumentException when the value is none of these
     */
    static long parseQueryTime(String s, long nowNanos) {
        if (s.equals("now")) {
            return nowNanos;
        }
        if (s.length() > 4 && s.charAt(4) == '-') {
            Long n = tryParseRfc3339Nano(s);
            if (n != null) {
                return n;
            }
        } else {
            Long n = tryParseUnixTimestamp(s);
            if (n != null) {
                return n;
            }
            long d = parseDurationNanos(s.startsWith("-") ? s.substring(1) : s);
            if (d >= 0) {
                return nowNanos - d;
            }
        }
        throw new IllegalArgumentException("cannot parse time \"" + s + "\"");
    }
}
