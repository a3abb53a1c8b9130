package foundation.foxlight.skulklogs.common.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the n-th consecutive failure waits a random time in
 * [initial * 2^(n-1) / 2, initial * 2^(n-1)], capped at {@code max}. {@link #reset()} after a success.
 * Never gives up: delivery in skulk-logs retries until it succeeds or the process stops.
 *
 * <p>Not thread-safe: one instance per retry loop.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private int failures;

    /**
     * @param initial the ceiling of the first wait; below 1 ms counts as 1 ms
     * @param max     the largest wait (at least {@code initial})
     */
    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
        // Sub-millisecond durations truncate to 0 ms; a 0 ms ceiling would make the random bound empty.
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** Records a failure and returns how long to wait before the next attempt (at least 1 ms). */
    public long nextDelayMillis() {
        if (failures < Integer.MAX_VALUE) {
            failures++;
        }
        int doublings = failures - 1;
        // initialMillis << doublings stays positive while doublings < numberOfLeadingZeros(initialMillis)
        long ceiling = doublings >= Long.numberOfLeadingZeros(initialMillis)
                ? maxMillis
                : Math.min(maxMillis, initialMillis << doublings);
        long floor = Math.max(1, ceiling / 2);
        return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
    }

    /** Consecutive failures since the last reset (counts on past the point where the delay reached its cap). */
    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
