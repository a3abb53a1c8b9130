package foundation.foxlight.skulklogs.agent.source;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into {@link Line}s at {@code \n}. Memory is bounded by {@code maxLineBytes}: a line
 * longer than that is emitted in pieces of at most {@code maxLineBytes} ({@link Line.Kind#SPLIT}), so a
 * 29 GB line without a newline never exhausts the heap. Bytes after the last newline wait in the framer
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
            int room = maxLineBytes - pendingLength;
            int n = Math.min(room, len);
            if (pendingLength + n > pending.length) {
                pending = Arrays.copyOf(pending, Math.min(maxLineBytes, Math.max(pendingLength + n, pending.length * 2)));
            }
            System.arraycopy(buf, off, pending, pendingLength, n);
            pendingLength += n;
            off += n;
            len -= n;
            if (pendingLength == maxLineBytes && len > 0) {
                long partEnd = pendingStart + pendingLength;
                emit(Line.Kind.SPLIT, partEnd, false, out);
                pendingStart = partEnd;
            }
        }
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
