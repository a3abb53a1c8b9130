package foundation.foxlight.skulklogs.launcher.doctor;

import java.util.concurrent.Callable;

/**
 * A value computed once, on first use, by whichever check asks first; later callers (on other threads) wait for
 * it and get the same value or the same exception. Thread-safe.
 */
final class Memo<T> {
    private final Callable<T> compute;
    private boolean done;
    private T value;
    private Exception failure;

    Memo(Callable<T> compute) {
        this.compute = compute;
    }

    synchronized T get() throws Exception {
        if (!done) {
            try {
                value = compute.call();
            } catch (Exception e) {
                failure = e;
            }
            done = true;
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }
}
