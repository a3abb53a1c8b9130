package foundation.foxlight.skulklogs.agent.source;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into {@link Line}s at {@code \n}. Memory is bounded by {@code maxLineBytes}: a line
 * longer than that is emitted in pieces of at most {@code maxLineBytes} ({@link Line.Kind#SPLIT}), so a
 * 29 GB line without a newline never exhausts the heap. A piece is cut before a UTF-8 character that
 * would not fit whole (so it may be up to 3 bytes shorter), never through it. Bytes after the last newline wait in the framer
 * until more data or {@link #flushPartial()}.
 *
 * <p>Not thread-safe: one framer per stream, used by one thread at a time.
 */
public final class LineFramer {
    private final int maxLineBytes;
    private byte[] pending = new byte[256];
    private int pendingLength;
    private long pendingStart;
    private long nextOffset;

    public LineFramer(int maxLineBytes, long startOffset) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.maxLineBytes = maxLineBytes;
        reset(startOffset);
    }

    /** Forgets pending bytes and continues at {@code offset} (after a seek, truncation or rotation). */
    public void reset(long offset) {
        pendingLength = 0;
        pendingStart = offset;
        nextOffset = offset;
        if (pending.length > 64 * 1024) {
            pending = new byte[256];
        }
    }

    /** Feeds the next {@code len} bytes of the stream; emits every line they complete. */
    public void feed(byte[] buf, int off, int len, Consumer<Line> out) {
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                append(buf, start, i - start, out);
                long lineEnd = nextOffset + (i - start) + 1;
                emit(Line.Kind.COMPLETE, lineEnd, true, out);
                nextOffset = lineEnd;
                pendingStart = lineEnd;
                start = i + 1;
            }
        }
        append(buf, start, end - start, out);
        nextOffset += end - start;
    }

    /** Bytes waiting for their newline. */
    public int pendingBytes() {
        return pendingLength;
    }

    /** Offset of the first byte not yet emitted as (part of) a line: where a restart must resume. */
    public long resumeOffset() {
        return pendingStart;
    }

    /** Emits the pending bytes as a {@link Line.Kind#PARTIAL} line, if any; returns it or null. */
    public Line flushPartial() {
        if (pendingLength == 0) {
            return null;
        }
        Line[] holder = new Line[1];
        emit(Line.Kind.PARTIAL, pendingStart + pendingLength, false, l -> holder[0] = l);
        pendingStart = nextOffset;
        return holder[0];
    }

    private void append(byte[] buf, int off, int len, Consumer<Line> out) {
        while (len > 0) {
            if (pendingLength == maxLineBytes) {
                // Full, and more bytes of the same line follow: ship a piece.
                emitSplit(splitPoint(), out);
            }
            int n = Math.min(maxLineBytes - pendingLength, len);
            if (pendingLength + n > pending.length) {
                pending = Arrays.copyOf(pending, (int) Math.min(maxLineBytes, Math.max(pendingLength + n, pending.length * 2L)));
            }
            System.arraycopy(buf, off, pending, pendingLength, n);
            pendingLength += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Where to cut a full buffer: at its end, unless that splits a UTF-8 character, in which case just
     * before the character (it then starts the next piece). Cutting a character in two would make both
     * pieces invalid UTF-8 and the character would be lost to replacement characters.
     */
    private int splitPoint() {
        int end = pendingLength;
        // Walk back over at most 3 continuation bytes (10xxxxxx) to the lead byte of the last character.
        int lead = end - 1;
        while (lead > end - 4 && lead > 0 && (pending[lead] & 0xC0) == 0x80) {
            lead--;
        }
        int b = pending[lead] & 0xFF;
        int charLength = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
        if (charLength > 1 && lead + charLength > end && lead > 0) {
            return lead; // the character is incomplete: keep it whole for the next piece
        }
        return end;
    }

    private void emitSplit(int cut, Consumer<Line> out) {
        Line piece = new Line(Arrays.copyOf(pending, cut), pendingStart, pendingStart + cut, Line.Kind.SPLIT);
        System.arraycopy(pending, cut, pending, 0, pendingLength - cut);
        pendingLength -= cut;
        pendingStart += cut;
        out.accept(piece);
    }

    private void emit(Line.Kind kind, long endOffset, boolean newline, Consumer<Line> out) {
        int len = pendingLength;
        if (newline && len > 0 && pending[len - 1] == '\r') {
            len--;
        }
        out.accept(new Line(Arrays.copyOf(pending, len), pendingStart, endOffset, kind));
        pendingLength = 0;
    }
}
