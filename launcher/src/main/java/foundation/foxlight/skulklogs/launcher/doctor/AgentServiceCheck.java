package foundation.foxlight.skulklogs.launcher.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code agent.service}: the agent is installed as a launchd agent (macOS) or a systemd user unit (Linux), so that
 * it starts at login and restarts after a crash. Missing is a WARN: an agent started by hand ships too.
 */
record AgentServiceCheck(DoctorContext ctx) implements Check {

    @Override
    public String name() {
        return "agent.service";
    }

    @Override
    public CheckResult run() {
        Path unit = ctx.serviceFile();
        if (unit == null) {
            return CheckResult.skip(name(), "no launchd or systemd on this OS");
        }
        String kind = ctx.settings().os() == DoctorContext.Os.MAC ? "a launchd agent" : "a systemd user unit";
        if (Files.exists(unit)) {
            return CheckResult.ok(name(), "installed as " + kind + ": " + unit);
        }
        return CheckResult.warn(name(), "not installed as " + kind + " (no " + unit + "): the agent does not start at login nor "
                + "restart after a crash", "run " + ctx.installCommand());
    }
}
