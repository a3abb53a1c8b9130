package foundation.foxlight.skulklogs.launcher.doctor;

/** The outcome of one check, from best to worst; only {@link #FAIL} makes {@code doctor} exit non-zero. */
public enum Status {
    /** Nothing wrong. */
    OK,
    /** The check could not or should not run here (no relay configured, skipped by the operator, ...). */
    SKIP,
    /** Works, but something deserves attention (stale log file, backlog, double shipping). */
    WARN,
    /** Broken: lines are not shipped, or will not be. */
    FAIL;

    /** The worse of two statuses. */
    public Status worst(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
