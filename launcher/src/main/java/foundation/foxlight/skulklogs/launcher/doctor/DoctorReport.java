package foundation.foxlight.skulklogs.launcher.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The results of one doctor run, and their two renderings (aligned text, JSON). Immutable. */
public record DoctorReport(List<CheckResult> results) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DoctorReport {
        results = List.copyOf(results);
    }

    /** 0 when no check failed (warnings do not count), else 1. */
    public int exitCode() {
        return ok() ? 0 : 1;
    }

    public boolean ok() {
        return results.stream().noneMatch(r -> r.status() == Status.FAIL);
    }

    /** The result of the check called {@code name} (the first, for a check that runs once per file). */
    public CheckResult result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check " + name));
    }

    public Map<Status, Integer> counts() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }

    /**
     * One line per check, {@code STATUS  name  what → fix}, names aligned, then a summary line. Meant for people and
     * for grep ({@code doctor | grep ^FAIL}).
     */
    public String text() {
        int width = results.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (CheckResult r : results) {
            sb.append(String.format("%-4s  %-" + width + "s  %s", r.status(), r.name(), r.what()));
            if (r.fix() != null) {
                sb.append(" → ").append(r.fix());
            }
            sb.append('\n');
        }
        Map<Status, Integer> c = counts();
        sb.append(ok() ? "no problem found" : c.get(Status.FAIL) + " problem(s) found").append(": ").append(c.get(Status.FAIL))
                .append(" FAIL, ").append(c.get(Status.WARN)).append(" WARN, ").append(c.get(Status.OK)).append(" OK, ")
                .append(c.get(Status.SKIP)).append(" SKIP\n");
        return sb.toString();
    }

    /** {@code {"ok": bool, "counts": {...}, "checks": [{"name", "status", "what", "fix"}]}}. */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("ok", ok());
        ObjectNode counts = root.putObject("counts");
        counts().forEach((s, n) -> counts.put(s.name(), n));
        ArrayNode checks = root.putArray("checks");
        for (CheckResult r : results) {
            ObjectNode o = checks.addObject();
            o.put("name", r.name());
            o.put("status", r.status().name());
            o.put("what", r.what());
            if (r.fix() == null) {
                o.putNull("fix");
            } else {
                o.put("fix", r.fix());
            }
        }
        return root.toPrettyString() + "\n";
    }
}
