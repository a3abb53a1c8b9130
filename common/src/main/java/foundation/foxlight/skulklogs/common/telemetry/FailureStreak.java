package foundation.foxlight.skulklogs.common.telemetry;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The failures in a row of something retried by itself (reading a file, writing checkpoints, a dependency's health
 * check): says which of them to log (the first, then at most once per interval, so a failure that lasts does not
 * flood the log), how long the streak has lasted, and keeps the current reason for {@code /health}.
 *
 * <p>Threading: {@link #failed}, {@link #succeeded} and {@link #elapsed} from one thread at a time (the task's own);
 * {@link #reason()} and {@link #count()} from any thread.
 */
public final class FailureStreak {
    private final long logIntervalNanos;
    private final LongSupplier nanoClock;
    private volatile long count;
    private volatile String reason;
    private long startNanos;
    private long lastLogNanos;

    /** @param logInterval the least time between two failures that are logged */
    public FailureStreak(Duration logInterval) {
        this(logInterval, System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds ({@link System#nanoTime()}; another in tests) */
    public FailureStreak(Duration logInterval, LongSupplier nanoClock) {
        this.logIntervalNanos = logInterval.toNanos();
        this.nanoClock = nanoClock;
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
        long now = nanoClock.getAsLong();
        if (count == 1) {
            startNanos = now;
        }
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

    /** How long since the streak's first failure; zero while succeeding. */
    public Duration elapsed() {
        return count == 0 ? Duration.ZERO : Duration.ofNanos(nanoClock.getAsLong() - startNanos);
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
