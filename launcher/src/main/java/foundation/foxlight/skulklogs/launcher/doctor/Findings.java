package foundation.foxlight.skulklogs.launcher.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the facts and problems one check finds and folds them into a single {@link CheckResult}: the worst
 * status wins, the sentences are joined. Not thread-safe (one per {@link Check#run()}).
 */
final class Findings {
    private final String name;
    private final List<String> facts = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> fixes = new ArrayList<>();
    private Status status = Status.OK;

    Findings(String name) {
        this.name = name;
    }

    /** Something true and fine, reported when nothing is wrong (and before the problems otherwise). */
    Findings fact(String what) {
        facts.add(what);
        return this;
    }

    Findings warn(String what, String fix) {
        return problem(Status.WARN, what, fix);
    }

    Findings fail(String what, String fix) {
        return problem(Status.FAIL, what, fix);
    }

    private Findings problem(Status s, String what, String fix) {
        status = status.worst(s);
        problems.add(what);
        if (fix != null && !fixes.contains(fix)) {
            fixes.add(fix);
        }
        return this;
    }

    Status status() {
        return status;
    }

    CheckResult result() {
        List<String> what = new ArrayList<>(facts);
        what.addAll(problems);
        return new CheckResult(name, status, String.join("; ", what), fixes.isEmpty() ? null : String.join("; ", fixes));
    }
}
