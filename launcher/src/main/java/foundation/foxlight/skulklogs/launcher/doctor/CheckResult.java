package foundation.foxlight.skulklogs.launcher.doctor;

import java.util.Objects;

/**
 * What one check found.
 *
 * @param name   the check's stable name, e.g. {@code kafka.advertised}
 * @param status OK, WARN, FAIL or SKIP
 * @param what   what was found, in one sentence naming the thing concerned (file, address, topic)
 * @param fix    the exact fix (a setting, a command); null when there is nothing to do
 */
public record CheckResult(String name, Status status, String what, String fix) {
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(what, "what");
    }

    public static CheckResult ok(String name, String what) {
        return new CheckResult(name, Status.OK, what, null);
    }

    public static CheckResult skip(String name, String why) {
        return new CheckResult(name, Status.SKIP, why, null);
    }

    public static CheckResult warn(String name, String what, String fix) {
        return new CheckResult(name, Status.WARN, what, fix);
    }

    public static CheckResult fail(String name, String what, String fix) {
        return new CheckResult(name, Status.FAIL, what, fix);
    }
}
