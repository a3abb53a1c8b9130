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

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** Records a failure and returns how long to wait before the next attempt (at least 1 ms). */
    public long nextDelayMillis() {
        failures = Math.min(failures + 1, 62);
        long ceiling = failures >= 31 ? maxMillis : Math.min(maxMillis, initialMillis << (failures - 1));
        long floor = Math.max(1, ceiling / 2);
        return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
    }

    /** Consecutive failures since the last reset. */
    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
