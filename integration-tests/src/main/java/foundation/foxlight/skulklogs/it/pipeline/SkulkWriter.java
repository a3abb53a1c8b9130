package foundation.foxlight.skulklogs.it.pipeline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated Skulk process: a thread appending Skulk-style JSON lines, each with a unique {@code seq}, in
 * bursts with a pause between them, until {@link #stop()}. The file is flushed after every burst.
 */
public final class SkulkWriter implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;

    private SkulkWriter(Path file, String nodeId, int burst, long pauseMillis) {
        thread = new Thread(() -> {
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                while (running.get()) {
                    for (int i = 0; i < burst; i++) {
                        long seq = written.get();
                        w.write("{\"ts\": \"" + Instant.now() + "\", \"level\": \"INFO\", \"node_id\": \"" + nodeId
                                + "\", \"component\": \"worker\", \"msg\": \"line " + seq + "\", \"seq\": " + seq + "}\n");
                        written.incrementAndGet();
                    }
                    w.flush();
                    LockSupport.parkNanos(pauseMillis * 1_000_000L); // Skulk's pace, not synchronisation
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "skulk-writer");
        thread.start();
    }

    /** Starts appending {@code burst} lines every {@code pauseMillis} to {@code file}. */
    public static SkulkWriter start(Path file, String nodeId, int burst, long pauseMillis) {
        return new SkulkWriter(file, nodeId, burst, pauseMillis);
    }

    /** Lines written (and flushed, once {@link #stop()} returned) so far. */
    public long written() {
        return written.get();
    }

    /** Stops writing, waits for the thread, and returns how many lines were written. */
    public long stop() throws InterruptedException {
        running.set(false);
        thread.join();
        return written.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
