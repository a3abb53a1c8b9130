package foundation.foxlight.skulklogs.agent.source;

import foundation.foxlight.skulklogs.agent.buffer.BufferFullException;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.RecordTooLargeException;
import foundation.foxlight.skulklogs.agent.config.FileSourceConfig;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.common.telemetry.FailureStreak;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails one file into the disk buffer. A poll loop on the source's own single-thread worker reads new
 * lines ({@link FileTailer}), appends them as one batch ({@link BufferWriter}) and notes which file offset
 * that buffer record ends at. {@link #commitDurable} moves the file checkpoint forward only over records
 * the buffer reports durable.
 *
 * <p>When the buffer is full the source blocks: it re-reads the same lines later (the file keeps them).
 */
public final class FileSource implements LineSource {
    private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
    /** Failed reads in a row (one per poll interval) after which /health reports the file: not a single hiccup. */
    private static final int PROBLEM_AFTER_FAILURES = 4;
    /** A full buffer pauses the file; a pause is logged (with its end) at most this often. */
    private static final long PAUSE_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private record Pending(long bufferId, FileCheckpointStore.Entry position) {
    }

    private final Vertx vertx;
    private final FileSourceConfig config;
    private final FileCheckpointStore checkpoints;
    private final FileTailer tailer;
    private final BufferWriter writer;
    private final AgentMetrics metrics;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final WorkerExecutor worker;
    private volatile boolean running;
    private Promise<Void> stopped;
    private long timerId = -1;
    private boolean bufferFullLogged; // this pause was logged (in the worker's ordered tasks only, like the two below)
    private long pausedSinceNanos; // 0 while not paused
    private long lastPauseLogNanos;
    /** Failed reads in a row (a disk error, a file it may not read): logged when they start, then every 30 s. */
    private final FailureStreak readFailures = new FailureStreak(Duration.ofSeconds(30));
    private final Deque<Read> held = new ArrayDeque<>(); // read but not yet in the buffer (full): offered again first

    /** Lines read together, and the checkpoint position just after them (in the file they came from). */
    private record Read(List<Line> lines, FileCheckpointStore.Entry position) {
    }

    public FileSource(Vertx vertx, Path path, FileSourceConfig config, FileCheckpointStore checkpoints, DiskBuffer buffer,
            EventEnricher enricher, AgentMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.tailer = new FileTailer(path, config.readFrom(), config.maxLineBytes(), 64 * 1024,
                checkpoints.get(path.toString()).orElse(null));
        this.writer = new BufferWriter(buffer, enricher, metrics, path.toString());
        this.worker = vertx.createSharedWorkerExecutor("skulk-source-" + path, 1);
    }

    @Override
    public String describe() {
        return "file " + tailer.path();
    }

    @Override
    public String problem() {
        return readFailures.count() >= PROBLEM_AFTER_FAILURES
                ? "cannot read or buffer it (" + readFailures.count() + " attempts in a row): " + readFailures.reason() : null;
    }

    @Override
    public Future<Void> start() {
        running = true;
        schedule(0);
        return Future.succeededFuture();
    }

    private void schedule(long delayMillis) {
        if (!running) {
            if (stopped != null) {
                stopped.tryComplete();
            }
            return;
        }
        if (delayMillis <= 0) {
            vertx.runOnContext(v -> pollOnce());
        } else {
            timerId = vertx.setTimer(delayMillis, id -> pollOnce());
        }
    }

    private void pollOnce() {
        worker.executeBlocking(this::readAndBuffer, true).onComplete(ar -> {
            if (ar.failed()) {
                String why = ar.cause() instanceof AccessDeniedException
                        ? "permission denied: the agent runs as " + System.getProperty("user.name") + " and cannot read it"
                        : ar.cause().toString();
                if (readFailures.failed(why)) {
                    LOG.error("{}: reading or buffering failed ({} time(s) in a row; the lines stay in the file), retrying "
                            + "every {} ms: {}", tailer.path(), readFailures.count(), config.pollInterval().toMillis(), why);
                }
                schedule(config.pollInterval().toMillis());
            } else {
                long ended = readFailures.succeeded();
                if (ended > 0) {
                    LOG.info("{}: reading again after {} failed attempt(s)", tailer.path(), ended);
                }
                schedule(ar.result() ? 0 : config.pollInterval().toMillis());
            }
        });
    }

    /** Returns true when it made progress (so the next poll should follow at once). */
    private boolean readAndBuffer() throws IOException {
        Read read = held.pollFirst();
        if (read == null) {
            long unrecoveredBefore = tailer.unrecoveredTruncations();
            long recoveredBefore = tailer.recoveredBytes();
            List<Line> lines = tailer.poll(config.maxBatchBytes());
            if (tailer.unrecoveredTruncations() > unrecoveredBefore) {
                metrics.truncationUnrecovered(tailer.path().toString());
            }
            if (tailer.recoveredBytes() > recoveredBefore) {
                metrics.truncationRecoveredBytes(tailer.path().toString(), tailer.recoveredBytes() - recoveredBefore);
            }
            Line partial = tailer.flushPartialIfIdle(config.partialLineTimeout().toMillis());
            if (partial != null) {
                lines = new ArrayList<>(lines);
                lines.add(partial);
            }
            if (lines.isEmpty()) {
                return false;
            }
            read = new Read(lines, tailer.checkpointPosition());
        }
        try {
            long id = writer.append(read.lines(), read.lines().get(0).startOffset());
            synchronized (pending) {
                pending.add(new Pending(id, read.position()));
            }
            if (read.position() != null) {
                checkpoints.noteBuffered(read.position(), id); // resumes here after a crash if the record survives
            }
            if (bufferFullLogged) {
                LOG.info("{}: the disk buffer has room again; reading resumed after {} ms", tailer.path(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedSinceNanos));
                bufferFullLogged = false;
            }
            pausedSinceNanos = 0;
            return true;
        } catch (BufferFullException e) {
            long now = System.nanoTime();
            if (pausedSinceNanos == 0) {
                pausedSinceNanos = now;
                // A buffer that fills again and again (a small disk while catching up) is reported once a minute
                if (lastPauseLogNanos == 0 || now - lastPauseLogNanos >= PAUSE_LOG_INTERVAL_NANOS) {
                    LOG.warn("{}: {}; pausing this file — its lines stay in the file and are read when there is room",
                            tailer.path(), e.reason());
                    lastPauseLogNanos = now;
                    bufferFullLogged = true;
                }
            }
            held.addFirst(read);
            return false;
        } catch (IOException | RuntimeException e) {
            if (e instanceof RecordTooLargeException tooLarge) {
                return splitOrDrop(read, tooLarge);
            }
            // The buffer could not take them (disk error): keep them and try again at the next poll.
            held.addFirst(read);
            throw e;
        }
    }

    /** A batch too big for the buffer as one record is offered again as two halves; a single such line is dropped and counted. */
    private boolean splitOrDrop(Read read, RecordTooLargeException e) {
        List<Line> lines = read.lines();
        if (lines.size() == 1) {
            metrics.linesDropped(tailer.path().toString(), "larger_than_buffer", 1);
            LOG.error("{}: a line of {} bytes does not fit in the disk buffer at all ({}); dropped and counted", tailer.path(),
                    lines.get(0).bytes().length, e.getMessage());
            return true;
        }
        // The first half's position is just after its last line, in the same file.
        List<Line> first = List.copyOf(lines.subList(0, lines.size() / 2));
        List<Line> second = List.copyOf(lines.subList(lines.size() / 2, lines.size()));
        FileCheckpointStore.Entry p = read.position();
        FileCheckpointStore.Entry mid = p == null ? null
                : new FileCheckpointStore.Entry(p.path(), p.fingerprint(), first.get(first.size() - 1).endOffset(), p.updatedAtMillis());
        held.addFirst(new Read(second, p));
        held.addFirst(new Read(first, mid));
        return true;
    }

    @Override
    public void commitDurable(long durableBufferId) throws IOException {
        FileCheckpointStore.Entry last = null;
        synchronized (pending) {
            while (!pending.isEmpty() && pending.peekFirst().bufferId() <= durableBufferId) {
                last = pending.pollFirst().position();
            }
        }
        if (last != null) {
            checkpoints.put(last);
        }
    }

    @Override
    public Future<Void> stop() {
        stopped = Promise.promise();
        running = false;
        if (timerId >= 0 && vertx.cancelTimer(timerId)) {
            stopped.tryComplete();
        }
        return stopped.future().eventually(() -> worker.executeBlocking(() -> {
            tailer.close();
            return null;
        }).eventually(worker::close)).mapEmpty();
    }
}
