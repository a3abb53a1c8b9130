package foundation.foxlight.skulklogs.agent.telemetry;

import java.time.Duration;

/**
 * The failures in a row of a task that retries by itself (reading a file, writing checkpoints): says which of them to
 * log (the first, then at most once per interval, so a failure that lasts does not flood the log) and keeps the
 * current reason for {@code /health}.
 *
 * <p>Threading: {@link #failed} and {@link #succeeded} from one thread at a time (the task's own);
 * {@link #reason()} and {@link #count()} from any thread.
 */
public final class FailureStreak {
    private final long logIntervalNanos;
    private volatile long count;
    private volatile String reason;
    private long lastLogNanos;

    /** @param logInterval the least time between two failures that are logged */
    public FailureStreak(Duration logInterval) {
        this.logIntervalNanos = logInterval.toNanos();
    }

    /**
     * Counts a failure.
     *
     * @param why the reason, kept until the next success
     * @return whether to log this one: the first of the streak, or the first after the interval
     */
    public boolean failed(String why) {
        reason = why;
        count++;
        long now = System.nanoTime();
        if (count == 1 || now - lastLogNanos >= logIntervalNanos) {
            lastLogNanos = now;
            return true;
        }
        return false;
    }

    /** Ends the streak; returns how many failures it had (0 when there was none: nothing to report). */
    public long succeeded() {
        long ended = count;
        count = 0;
        reason = null;
        return ended;
    }

    /** Failures in a row so far (0 while succeeding). */
    public long count() {
        return count;
    }

    /** The reason of the last failure while the streak lasts, else null. */
    public String reason() {
        return reason;
    }
}
