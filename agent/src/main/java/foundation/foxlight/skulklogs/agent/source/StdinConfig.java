package foundation.foxlight.skulklogs.agent.source;

import foundation.foxlight.skulklogs.agent.config.AgentConfig.WhenFull;
import foundation.foxlight.skulklogs.agent.config.FileSourceConfig;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sources.stdin}: read Skulk's JSON lines from the agent's standard input ("internal" mode: Skulk
 * spawns the shipper and pipes its log into it, line-buffered).
 *
 * @param enabled            whether the agent reads its stdin at all (default false)
 * @param maxLineBytes       longer lines are cut into pieces of this size, each flagged (default 256 KiB)
 * @param maxBatchBytes      a buffer record holds at most about this many line bytes (default 256 KiB)
 * @param maxBatchLines      ... and at most this many lines (default 1000)
 * @param maxBatchDelay      ... and waits at most this long for more lines once it has one (default 50 ms)
 * @param partialLineTimeout an unterminated line is shipped as is (flagged {@code log.partial}) after this
 *                           long without new input (default 5 s); at end of input it is shipped at once
 * @param maxPendingBytes    memory between the reading thread and the buffer-appending thread (default
 *                           8 MiB): absorbs bursts; when it is full reading waits for the appender, and when
 *                           the appender is stalled (disk) new lines are dropped ({@link WhenFull#DROP_NEWEST})
 * @param whenFull           {@link WhenFull#DROP_NEWEST} (default): the writer (Skulk) is never slowed
 *                           down, lines that do not fit are counted and dropped; {@link WhenFull#BLOCK}:
 *                           stop reading until there is room (backpressure reaches the writer: only for
 *                           piping files or other producers that can wait)
 */
public record StdinConfig(boolean enabled, int maxLineBytes, int maxBatchBytes, int maxBatchLines, Duration maxBatchDelay,
        Duration partialLineTimeout, long maxPendingBytes, WhenFull whenFull) {

    public static final int DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_BATCH_LINES = 1000;
    public static final Duration DEFAULT_MAX_BATCH_DELAY = Duration.ofMillis(50);
    public static final Duration DEFAULT_PARTIAL_LINE_TIMEOUT = Duration.ofSeconds(5);
    public static final long DEFAULT_MAX_PENDING_BYTES = 8L * 1024 * 1024;

    /** Every problem with the values, empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        BatchLimits.check(errors, maxLineBytes, maxBatchBytes, maxBatchLines);
        if (maxBatchDelay == null || maxBatchDelay.isNegative()) {
            errors.add("max_batch_delay must not be negative (got " + maxBatchDelay + ")");
        }
        if (partialLineTimeout == null || partialLineTimeout.isNegative() || partialLineTimeout.isZero()) {
            errors.add("partial_line_timeout must be positive (got " + partialLineTimeout + ")");
        }
        if (maxPendingBytes < 1) {
            errors.add("max_pending_bytes must be positive (got " + maxPendingBytes + ")");
        }
        if (whenFull == null) {
            errors.add("when_full is required");
        }
        return errors;
    }

    /** The defaults, with the source enabled or not. */
    public static StdinConfig defaults(boolean enabled) {
        return new StdinConfig(enabled, FileSourceConfig.DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_LINES,
                DEFAULT_MAX_BATCH_DELAY, DEFAULT_PARTIAL_LINE_TIMEOUT, DEFAULT_MAX_PENDING_BYTES, WhenFull.DROP_NEWEST);
    }

    /**
     * Reads {@code sources.stdin.*}: {@code enabled}, {@code max_line_bytes}, {@code max_batch_bytes},
     * {@code max_batch_lines}, {@code max_batch_delay}, {@code partial_line_timeout}, {@code max_pending_bytes},
     * {@code when_full} ({@code drop_newest} | {@code block}). Problems are recorded on the reader.
     */
    public static StdinConfig read(ConfigReader r) {
        String p = "sources.stdin.";
        StdinConfig d = defaults(false);
        return new StdinConfig(r.bool(p + "enabled", d.enabled()),
                (int) r.bytes(p + "max_line_bytes", d.maxLineBytes(), 1024, 2L << 20),
                (int) r.bytes(p + "max_batch_bytes", d.maxBatchBytes(), 1024, 4L << 20),
                r.integer(p + "max_batch_lines", d.maxBatchLines(), 1, 100_000),
                r.duration(p + "max_batch_delay", d.maxBatchDelay(), Duration.ZERO, Duration.ofSeconds(10)),
                r.duration(p + "partial_line_timeout", d.partialLineTimeout(), Duration.ofMillis(10), Duration.ofHours(1)),
                r.bytes(p + "max_pending_bytes", d.maxPendingBytes(), 64 * 1024, 1L << 30),
                r.enumValue(p + "when_full", WhenFull.class, d.whenFull()));
    }
}
