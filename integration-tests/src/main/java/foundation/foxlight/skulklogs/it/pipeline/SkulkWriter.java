package foundation.foxlight.skulklogs.it.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * A simulated Skulk process: a thread appending Skulk-style lines, each with a unique {@code seq} (0, 1, 2, ...),
 * in bursts with a pause between them, until {@link #stop()} or its line limit. The file is flushed after every
 * burst; {@link #written()} counts flushed lines once the writer has stopped.
 *
 * <p>Between bursts an optional {@link FileChange} may rotate, truncate or replace the file (as logrotate, Skulk's
 * wrapper or loguru would): the writer closes the file before it and opens the path again (append) after it.
 */
public final class SkulkWriter implements AutoCloseable {
    /** Something done to the file between two bursts, with the writer's file closed. */
    @FunctionalInterface
    public interface FileChange {
        /**
         * @param file    the path the writer writes to
         * @param written lines written (and flushed) so far
         */
        void apply(Path file, long written) throws IOException;
    }

    /** Settings of a {@link SkulkWriter}; {@link #start()} starts it. */
    public static final class Builder {
        private final Path file;
        private LongFunction<byte[]> lines;
        private int burst = 50;
        private long pauseMillis = 10;
        private long limit = Long.MAX_VALUE;
        private FileChange between;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file);
        }

        /** Simple Skulk JSON lines with this {@code node_id} (the default generator needs it). */
        public Builder node(String nodeId) {
            this.lines = seq -> simpleLine(nodeId, seq);
            return this;
        }

        /** Lines from {@link SkulkLines} (realistic, with the odd kinds among them), stamped with the time of writing. */
        public Builder lines(SkulkLines generator) {
            this.lines = seq -> generator.line(seq, Instant.now()).bytes();
            return this;
        }

        /** Lines from any generator (bytes without the newline). */
        public Builder lines(LongFunction<byte[]> generator) {
            this.lines = Objects.requireNonNull(generator);
            return this;
        }

        /** {@code burst} lines, then a pause of {@code pauseMillis}: the pace. */
        public Builder pace(int burst, long pauseMillis) {
            this.burst = burst;
            this.pauseMillis = pauseMillis;
            return this;
        }

        /** Stop after this many lines. */
        public Builder limit(long lines) {
            this.limit = lines;
            return this;
        }

        /** Applied between bursts, with the file closed. */
        public Builder between(FileChange change) {
            this.between = change;
            return this;
        }

        public SkulkWriter start() {
            Objects.requireNonNull(lines, "lines: call node(...) or lines(...)");
            return new SkulkWriter(this);
        }
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;

    private SkulkWriter(Builder b) {
        thread = new Thread(() -> {
            try {
                run(b);
            } catch (Throwable t) {
                failure = t;
            }
        }, "skulk-writer");
        thread.start();
    }

    private void run(Builder b) throws IOException {
        OutputStream out = open(b.file);
        try {
            while (running.get() && written.get() < b.limit) {
                long n = Math.min(b.burst, b.limit - written.get());
                for (long i = 0; i < n; i++) {
                    out.write(b.lines.apply(written.get()));
                    out.write('\n');
                    written.incrementAndGet();
                }
                out.flush();
                if (b.between != null) {
                    out.close();
                    b.between.apply(b.file, written.get());
                    out = open(b.file);
                }
                if (b.pauseMillis > 0) {
                    LockSupport.parkNanos(b.pauseMillis * 1_000_000L); // Skulk's pace, not synchronisation
                }
            }
        } finally {
            out.close();
        }
    }

    private static OutputStream open(Path file) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16);
    }

    /** A writer of {@code file}. */
    public static Builder to(Path file) {
        return new Builder(file);
    }

    /** Starts appending {@code burst} simple lines of {@code nodeId} every {@code pauseMillis} to {@code file}. */
    public static SkulkWriter start(Path file, String nodeId, int burst, long pauseMillis) {
        return to(file).node(nodeId).pace(burst, pauseMillis).start();
    }

    /** A simple Skulk JSON line: {@code ts}, {@code level}, {@code node_id}, {@code component}, {@code msg}, {@code seq}. */
    public static byte[] simpleLine(String nodeId, long seq) {
        return ("{\"ts\": \"" + Instant.now() + "\", \"level\": \"INFO\", \"node_id\": \"" + nodeId
                + "\", \"component\": \"worker\", \"msg\": \"line " + seq + "\", \"seq\": " + seq + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the {@link #simpleLine}s {@code from} to {@code from + n - 1} of {@code nodeId} into {@code out} (an agent's stdin,
     * Skulk's internal mode) at once, and flushes.
     *
     * @return the next line's number
     */
    public static long writeLines(OutputStream out, String nodeId, long from, int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (long seq = from; seq < from + n; seq++) {
            b.append(new String(simpleLine(nodeId, seq), StandardCharsets.UTF_8)).append('\n');
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return from + n;
    }

    /** Lines written (and flushed, once {@link #stop()} returned) so far. */
    public long written() {
        return written.get();
    }

    /** Whether the writer thread still runs (false once its limit was reached or it failed). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Stops writing, waits for the thread, and returns how many lines were written.
     *
     * @throws IllegalStateException when the writer failed (an I/O error), with that error as the cause
     */
    public long stop() throws InterruptedException {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("the Skulk writer failed after " + written.get() + " lines", failure);
        }
        return written.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
