package foundation.foxlight.skulklogs.launcher.doctor;

/**
 * One diagnostic of {@code skulk-logs doctor}.
 *
 * <p>{@link #run()} is called once, on a worker thread of its own (checks run in parallel), and may block on
 * I/O; every network call it makes is bounded by the doctor's timeout, and the {@link Doctor} abandons a check
 * that has not answered by its deadline. A problem found is a result ({@link Status#FAIL} with the fix), not an
 * exception; an exception escaping {@code run} is reported as a FAIL naming it.
 */
public interface Check {
    /** Stable dotted name, e.g. {@code kafka.reachable}; {@code --skip kafka} skips every {@code kafka.*} check. */
    String name();

    CheckResult run() throws Exception;
}
