package foundation.foxlight.skulklogs.agent.source;

import foundation.foxlight.skulklogs.agent.buffer.BufferFullException;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.RecordTooLargeException;
import foundation.foxlight.skulklogs.agent.config.AgentConfig.WhenFull;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads log lines from a stream — the agent's standard input in production, where Skulk ("internal" mode)
 * pipes its JSON log into the shipper it spawned — and appends them, in batches, to the disk buffer with
 * source name {@value #SOURCE}.
 *
 * <h2>Threading</h2>
 * Two dedicated daemon threads, never a Vert.x thread:
 * <ul>
 *   <li><b>reader</b> ({@code skulk-stdin-reader}): blocks in {@link InputStream#read(byte[])}, frames lines
 *       ({@link LineFramer}) and hands them to a bounded in-memory queue ({@link StdinConfig#maxPendingBytes()}).
 *       It never touches the disk, so a full buffer or a stalled disk cannot stall it;</li>
 *   <li><b>appender</b> ({@code skulk-stdin-appender}): takes lines from the queue, batches them (up to
 *       {@link StdinConfig#maxBatchLines()} lines, about {@link StdinConfig#maxBatchBytes()} bytes, or what
 *       arrived within {@link StdinConfig#maxBatchDelay()} of the first), appends each batch as one buffer
 *       record ({@link BufferWriter}), ships an unterminated line after {@link StdinConfig#partialLineTimeout()}
 *       of silence, and writes the drop summaries to the log.</li>
 * </ul>
 * Only {@link #start()}, {@link #stop()} and {@link #finished()} complete on the Vert.x context that called
 * {@code start}; {@link #commitDurable} may be called from any thread.
 *
 * <h2>When the buffer is full</h2>
 * With {@link WhenFull#DROP_NEWEST} (the default) a full buffer never blocks the writer — Skulk's logging must
 * not block, and Skulk disables its JSON sink when its pipe breaks: the reader keeps draining the pipe, and a
 * batch the buffer refuses ({@link BufferFullException}) is dropped and counted
 * ({@code skulk_agent_lines_dropped_total{source="stdin",reason="buffer_full"}}, or {@code disk_full} when the
 * buffer's disk has no space left). The source reads only as fast as it processes lines: during a burst faster
 * than that the reader waits for the queue, as long as the appender keeps taking lines; if the appender takes nothing
 * for 500 ms (a stalled disk), lines are dropped at once (reason {@code backlog_full}) until it takes lines again.
 * In the agent the pipe itself is drained by a {@link StdinPrefetch} from the process's start, which holds another
 * {@link StdinConfig#maxPendingBytes()} while the reader waits, and drops whole lines beyond (also
 * {@code backlog_full}, counted here). One log line at most every
 * 10 s sums up the drops since the previous one. With
 * {@link WhenFull#BLOCK} the appender waits for room and, once the queue is full, the reader waits too, so
 * backpressure reaches the writer and nothing is dropped (for producers that can wait, such as a piped file).
 * Every line read is counted in {@code skulk_agent_lines_read_total}, whether appended or dropped.
 *
 * <h2>Positions</h2>
 * A stream cannot be re-read, so there is no checkpoint: {@link #commitDurable} only records how many lines
 * are durably in the buffer ({@link #linesDurable()}). Lines read but not yet appended when the process
 * dies are lost; that window is bounded by {@link StdinConfig#maxBatchDelay()} and the queue.
 *
 * <h2>Lifecycle</h2>
 * {@link #start()} starts both threads. At end of input (the writer closed the pipe) or on a read error the
 * pending partial line is shipped (flagged {@code log.partial}), everything queued is appended, the end is
 * logged and {@link #finished()} completes; when stdin is its only source, the agent then stops (see
 * {@code Agent.inputEnded()}).
 * {@link #stop()} makes the appender append what is already queued and exit; it completes once the appender
 * is done, after which the buffer is no longer touched. The reader cannot be woken from a blocking
 * {@code read}: it stays parked until the next input or end of input, then discards (and counts, reason
 * {@code stopped}) what it read and exits. The stream is not closed.
 */
public final class StdinSource implements LineSource {
    private static final Logger LOG = LoggerFactory.getLogger(StdinSource.class);

    /** The source name written into every batch. */
    public static final String SOURCE = "stdin";

    static final String REASON_BACKLOG_FULL = "backlog_full";
    static final String REASON_TOO_LARGE = "too_large";
    static final String REASON_BUFFER_ERROR = "buffer_error";
    static final String REASON_STOPPED = "stopped";

    private static final long DROP_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long ROOM_RETRY_MILLIS = 50;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;
    private static final int READ_CHUNK = 64 * 1024;

    private record Appended(long bufferId, int lines) {
    }

    private final Vertx vertx;
    private final InputStream in;
    private final StdinPrefetch prefetch; // null when reading the stream directly
    private final StdinConfig config;
    private final BufferWriter writer;
    private final AgentMetrics metrics;
    private final LineQueue queue;

    private final ReentrantLock framerLock = new ReentrantLock();
    private final LineFramer framer; // guarded by framerLock
    private long lastInputNanos; // guarded by framerLock
    private boolean stalled; // guarded by framerLock: the appender took nothing for STALL_NANOS

    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong linesAppended = new AtomicLong();
    private final AtomicLong linesDropped = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bufferFullWaits = new AtomicLong();
    private final ConcurrentMap<String, AtomicLong> droppedSinceReport = new ConcurrentHashMap<>();
    private long lastReportNanos; // appender thread only
    private long lastFullLogNanos; // appender thread only
    private long lastErrorLogNanos; // appender thread only

    private final Deque<Appended> appended = new ArrayDeque<>(); // guarded by itself
    private final AtomicLong linesDurable = new AtomicLong();

    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile String endReason; // set by the reader when input ended
    private final Promise<Void> finished = Promise.promise();
    private Context context;
    private Thread readerThread;
    private Thread appenderThread;

    /**
     * @param vertx    used only to complete futures on the caller's context and to wait for the appender in {@link #stop()}
     * @param in       the stream to read (production: {@code System.in}); read by the reader thread only, never closed
     * @param config   batching, limits and {@code when_full}
     * @param buffer   the agent's disk buffer
     * @param enricher fills node_id, component and ts of lines without them
     * @param metrics  the agent's counters
     */
    public StdinSource(Vertx vertx, InputStream in, StdinConfig config, DiskBuffer buffer, EventEnricher enricher,
            AgentMetrics metrics) {
        this(vertx, in, null, config, buffer, enricher, metrics);
    }

    /**
     * Reads what {@code prefetch} drained from standard input since the process started; the lines it had to drop
     * are counted here (reason {@code backlog_full}).
     */
    public StdinSource(Vertx vertx, StdinPrefetch prefetch, StdinConfig config, DiskBuffer buffer, EventEnricher enricher,
            AgentMetrics metrics) {
        this(vertx, prefetch.stream(), prefetch, config, buffer, enricher, metrics);
    }

    private StdinSource(Vertx vertx, InputStream in, StdinPrefetch prefetch, StdinConfig config, DiskBuffer buffer,
            EventEnricher enricher, AgentMetrics metrics) {
        List<String> errors = config.validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid stdin source configuration: " + String.join("; ", errors));
        }
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.in = Objects.requireNonNull(in, "in");
        this.prefetch = prefetch;
        this.config = config;
        this.metrics = metrics;
        this.writer = new BufferWriter(buffer, enricher, metrics, SOURCE);
        this.framer = new LineFramer(config.maxLineBytes(), 0);
        this.queue = new LineQueue(config.maxPendingBytes());
    }

    @Override
    public String describe() {
        return "stdin";
    }

    @Override
    public synchronized Future<Void> start() {
        if (readerThread != null) {
            return Future.failedFuture(new IllegalStateException("stdin source already started"));
        }
        context = vertx.getOrCreateContext();
        lastInputNanos = System.nanoTime();
        readerThread = new Thread(this::readLoop, "skulk-stdin-reader");
        readerThread.setDaemon(true);
        appenderThread = new Thread(this::appendLoop, "skulk-stdin-appender");
        appenderThread.setDaemon(true);
        appenderThread.start();
        readerThread.start();
        LOG.info("stdin: reading (when the disk buffer is full: {})", config.whenFull().name().toLowerCase(java.util.Locale.ROOT));
        return Future.succeededFuture();
    }

    /**
     * Completes (on the context that called {@link #start()}) once the source will append nothing more: after end
     * of input or a read error, when every line read has been appended or counted as dropped; or after {@link #stop()}.
     */
    public Future<Void> finished() {
        return finished.future();
    }

    @Override
    public void commitDurable(long durableBufferId) {
        long lines = 0;
        synchronized (appended) {
            while (!appended.isEmpty() && appended.peekFirst().bufferId() <= durableBufferId) {
                lines += appended.pollFirst().lines();
            }
        }
        linesDurable.addAndGet(lines);
    }

    @Override
    public Future<Void> stop() {
        Thread appenderToJoin;
        synchronized (this) {
            appenderToJoin = appenderThread;
            stopRequested = true;
        }
        stopSignal.countDown();
        queue.wakeForStop();
        if (appenderToJoin == null) {
            finished.tryComplete();
            return Future.succeededFuture();
        }
        return vertx.<Void>executeBlocking(() -> {
            appenderToJoin.join(STOP_TIMEOUT_MILLIS);
            if (appenderToJoin.isAlive()) {
                LOG.warn("stdin: the appender thread did not stop within {} ms", STOP_TIMEOUT_MILLIS);
            }
            return null;
        }, false);
    }

    /** Lines framed from the input so far (appended + dropped + still queued). */
    public long linesRead() {
        return linesRead.get();
    }

    /** Lines appended to the buffer. */
    public long linesAppended() {
        return linesAppended.get();
    }

    /** Lines read and dropped (buffer full, backlog full, too large, buffer error, stopped). */
    public long linesDropped() {
        return linesDropped.get();
    }

    /** Lines of buffer records reported durable through {@link #commitDurable}. */
    public long linesDurable() {
        return linesDurable.get();
    }

    /** How many appends found the buffer full (each then dropped its batch, or waited with when_full=block). */
    public long bufferFullWaits() {
        return bufferFullWaits.get();
    }

    /** Bytes read from the stream. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Why the input ended ("end of input", "read error: ..."), or null while it is open. */
    public String endReason() {
        return endReason;
    }

    // ---------------------------------------------------------------------------------------------
    // reader thread

    private void readLoop() {
        byte[] buf = new byte[READ_CHUNK];
        String reason = "end of input";
        try {
            while (!stopRequested) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    continue;
                }
                bytesRead.addAndGet(n);
                framerLock.lock();
                try {
                    lastInputNanos = System.nanoTime();
                    framer.feed(buf, 0, n, this::enqueueLocked);
                } finally {
                    framerLock.unlock();
                }
            }
            if (stopRequested) {
                reason = "stopped";
            }
        } catch (IOException | RuntimeException e) {
            reason = "read error: " + e;
            LOG.error("stdin: reading failed ({}); the stdin source stops — the lines read before are kept", e.toString());
        } catch (Error e) {
            reason = "read error: " + e;
            LOG.error("stdin: reading failed; the stdin source stops", e);
            throw e;
        } finally {
            endOfInput(reason);
        }
    }

    /** Ships the unterminated last line (if any) and lets the appender finish. */
    private void endOfInput(String reason) {
        framerLock.lock();
        try {
            Line partial = framer.flushPartial();
            if (partial != null) {
                enqueueLocked(partial);
            }
            endReason = reason;
            queue.close();
        } finally {
            framerLock.unlock();
        }
    }

    /** Called with framerLock held, by the reader (and by the appender for a timed-out partial line). */
    private void enqueueLocked(Line line) {
        linesRead.incrementAndGet();
        if (stopRequested) {
            drop(1, REASON_STOPPED);
            return;
        }
        if (config.whenFull() == WhenFull.DROP_NEWEST) {
            if (queue.offer(line)) {
                stalled = false;
                return;
            }
            // The appender is behind. While it makes progress, wait for it (the writer is slowed down to the
            // speed lines are processed at, as by any reader); once it has not taken anything for
            // STALL_NANOS (disk stalled), drop at once until it takes lines again.
            try {
                if (!stalled && queue.offer(line, STALL_NANOS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stalled = true;
            drop(1, REASON_BACKLOG_FULL);
            return;
        }
        try {
            while (!queue.offer(line, TICK_NANOS)) {
                if (stopRequested) {
                    drop(1, REASON_STOPPED);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop(1, REASON_STOPPED);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // appender thread

    private void appendLoop() {
        try {
            while (true) {
                Line first = queue.poll(TICK_NANOS);
                if (first == null) {
                    housekeeping();
                    if (queue.closedAndEmpty()) {
                        break;
                    }
                    if (stopRequested) {
                        // Barrier: a reader enqueue in progress finishes; any later one sees stopRequested.
                        framerLock.lock();
                        framerLock.unlock();
                        if (queue.isEmpty()) {
                            break;
                        }
                    }
                    continue;
                }
                List<Line> batch = new ArrayList<>();
                batch.add(first);
                long bytes = first.bytes().length;
                long deadline = System.nanoTime() + config.maxBatchDelay().toNanos();
                while (batch.size() < config.maxBatchLines() && bytes < config.maxBatchBytes()) {
                    long wait = deadline - System.nanoTime();
                    Line next = wait > 0 ? queue.poll(wait) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    bytes += next.bytes().length;
                }
                appendOrDrop(batch);
                housekeeping();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("stdin: the appender was interrupted; the stdin source stops");
        } catch (RuntimeException e) {
            LOG.error("stdin: the appender failed; the stdin source stops", e);
        } finally {
            finish();
        }
    }

    private void appendOrDrop(List<Line> batch) {
        while (true) {
            try {
                long id = writer.append(batch, -1);
                synchronized (appended) {
                    appended.add(new Appended(id, batch.size()));
                }
                linesAppended.addAndGet(batch.size());
                return;
            } catch (BufferFullException e) {
                bufferFullWaits.incrementAndGet();
                long now = System.nanoTime();
                if (config.whenFull() == WhenFull.BLOCK
                        && (lastFullLogNanos == 0 || now - lastFullLogNanos >= DROP_REPORT_INTERVAL_NANOS)) {
                    lastFullLogNanos = now;
                    LOG.warn("stdin: {}; when_full=block: reading stdin pauses until there is room — the writer blocks "
                            + "meanwhile", e.reason());
                }
                if (config.whenFull() == WhenFull.DROP_NEWEST || stopRequested || !awaitRoom()) {
                    drop(batch.size(), e.metricReason());
                    return;
                }
            } catch (RecordTooLargeException e) {
                if (batch.size() > 1) {
                    int half = batch.size() / 2;
                    appendOrDrop(new ArrayList<>(batch.subList(0, half)));
                    appendOrDrop(new ArrayList<>(batch.subList(half, batch.size())));
                } else {
                    LOG.warn("stdin: a line of {} bytes can never fit in the disk buffer ({}); dropped",
                            batch.get(0).bytes().length, e.getMessage());
                    drop(1, REASON_TOO_LARGE);
                }
                return;
            } catch (IOException | RuntimeException e) {
                long now = System.nanoTime();
                if (lastErrorLogNanos == 0 || now - lastErrorLogNanos >= DROP_REPORT_INTERVAL_NANOS) {
                    lastErrorLogNanos = now;
                    LOG.error("stdin: appending to the disk buffer failed ({}); {} lines dropped (stdin cannot wait)",
                            e.toString(), batch.size());
                }
                drop(batch.size(), REASON_BUFFER_ERROR);
                return;
            }
        }
    }

    /** Waits a little for room (when_full=block); false when stopping. */
    private boolean awaitRoom() {
        try {
            return !stopSignal.await(ROOM_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void housekeeping() {
        flushPartialIfIdle();
        countPrefetchDrops();
        reportDrops(false);
    }

    /** Lines the prefetch dropped while nobody read it (the agent starting, or waiting for its predecessor). */
    private void countPrefetchDrops() {
        long n = prefetch == null ? 0 : prefetch.takeDroppedLines();
        if (n > 0) {
            drop(n, REASON_BACKLOG_FULL);
        }
    }

    private void flushPartialIfIdle() {
        if (!framerLock.tryLock()) {
            return; // the reader is busy feeding: there is input, so the line is not idle
        }
        try {
            if (framer.pendingBytes() > 0 && !queue.closed()
                    && System.nanoTime() - lastInputNanos >= config.partialLineTimeout().toNanos()) {
                Line partial = framer.flushPartial();
                linesRead.incrementAndGet();
                queue.forceAdd(partial); // after everything the reader queued before it: order is kept
            }
        } finally {
            framerLock.unlock();
        }
    }

    private void drop(long n, String reason) {
        metrics.linesRead(SOURCE, n);
        metrics.linesDropped(SOURCE, reason, n);
        linesDropped.addAndGet(n);
        droppedSinceReport.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(n);
    }

    /** Logs the drops since the last report: at once for the first, then at most every 10 s (or when forced). */
    private void reportDrops(boolean force) {
        long now = System.nanoTime();
        if (!force && lastReportNanos != 0 && now - lastReportNanos < DROP_REPORT_INTERVAL_NANOS) {
            return;
        }
        Map<String, Long> byReason = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, AtomicLong> e : droppedSinceReport.entrySet()) {
            long n = e.getValue().getAndSet(0);
            if (n > 0) {
                byReason.put(e.getKey(), n);
                total += n;
            }
        }
        if (total == 0) {
            return;
        }
        lastReportNanos = now;
        LOG.warn("stdin: dropped {} lines since the last report {} ({} dropped of {} read in total); "
                + "buffer_full/backlog_full mean the disk buffer cannot take them (Kafka too slow or unreachable), disk_full "
                + "that its disk has no space left — "
                + "stdin is never paused so that the writer is never blocked", total, byReason, linesDropped.get(), linesRead.get());
    }

    private void finish() {
        countPrefetchDrops();
        reportDrops(true);
        String reason = endReason;
        if (reason != null && queue.closedAndEmpty()) {
            LOG.info("stdin: {}; the stdin source has finished after {} lines ({} appended, {} dropped)", reason, linesRead.get(), linesAppended.get(),
                    linesDropped.get());
        } else {
            LOG.info("stdin: stopped after {} lines ({} appended, {} dropped)", linesRead.get(), linesAppended.get(),
                    linesDropped.get());
        }
        Context ctx = context;
        if (ctx != null) {
            ctx.runOnContext(v -> finished.tryComplete());
        } else {
            finished.tryComplete();
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * The bounded hand-off between the reader and the appender, bounded by bytes (each line costs its length
     * plus a fixed overhead). A line is always accepted into an empty queue, so one huge line cannot wedge it.
     */
    private static final class LineQueue {
        private static final long LINE_OVERHEAD = 64;

        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notEmpty = lock.newCondition();
        private final Condition notFull = lock.newCondition();
        private final ArrayDeque<Line> lines = new ArrayDeque<>();
        private final long maxBytes;
        private long bytes;
        private boolean closed;
        private boolean stopping;

        LineQueue(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        private static long cost(Line l) {
            return l.bytes().length + LINE_OVERHEAD;
        }

        private boolean fits(Line l) {
            return lines.isEmpty() || bytes + cost(l) <= maxBytes;
        }

        private void add(Line l) {
            lines.add(l);
            bytes += cost(l);
            notEmpty.signal();
        }

        boolean offer(Line l) {
            lock.lock();
            try {
                if (!fits(l)) {
                    return false;
                }
                add(l);
                return true;
            } finally {
                lock.unlock();
            }
        }

        boolean offer(Line l, long nanos) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (!fits(l)) {
                    if (nanos <= 0) {
                        return false;
                    }
                    nanos = notFull.awaitNanos(nanos);
                }
                add(l);
                return true;
            } finally {
                lock.unlock();
            }
        }

        void forceAdd(Line l) {
            lock.lock();
            try {
                add(l);
            } finally {
                lock.unlock();
            }
        }

        Line poll() {
            lock.lock();
            try {
                Line l = lines.poll();
                if (l != null) {
                    bytes -= cost(l);
                    notFull.signal();
                }
                return l;
            } finally {
                lock.unlock();
            }
        }

        /** Waits up to {@code nanos} for a line; returns null on timeout, at end of input, or when stopping, if empty. */
        Line poll(long nanos) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (lines.isEmpty()) {
                    if (closed || stopping || nanos <= 0) {
                        return null;
                    }
                    nanos = notEmpty.awaitNanos(nanos);
                }
                return poll();
            } finally {
                lock.unlock();
            }
        }

        void close() {
            lock.lock();
            try {
                closed = true;
                notEmpty.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void wakeForStop() {
            lock.lock();
            try {
                stopping = true;
                notEmpty.signalAll();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
        }

        boolean closed() {
            lock.lock();
            try {
                return closed;
            } finally {
                lock.unlock();
            }
        }

        boolean isEmpty() {
            lock.lock();
            try {
                return lines.isEmpty();
            } finally {
                lock.unlock();
            }
        }

        boolean closedAndEmpty() {
            lock.lock();
            try {
                return closed && lines.isEmpty();
            } finally {
                lock.unlock();
            }
        }
    }
}
