package foundation.foxlight.skulklogs.agent.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains standard input into memory from the moment the agent process starts: before the agent is up (the JVM, its
 * disk buffer and Kafka client take a second or two) and while it waits for the agent of Skulk's previous run to let
 * go of the state directory. Skulk's pipe holds 64 KiB; without this, Skulk's writes would block until the agent
 * reads. {@link StdinSource} then reads from {@link #stream()} instead of the pipe.
 *
 * <p>It holds at most {@code maxBytes}. Beyond that, with {@code dropWhenFull}, whole lines are dropped and counted
 * ({@link #takeDroppedLines()}): the line being received when the room ran out is kept whole, the following ones are
 * discarded up to and including their newline, until the consumer has read half of what is held. Without
 * {@code dropWhenFull} (stdin's {@code when_full: block}), the reader waits for room instead, so the writer waits too.
 *
 * <p>Threads: one reader thread ({@code skulk-stdin-prefetch}, a daemon) for the life of the process; {@link #stream()}
 * is read by one consumer thread. It never closes the upstream stream.
 */
public final class StdinPrefetch {
    private static final int CHUNK = 64 * 1024;
    private static final byte[] NEWLINE = {'\n'};

    private final InputStream upstream;
    private final long maxBytes;
    private final boolean dropWhenFull;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(); // guarded by this
    private long heldBytes; // guarded by this
    private boolean ended; // guarded by this: upstream reached its end or failed
    private IOException failure; // guarded by this
    private final AtomicLong droppedLines = new AtomicLong();
    // reader thread only:
    private boolean dropping;
    private boolean atLineStart = true;

    public StdinPrefetch(InputStream upstream, long maxBytes, boolean dropWhenFull) {
        this.upstream = upstream;
        this.maxBytes = maxBytes;
        this.dropWhenFull = dropWhenFull;
    }

    /** Starts the reader thread; call once. */
    public StdinPrefetch start() {
        Thread t = new Thread(this::readLoop, "skulk-stdin-prefetch");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** Lines dropped for want of room since the last call (each line counted once). */
    public long takeDroppedLines() {
        return droppedLines.getAndSet(0);
    }

    /** Whether the upstream has ended (or failed): nothing more will be held. */
    public synchronized boolean upstreamEnded() {
        return ended;
    }

    /** Lines held and not yet read from {@link #stream()} (a last one without its newline counts too). */
    public synchronized long heldLines() {
        long lines = 0;
        for (byte[] c : chunks) {
            for (byte b : c) {
                if (b == '\n') {
                    lines++;
                }
            }
        }
        byte[] last = chunks.peekLast();
        return last != null && last[last.length - 1] != '\n' ? lines + 1 : lines;
    }

    /** What was read, in order; end of stream after the upstream's end, once everything held was read. */
    public InputStream stream() {
        return new InputStream() {
            private byte[] current;
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (current == null || pos == current.length) {
                    current = take();
                    pos = 0;
                    if (current == null) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private synchronized byte[] take() throws IOException {
        while (chunks.isEmpty() && !ended) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for standard input");
            }
        }
        byte[] c = chunks.pollFirst();
        if (c == null) {
            if (failure != null) {
                throw failure;
            }
            return null;
        }
        heldBytes -= c.length;
        notifyAll();
        return c;
    }

    private void readLoop() {
        byte[] buf = new byte[CHUNK];
        try {
            int n;
            while ((n = upstream.read(buf)) >= 0) {
                accept(buf, n);
            }
            end(null);
        } catch (IOException e) {
            end(e);
        } catch (InterruptedException e) {
            end(new java.io.InterruptedIOException("standard input reader interrupted"));
        }
    }

    private synchronized void end(IOException e) {
        ended = true;
        failure = e;
        notifyAll();
    }

    /** Keeps, waits for room or drops {@code buf[0..n)}, whole lines at a time. Reader thread. */
    private void accept(byte[] buf, int n) throws InterruptedException {
        int pos = 0;
        while (pos < n) {
            if (dropping) {
                int nl = indexOfNewline(buf, pos, n);
                if (nl < 0) {
                    return; // the rest of a dropped line
                }
                droppedLines.incrementAndGet();
                pos = nl + 1;
                atLineStart = true;
                synchronized (this) {
                    dropping = heldBytes > maxBytes / 2;
                }
                continue;
            }
            synchronized (this) {
                if (heldBytes + (n - pos) <= maxBytes) {
                    keep(buf, pos, n);
                    return;
                }
                if (!dropWhenFull) {
                    while (heldBytes + (n - pos) > maxBytes && heldBytes > 0) {
                        wait();
                    }
                    keep(buf, pos, n);
                    return;
                }
            }
            // Out of room: finish the line being received (no line is cut), then drop from the next one.
            if (!atLineStart) {
                int nl = indexOfNewline(buf, pos, n);
                synchronized (this) {
                    if (nl >= 0) {
                        keep(buf, pos, nl + 1);
                        pos = nl + 1;
                    } else if (heldBytes < 2 * maxBytes) {
                        keep(buf, pos, n); // the line goes on: keep it, up to twice the room
                        return;
                    } else { // a line without end: what is held of it becomes a line of its own, the rest is dropped
                        keep(buf, pos, n);
                        keep(NEWLINE, 0, 1);
                        pos = n;
                        atLineStart = false; // the dropped rest ends at its newline, and is counted there
                    }
                }
            }
            dropping = true;
        }
    }

    /** Holds {@code buf[from..to)}; caller holds the lock. */
    private void keep(byte[] buf, int from, int to) {
        if (to <= from) {
            return;
        }
        byte[] c = java.util.Arrays.copyOfRange(buf, from, to);
        chunks.addLast(c);
        heldBytes += c.length;
        atLineStart = c[c.length - 1] == '\n';
        notifyAll();
    }

    private static int indexOfNewline(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
