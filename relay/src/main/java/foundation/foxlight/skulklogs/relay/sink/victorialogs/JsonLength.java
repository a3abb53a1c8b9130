package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Estimates how many bytes a string takes inside a JSON string literal as {@link LogEventJson} writes
 * it. Calibrated once against {@link LogEventJson} itself (does it escape non-ASCII? how are control
 * characters written?), so the estimate matches the real serializer; callers still verify the real
 * size, the estimate only has to be close. Immutable and thread-safe.
 */
final class JsonLength {
    private static volatile JsonLength calibrated;

    private final int twoByte;
    private final int threeByte;
    private final int pair;
    private final int control;
    private final int shortEscape;
    private final int del;
    private final int lineSeparator;

    private JsonLength(int twoByte, int threeByte, int pair, int control, int shortEscape, int del, int lineSeparator) {
        this.twoByte = twoByte;
        this.threeByte = threeByte;
        this.pair = pair;
        this.control = control;
        this.shortEscape = shortEscape;
        this.del = del;
        this.lineSeparator = lineSeparator;
    }

    /** The model of the installed {@link LogEventJson}; computed on first use. */
    static JsonLength get() {
        JsonLength m = calibrated;
        if (m == null) {
            m = calibrate();
            calibrated = m;
        }
        return m;
    }

    private static JsonLength calibrate() {
        int base = valueBytes("");
        return new JsonLength(
                valueBytes("\u00e9") - base,
                valueBytes("\u20ac") - base,
                valueBytes("\ud83d\ude00") - base,
                Math.max(valueBytes("\u0001") - base, valueBytes("\u001f") - base),
                Math.max(Math.max(valueBytes("\n") - base, valueBytes("\t") - base), valueBytes("\r") - base),
                valueBytes("\u007f") - base,
                valueBytes("\u2028") - base);
    }

    private static int valueBytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try {
            LogEventJson.write(LogEvent.builder().put("a", s).build(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }

    /** Bytes of {@code s} inside a JSON string literal (quotes excluded). */
    long of(String s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; ) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += pair;
                i += 2;
            } else {
                n += charBytes(c);
                i++;
            }
        }
        return n;
    }

    /**
     * The end index of the longest prefix of {@code s} starting at {@code from} that takes at most
     * {@code budget} bytes; never splits a surrogate pair.
     */
    int prefixEnd(String s, int from, long budget) {
        long used = 0;
        int len = s.length();
        int i = from;
        while (i < len) {
            char c = s.charAt(i);
            int w;
            int step = 1;
            if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                w = pair;
                step = 2;
            } else {
                w = charBytes(c);
            }
            if (used + w > budget) {
                break;
            }
            used += w;
            i += step;
        }
        return i;
    }

    /** Index after the code point starting at {@code i} (a whole surrogate pair when there is one). */
    static int nextCodePoint(String s, int i) {
        if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return i + 2;
        }
        return i + 1;
    }

    private int charBytes(char c) {
        if (c < 0x20) {
            return c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f' ? shortEscape : control;
        }
        if (c == '"' || c == '\\') {
            return 2;
        }
        if (c < 0x7f) {
            return 1;
        }
        if (c == 0x7f) {
            return del;
        }
        if (c < 0x800) {
            return twoByte;
        }
        if (c == '\u2028' || c == '\u2029') {
            return lineSeparator;
        }
        if (Character.isSurrogate(c)) {
            return 6;
        }
        return threeByte;
    }

    /** UTF-8 length of {@code s} (lone surrogates count 3, as U+FFFD). */
    static int utf8Length(String s) {
        int n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** True when {@code s} has a surrogate that is not part of a pair (not encodable as UTF-8). */
    static boolean hasLoneSurrogate(String s) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} with every lone surrogate replaced by U+FFFD. */
    static String replaceLoneSurrogates(String s) {
        if (!hasLoneSurrogate(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                sb.append('\ufffd');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
