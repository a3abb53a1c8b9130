package foundation.foxlight.skulklogs.launcher.doctor;

/** A check whose result was known when the list was assembled (configuration errors, nothing to look at). */
record Fixed(CheckResult result) implements Check {
    @Override
    public String name() {
        return result.name();
    }

    @Override
    public CheckResult run() {
        return result;
    }
}
