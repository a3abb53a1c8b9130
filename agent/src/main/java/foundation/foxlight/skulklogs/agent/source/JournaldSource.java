package foundation.foxlight.skulklogs.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import foundation.foxlight.skulklogs.agent.buffer.BufferFullException;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.RecordTooLargeException;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.common.delivery.Backoff;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Skulk's output in the systemd journal by running {@code journalctl --output=json --follow ...} as a
 * child process ({@link JournaldConfig#arguments}) and appends each entry's {@code MESSAGE} — the Skulk line — to
 * the disk buffer with source name {@value #SOURCE}, through the same {@link BufferWriter} path as files (lenient
 * JSON parse, flags, enrichment).
 *
 * <h2>Threading</h2>
 * One dedicated daemon thread ({@code skulk-journald}) starts {@code journalctl}, reads its standard output
 * (blocking), parses the entries, batches them and appends each batch; it also waits out the restart backoff. A
 * small daemon thread per child copies {@code journalctl}'s standard error to the log. Nothing runs on a Vert.x
 * thread: only {@link #start()} and {@link #stop()} complete on the caller's context; {@link #commitDurable} runs
 * on the caller's (worker) thread.
 *
 * <h2>Entries</h2>
 * One JSON object per line. {@code MESSAGE} is a string, or an array of byte values when it is not printable
 * UTF-8 (invalid bytes, ANSI escape codes): both give the original bytes, which {@link BufferWriter} parses (invalid
 * UTF-8 is replaced and flagged). A multi-valued {@code MESSAGE} (an array of such values) gives one line per value.
 * A message longer than {@link JournaldConfig#maxLineBytes()} is cut into flagged pieces. Entries without a message,
 * and output that is not a journal entry, are counted as dropped ({@code no_message}, {@code unreadable_entry},
 * {@code entry_too_large}). With {@link JournaldConfig#identifier()} set, entries of another
 * {@code SYSLOG_IDENTIFIER} are skipped (not lines of Skulk; not counted as read). A batch is appended when it holds
 * {@link JournaldConfig#maxBatchLines()} lines or {@link JournaldConfig#maxBatchBytes()} bytes, or as soon as
 * {@code journalctl} has nothing more to say for the moment (its pipe is empty), so lines are never held back.
 *
 * <h2>Positions and acknowledgements</h2>
 * The {@code __CURSOR} of the last entry of each appended batch is noted with the batch's buffer record id.
 * {@link #commitDurable(long)} persists ({@link JournaldCursorStore}) the cursor of the newest batch whose record
 * is durable, and nothing newer — so after a crash the source resumes with {@code --after-cursor} at a line that
 * is in the buffer: duplicates are possible, loss is not. When {@code journalctl} is restarted within a run it
 * resumes after the last <em>appended</em> entry (those lines are in the buffer already).
 *
 * <h2>Buffer full, failures</h2>
 * When the buffer is full the source blocks: it stops reading {@code journalctl}'s output, which then blocks on
 * its pipe; the journal keeps the data and no application is slowed down. If {@code journalctl} cannot be started
 * (not installed) or exits, this is logged clearly and it is restarted with exponential backoff
 * ({@link JournaldConfig#restartBackoffInitial()} .. {@link JournaldConfig#restartBackoffMax()}). If it rejects
 * the saved cursor, the source resumes from the time stored in that cursor ({@code --since=@seconds}).
 *
 * <h2>Lifecycle</h2>
 * {@link #start()} starts the thread. {@link #stop()} destroys the child process and completes once the thread has
 * ended (a batch not yet appended is discarded: it is read again after the next start, from the saved cursor).
 */
public final class JournaldSource implements LineSource {
    private static final Logger LOG = LoggerFactory.getLogger(JournaldSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The source name written into every batch. */
    public static final String SOURCE = "journald";

    static final String REASON_NO_MESSAGE = "no_message";
    static final String REASON_UNREADABLE = "unreadable_entry";
    static final String REASON_ENTRY_TOO_LARGE = "entry_too_large";
    static final String REASON_TOO_LARGE = "too_large";

    private static final long FULL_RETRY_MILLIS = 100;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    /**
     * How long a journalctl ended by a signal waits for the agent's own stop before it counts as an exit: systemd
     * (KillMode=control-group) and a terminal's Ctrl-C signal the whole unit or process group at once.
     */
    private static final long SIGNAL_GRACE_MILLIS = 1_000;
    private static final int READ_CHUNK = 64 * 1024;
    private static final int STDERR_LINES_LOGGED = 20;
    private static final int STDERR_TAIL = 5;

    private record Pending(long bufferId, String cursor) {
    }

    /** Thrown on the reader thread when {@link #stop()} interrupts a blocking wait. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private final Vertx vertx;
    private final JournaldConfig config;
    private final JournaldCursorStore cursors;
    private final BufferWriter writer;
    private final AgentMetrics metrics;
    private final Counter restartCounter;
    private final int maxEntryBytes;
    private final Backoff restartBackoff;
    private final Backoff appendBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    private final Object lifecycle = new Object();
    private volatile boolean running;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private Thread thread; // guarded by lifecycle
    private Process child; // guarded by lifecycle

    private final Deque<Pending> pending = new ArrayDeque<>(); // guarded by itself
    private volatile String readCursor; // cursor of the last entry appended (or accounted for) in this run
    private volatile String sinceFallback; // when journalctl rejected the cursor: the time it pointed at
    private volatile boolean storedCursorRejected;

    // reader thread only
    private long lastAppendedId;
    private List<Line> batch = new ArrayList<>();
    private long batchBytes;
    private String batchCursor;
    private long batchSequence = -1;
    private long lineSequence;
    private boolean skippingOversized;
    private long entriesThisRun;
    private long pausedSinceNanos;
    private long lastFullLogNanos;
    private long lastUnreadableLogNanos;

    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger startFailures = new AtomicInteger();
    private final AtomicInteger exits = new AtomicInteger();
    private final AtomicInteger signalled = new AtomicInteger();
    private final AtomicLong entriesRead = new AtomicLong();
    private final AtomicLong entriesSkipped = new AtomicLong();
    private final AtomicLong linesAppended = new AtomicLong();
    private final AtomicLong linesDropped = new AtomicLong();
    private final AtomicLong bufferFullWaits = new AtomicLong();
    private volatile String lastError;
    private volatile List<String> lastCommand = List.of();
    private volatile List<String> lastStderr = List.of();

    /**
     * @param vertx    used only to wait for the reader thread in {@link #stop()} (on a worker)
     * @param config   what to run and how to batch
     * @param cursors  where the durable cursor is kept (its cursor, if any, is where the first {@code journalctl} resumes)
     * @param buffer   the agent's disk buffer
     * @param enricher fills node_id, component and ts of lines without them
     * @param metrics  the agent's counters
     */
    public JournaldSource(Vertx vertx, JournaldConfig config, JournaldCursorStore cursors, DiskBuffer buffer,
            EventEnricher enricher, AgentMetrics metrics) {
        List<String> errors = config.validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid journald source configuration: " + String.join("; ", errors));
        }
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = config;
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.metrics = metrics;
        this.writer = new BufferWriter(buffer, enricher, metrics, SOURCE);
        this.restartCounter = Counter.builder("skulk_agent_source_restarts_total").tag("source", SOURCE)
                .description("times the journald source restarted journalctl (after an exit or a failed start)")
                .register(metrics.registry());
        // Byte arrays cost up to 4 characters per byte ("255,"); leave room for the other fields.
        this.maxEntryBytes = (int) Math.min(Integer.MAX_VALUE - 64, 8L * config.maxLineBytes() + 64 * 1024);
        this.restartBackoff = new Backoff(config.restartBackoffInitial(), config.restartBackoffMax());
    }

    @Override
    public String describe() {
        String scope = config.unit().isEmpty() ? "all units" : "unit " + config.unit();
        return "journald " + scope + (config.user() ? " (user journal)" : "") + " via " + config.command().get(0);
    }

    @Override
    public Future<Void> start() {
        synchronized (lifecycle) {
            if (thread != null) {
                return Future.failedFuture(new IllegalStateException("journald source already started"));
            }
            running = true;
            thread = new Thread(this::run, "skulk-journald");
            thread.setDaemon(true);
            thread.start();
        }
        return Future.succeededFuture();
    }

    @Override
    public void commitDurable(long durableBufferId) throws IOException {
        String last = null;
        synchronized (pending) {
            while (!pending.isEmpty() && pending.peekFirst().bufferId() <= durableBufferId) {
                last = pending.pollFirst().cursor();
            }
        }
        if (last != null) {
            cursors.put(last);
            storedCursorRejected = false;
        }
        cursors.save(); // also retries a save that failed earlier
    }

    @Override
    public Future<Void> stop() {
        Thread t;
        synchronized (lifecycle) {
            running = false;
            t = thread;
            if (child != null) {
                child.destroy();
            }
        }
        stopSignal.countDown();
        if (t == null) {
            return Future.succeededFuture();
        }
        return vertx.<Void>executeBlocking(() -> {
            t.join(STOP_TIMEOUT_MILLIS);
            if (t.isAlive()) {
                synchronized (lifecycle) {
                    if (child != null) {
                        child.destroyForcibly();
                    }
                }
                t.join(STOP_TIMEOUT_MILLIS);
                if (t.isAlive()) {
                    LOG.warn("journald: the reader thread did not stop within {} ms", 2 * STOP_TIMEOUT_MILLIS);
                }
            }
            return null;
        }, false);
    }

    /** How many times {@code journalctl} was started successfully. */
    public int starts() {
        return starts.get();
    }

    /** How many attempts to start {@code journalctl} failed (e.g. not installed). */
    public int startFailures() {
        return startFailures.get();
    }

    /** How many times a started {@code journalctl} exited (by itself, not by {@link #stop()}). */
    public int exits() {
        return exits.get();
    }

    /** How many times a started {@code journalctl} ended by a signal (an exit, unless the agent stopped right after). */
    int signalled() {
        return signalled.get();
    }

    /** The last problem (start failure, exit, buffer error), for status pages; null when none yet. */
    public String lastError() {
        return lastError;
    }

    /** The command line of the last {@code journalctl} started (or attempted). */
    public List<String> lastCommand() {
        return lastCommand;
    }

    /** Journal entries read (including skipped and dropped ones). */
    public long entriesRead() {
        return entriesRead.get();
    }

    /** Entries skipped because of {@link JournaldConfig#identifier()}. */
    public long entriesSkipped() {
        return entriesSkipped.get();
    }

    /** Lines appended to the buffer. */
    public long linesAppended() {
        return linesAppended.get();
    }

    /** Lines (entries) dropped, by any reason. */
    public long linesDropped() {
        return linesDropped.get();
    }

    /** How many times an append found the buffer full (and the source waited). */
    public long bufferFullWaits() {
        return bufferFullWaits.get();
    }

    // ---------------------------------------------------------------------------------------------
    // the reader thread

    private void run() {
        try {
            while (running) {
                String cursor = resumeCursor();
                String since = cursor == null ? sinceFallback : null;
                List<String> cmd = config.arguments(cursor, since);
                lastCommand = List.copyOf(cmd);
                Process p = launch(cmd);
                if (p == null) {
                    if (!pause(restartBackoff.nextDelayMillis())) {
                        break;
                    }
                    restartCounter.increment();
                    continue;
                }
                long delay;
                try {
                    int exit = follow(p);
                    if (!running || endedByTheAgentsOwnStop(exit)) {
                        break;
                    }
                    delay = afterExit(exit, cursor);
                } catch (Stopped e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A bug, not an I/O problem: never let it end the source for good.
                    p.destroyForcibly();
                    resetBatch();
                    delay = restartBackoff.nextDelayMillis();
                    lastError = "journald source failed: " + e;
                    LOG.error("journald: reading the journal failed; restarting journalctl in {} ms", delay, e);
                }
                if (!pause(delay)) {
                    break;
                }
                restartCounter.increment();
            }
        } catch (Stopped e) {
            // stop() while blocked: the unappended batch is read again after the next start
        } catch (RuntimeException | Error e) {
            lastError = "journald source failed: " + e;
            LOG.error("journald: the source failed and stops reading the journal", e);
        } finally {
            synchronized (lifecycle) {
                if (child != null) {
                    child.destroy();
                    child = null;
                }
            }
            LOG.info("journald: stopped after {} entries ({} lines appended, {} dropped)", entriesRead.get(),
                    linesAppended.get(), linesDropped.get());
        }
    }

    private String resumeCursor() {
        String c = readCursor;
        if (c == null && !storedCursorRejected) {
            c = cursors.cursor().orElse(null);
        }
        return c;
    }

    /** Starts journalctl; null (after logging) when it cannot be started. */
    private Process launch(List<String> cmd) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("SYSTEMD_COLORS", "0");
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            int failures = startFailures.incrementAndGet();
            String msg = String.valueOf(e.getMessage());
            String program = cmd.get(0);
            if (msg.contains("error=2,") || msg.contains("No such file")) {
                lastError = program + " not found: the journald source needs systemd's journalctl (" + msg + ")";
            } else {
                lastError = "could not start " + program + ": " + msg;
            }
            LOG.error("journald: {}; attempt {}, retrying with backoff", lastError, failures);
            return null;
        }
        synchronized (lifecycle) {
            if (!running) {
                p.destroy();
                return p; // follow() sees the end of its output at once
            }
            child = p;
        }
        starts.incrementAndGet();
        try {
            p.getOutputStream().close(); // journalctl reads nothing
        } catch (IOException e) {
            // irrelevant
        }
        LOG.info("journald: started {}", String.join(" ", cmd));
        return p;
    }

    /** Reads the child's output until it ends; returns its exit code (or -1). */
    private int follow(Process p) {
        entriesThisRun = 0;
        StderrPump stderr = new StderrPump(p.getErrorStream());
        stderr.start();
        try (InputStream out = p.getInputStream()) {
            pump(out);
        } catch (IOException e) {
            if (running) {
                LOG.warn("journald: reading journalctl's output failed: {}", e.toString());
            }
        }
        discardBatchIfStopped();
        int exit = -1;
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            exit = p.isAlive() ? -1 : p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stderr.finish();
        synchronized (lifecycle) {
            if (child == p) {
                child = null;
            }
        }
        lastStderr = stderr.tail();
        return exit;
    }

    /**
     * Whether journalctl was ended by a signal (exit code 128 + n) that stops the agent as well: true when the agent
     * stops within {@link #SIGNAL_GRACE_MILLIS}; then it is a shutdown, not an exit to warn about and restart from.
     */
    private boolean endedByTheAgentsOwnStop(int exit) {
        if (exit <= 128) {
            return false;
        }
        signalled.incrementAndGet();
        return !pause(SIGNAL_GRACE_MILLIS);
    }

    /** Handles an exit of journalctl while running; returns the delay before restarting it. */
    private long afterExit(int exit, String usedCursor) {
        exits.incrementAndGet();
        String stderrTail = String.join(" | ", lastStderr);
        if (entriesThisRun > 0) {
            restartBackoff.reset();
        }
        if (exit != 0 && entriesThisRun == 0 && usedCursor != null && stderrTail.toLowerCase(Locale.ROOT).contains("cursor")) {
            cursorRejected(usedCursor, stderrTail);
        }
        long delay = restartBackoff.nextDelayMillis();
        lastError = "journalctl exited with code " + exit + (stderrTail.isEmpty() ? "" : " (" + stderrTail + ")");
        LOG.warn("journald: {} after {} entries; restarting it in {} ms", lastError, entriesThisRun, delay);
        return delay;
    }

    private void cursorRejected(String cursor, String stderrTail) {
        long micros = cursorRealtimeMicros(cursor);
        String since = micros > 0 ? "@" + (micros / 1_000_000) : null;
        LOG.error("journald: journalctl rejected the cursor {} ({}); resuming from {} instead{}", cursor, stderrTail,
                since != null ? "the time it points at (" + since + ")" : "the configured start (read_from/since)",
                since != null ? " — entries of that second may be shipped twice" : "");
        readCursor = null;
        storedCursorRejected = true;
        sinceFallback = since;
    }

    /** The {@code t=} (realtime, hex microseconds) part of a journal cursor, or -1. */
    static long cursorRealtimeMicros(String cursor) {
        for (String part : cursor.split(";")) {
            if (part.startsWith("t=")) {
                try {
                    return Long.parseUnsignedLong(part.substring(2), 16);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private void pump(InputStream out) throws IOException {
        LineFramer framer = new LineFramer(maxEntryBytes, 0);
        skippingOversized = false;
        byte[] buf = new byte[READ_CHUNK];
        while (true) {
            int n = out.read(buf);
            if (n < 0) {
                break;
            }
            framer.feed(buf, 0, n, this::onEntry);
            if (!batch.isEmpty() || batchCursor != null) {
                if (out.available() == 0) {
                    flush(); // nothing more for now: do not hold lines back
                }
            }
        }
        // An unterminated last entry (journalctl killed mid-write) is not consumed: the cursor stays before it.
        if (running) {
            flush();
        }
    }

    private void onEntry(Line frame) {
        if (frame.kind() == Line.Kind.SPLIT) {
            skippingOversized = true;
            return;
        }
        if (skippingOversized) {
            skippingOversized = false;
            entriesRead.incrementAndGet();
            entriesThisRun++;
            LOG.warn("journald: a journal entry longer than {} bytes of JSON was dropped", maxEntryBytes);
            drop(REASON_ENTRY_TOO_LARGE);
            return;
        }
        entriesRead.incrementAndGet();
        entriesThisRun++;
        JsonNode entry;
        try {
            entry = JSON.readTree(frame.bytes());
        } catch (IOException | RuntimeException e) {
            entry = null;
        }
        if (entry == null || !entry.isObject()) {
            long now = System.nanoTime();
            if (lastUnreadableLogNanos == 0 || now - lastUnreadableLogNanos >= LOG_INTERVAL_NANOS) {
                lastUnreadableLogNanos = now;
                LOG.warn("journald: journalctl printed something that is not a journal entry; dropped: {}",
                        abbreviate(new String(frame.bytes(), StandardCharsets.UTF_8)));
            }
            drop(REASON_UNREADABLE);
            return;
        }
        JsonNode cursorNode = entry.get("__CURSOR");
        String cursor = cursorNode != null && cursorNode.isTextual() ? cursorNode.asText() : null;
        if (!config.identifier().isEmpty()) {
            List<byte[]> ids = values(entry.get("SYSLOG_IDENTIFIER"));
            String id = ids.isEmpty() ? "" : new String(ids.get(0), StandardCharsets.UTF_8);
            if (!config.identifier().equals(id)) {
                entriesSkipped.incrementAndGet();
                noteCursor(cursor);
                return;
            }
        }
        List<byte[]> messages = values(entry.get("MESSAGE"));
        if (messages.isEmpty()) {
            drop(REASON_NO_MESSAGE);
            noteCursor(cursor);
            return;
        }
        if (batchSequence < 0) {
            JsonNode rt = entry.get("__REALTIME_TIMESTAMP");
            if (rt != null) {
                try {
                    batchSequence = Long.parseLong(rt.asText());
                } catch (NumberFormatException e) {
                    // keep -1
                }
            }
        }
        for (byte[] message : messages) {
            addMessage(message);
        }
        noteCursor(cursor);
        if (batch.size() >= config.maxBatchLines() || batchBytes >= config.maxBatchBytes()) {
            flush();
        }
    }

    private void noteCursor(String cursor) {
        if (cursor != null) {
            batchCursor = cursor;
        }
    }

    /** Cuts a message longer than the maximum into pieces, as the file framer does (never through a UTF-8 character). */
    private void addMessage(byte[] message) {
        int max = config.maxLineBytes();
        if (message.length <= max) {
            batch.add(new Line(message, lineSequence, lineSequence + 1, Line.Kind.COMPLETE));
        } else {
            int off = 0;
            while (message.length - off > max) {
                int cut = splitPoint(message, off, off + max);
                batch.add(new Line(Arrays.copyOfRange(message, off, cut), lineSequence, lineSequence + 1, Line.Kind.SPLIT));
                off = cut;
            }
            batch.add(new Line(Arrays.copyOfRange(message, off, message.length), lineSequence, lineSequence + 1,
                    Line.Kind.COMPLETE));
        }
        lineSequence++;
        batchBytes += message.length;
    }

    /** {@code end}, or the start of a UTF-8 character that {@code end} would cut (when that leaves a non-empty piece). */
    static int splitPoint(byte[] b, int start, int end) {
        int lead = end - 1;
        while (lead > end - 4 && lead > start && (b[lead] & 0xC0) == 0x80) {
            lead--;
        }
        int v = b[lead] & 0xFF;
        int charLength = v >= 0xF0 && v <= 0xF4 ? 4 : v >= 0xE0 && v < 0xF0 ? 3 : v >= 0xC2 && v < 0xE0 ? 2 : 1;
        return charLength > 1 && lead + charLength > end && lead > start ? lead : end;
    }

    /**
     * The values of a journal field in journalctl's JSON: a string, an array of byte values (not printable UTF-8),
     * or, for a field present several times, an array of those. Empty for null (a field journalctl left out).
     */
    static List<byte[]> values(JsonNode field) {
        List<byte[]> out = new ArrayList<>(1);
        if (field == null || field.isNull() || field.isMissingNode()) {
            return out;
        }
        if (field.isTextual()) {
            out.add(field.asText().getBytes(StandardCharsets.UTF_8));
        } else if (field.isArray()) {
            if (isByteArray(field)) {
                out.add(toBytes(field));
            } else {
                for (JsonNode v : field) {
                    if (v.isTextual()) {
                        out.add(v.asText().getBytes(StandardCharsets.UTF_8));
                    } else if (v.isArray() && isByteArray(v)) {
                        out.add(toBytes(v));
                    }
                }
            }
        } else if (field.isValueNode()) {
            out.add(field.asText().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static boolean isByteArray(JsonNode array) {
        if (array.isEmpty()) {
            return true;
        }
        for (JsonNode b : array) {
            if (!b.isIntegralNumber() || b.asInt() < 0 || b.asInt() > 255) {
                return false;
            }
        }
        return true;
    }

    private static byte[] toBytes(JsonNode array) {
        byte[] bytes = new byte[array.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) array.get(i).asInt();
        }
        return bytes;
    }

    /** Appends the batch (blocking while the buffer is full) and notes its cursor. */
    private void flush() {
        if (batch.isEmpty()) {
            if (batchCursor != null) {
                notePosition(lastAppendedId, batchCursor); // only skipped/dropped entries: nothing to wait for
            }
            resetBatch();
            return;
        }
        List<Line> lines = batch;
        long id = appendBlocking(lines, batchSequence);
        notePosition(id, batchCursor);
        if (batchCursor != null) {
            cursors.noteBuffered(batchCursor, id); // resumes here after a crash if the record survives
        }
        resetBatch();
    }

    private void resetBatch() {
        batch = new ArrayList<>();
        batchBytes = 0;
        batchCursor = null;
        batchSequence = -1;
    }

    private void discardBatchIfStopped() {
        if (!running) {
            resetBatch();
        }
    }

    private void notePosition(long bufferId, String cursor) {
        if (cursor == null) {
            return;
        }
        synchronized (pending) {
            pending.add(new Pending(bufferId, cursor));
        }
        readCursor = cursor;
    }

    /** Returns the id of the record holding the last of these lines (or the previous id when all were dropped). */
    private long appendBlocking(List<Line> lines, long sequence) {
        while (true) {
            if (!running) {
                throw new Stopped();
            }
            try {
                long id = writer.append(lines, sequence);
                lastAppendedId = id;
                linesAppended.addAndGet(lines.size());
                appendBackoff.reset();
                if (pausedSinceNanos != 0) {
                    long pausedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedSinceNanos);
                    pausedSinceNanos = 0;
                    if (pausedMillis >= 1000) {
                        LOG.info("journald: the disk buffer has room again; reading resumed after {} ms", pausedMillis);
                    }
                }
                return id;
            } catch (BufferFullException e) {
                bufferFullWaits.incrementAndGet();
                long now = System.nanoTime();
                if (pausedSinceNanos == 0) {
                    pausedSinceNanos = now;
                }
                if (lastFullLogNanos == 0 || now - lastFullLogNanos >= LOG_INTERVAL_NANOS) {
                    lastFullLogNanos = now;
                    LOG.warn("journald: {}; pausing — the entries wait in the journal and are read when there is room",
                            e.reason());
                }
                if (!pause(FULL_RETRY_MILLIS)) {
                    throw new Stopped();
                }
            } catch (RecordTooLargeException e) {
                if (lines.size() > 1) {
                    int half = lines.size() / 2;
                    appendBlocking(new ArrayList<>(lines.subList(0, half)), sequence);
                    return appendBlocking(new ArrayList<>(lines.subList(half, lines.size())), sequence);
                }
                LOG.warn("journald: a line of {} bytes can never fit in the disk buffer ({}); dropped",
                        lines.get(0).bytes().length, e.getMessage());
                drop(REASON_TOO_LARGE);
                return lastAppendedId;
            } catch (IOException | RuntimeException e) {
                long delay = appendBackoff.nextDelayMillis();
                lastError = "appending to the disk buffer failed: " + e;
                LOG.error("journald: {}; retrying in {} ms (the entries wait in the journal)", lastError, delay);
                if (!pause(delay)) {
                    throw new Stopped();
                }
            }
        }
    }

    private void drop(String reason) {
        metrics.linesRead(SOURCE, 1);
        metrics.linesDropped(SOURCE, reason, 1);
        linesDropped.incrementAndGet();
    }

    /** Waits, waking early on stop; false when stopping. */
    private boolean pause(long millis) {
        if (!running) {
            return false;
        }
        try {
            return !stopSignal.await(millis, TimeUnit.MILLISECONDS) && running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Copies a child's standard error to the log (the first lines of each run) and keeps its last lines. */
    private static final class StderrPump extends Thread {
        private final InputStream err;
        private final Deque<String> tail = new ArrayDeque<>();

        StderrPump(InputStream err) {
            super("skulk-journald-stderr");
            setDaemon(true);
            this.err = err;
        }

        @Override
        public void run() {
            int logged = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String text = abbreviate(line.strip());
                    if (text.isEmpty()) {
                        continue;
                    }
                    if (logged++ < STDERR_LINES_LOGGED) {
                        LOG.warn("journald: journalctl says: {}", text);
                    }
                    synchronized (tail) {
                        tail.add(text);
                        if (tail.size() > STDERR_TAIL) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
        }

        void finish() {
            try {
                join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<String> tail() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }
    }
}
