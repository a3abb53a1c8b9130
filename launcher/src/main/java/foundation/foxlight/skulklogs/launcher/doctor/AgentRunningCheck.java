package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.launcher.doctor.probe.HttpProbe;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code agent.running}: the agent answers its {@code /health} and is ready (its buffer is open, Kafka answers). */
record AgentRunningCheck(DoctorContext ctx) implements Check {

    @Override
    public String name() {
        return "agent.running";
    }

    @Override
    public CheckResult run() throws Exception {
        if (ctx.settings().agentHttp() == null) {
            return CheckResult.warn(name(), "the agent's HTTP endpoint is off (http.listen: off): cannot tell whether it runs",
                    "set http.listen in the agent config (default 127.0.0.1:8687), or pass --agent-http HOST:PORT");
        }
        HttpProbe.Result r = ctx.agentHealth();
        String where = r.uri().toString();
        if (!r.answered()) {
            Path unit = ctx.serviceFile();
            boolean installed = unit != null && Files.exists(unit);
            return CheckResult.fail(name(), "no agent answers at " + where + " (" + r.error() + ")", installed
                    ? "it is installed (" + unit + ") but not running: " + ctx.restartCommand() + ", then read its log"
                    : "install and start it with " + ctx.installCommand() + " (or run bin/skulk-logs agent); if it listens "
                            + "elsewhere, pass --agent-http HOST:PORT");
        }
        HttpProbe.Answer a = r.answer();
        var body = HealthBody.parse(a.body());
        if (body.isEmpty()) {
            return CheckResult.fail(name(), where + " answered HTTP " + a.status() + ", not a skulk-logs agent's health",
                    "pass --agent-http with the agent's http.listen address");
        }
        if (body.get().ready()) {
            return CheckResult.ok(name(), "agent at " + where + " is ready (" + body.get().describe(java.util.List.copyOf(
                    body.get().parts().values())) + ")");
        }
        return CheckResult.fail(name(), "agent at " + where + " runs but is not ready: " + body.get().describe(body.get().down()),
                "lines wait in its disk buffer meanwhile; fix what it names (see the kafka.* checks)");
    }
}
