package foundation.foxlight.skulklogs.launcher.doctor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs checks in parallel, each on a daemon thread of its own, and gathers their results in the order given.
 * A check still running at the deadline is abandoned (its thread cannot keep the JVM alive) and reported as a
 * FAIL; a check that throws is a FAIL naming the exception. {@link #run} blocks at most about {@code deadline}.
 */
public final class Doctor {
    private final Duration deadline;

    /** @param deadline how long the whole run may take; every check's network calls are bounded well below it */
    public Doctor(Duration deadline) {
        this.deadline = deadline;
    }

    /**
     * @param checks  in the order to report them
     * @param skipped names the operator asked to skip: they are not run and are reported as SKIP
     */
    public DoctorReport run(List<Check> checks, Predicate<String> skipped) {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "doctor-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CheckResult>> futures = new ArrayList<>();
            for (Check c : checks) {
                futures.add(skipped.test(c.name()) ? null : pool.submit(c::run));
            }
            long end = System.nanoTime() + deadline.toNanos();
            List<CheckResult> results = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                results.add(outcome(checks.get(i), futures.get(i), end));
            }
            return new DoctorReport(results);
        } finally {
            pool.shutdownNow();
        }
    }

    private CheckResult outcome(Check check, Future<CheckResult> future, long endNanos) {
        if (future == null) {
            return CheckResult.skip(check.name(), "skipped (--skip)");
        }
        try {
            return future.get(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return CheckResult.fail(check.name(), "did not finish within " + deadline.toSeconds() + " s (a name lookup or "
                    + "a connection that hangs)", "rerun with a larger --timeout; check this node's DNS and firewall");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return CheckResult.fail(check.name(), "the check itself failed: " + c, "report this as a skulk-logs bug, with the output");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail(check.name(), "interrupted", null);
        }
    }
}
