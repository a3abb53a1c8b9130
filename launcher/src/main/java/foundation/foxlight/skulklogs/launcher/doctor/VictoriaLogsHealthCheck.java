package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.launcher.doctor.probe.HttpProbe;

/**
 * {@code victorialogs.health}: VictoriaLogs answers {@code GET /health} with 200 {@code OK}. When its URL was not
 * given and it is not reachable from here (a node), the relay's own view of it counts.
 */
record VictoriaLogsHealthCheck(DoctorContext ctx) implements Check {

    @Override
    public String name() {
        return "victorialogs.health";
    }

    @Override
    public CheckResult run() throws Exception {
        HttpProbe.Result r = ctx.victoriaLogsHealth();
        if (!r.answered()) {
            if (!ctx.settings().victoriaLogsUrlExplicit()) {
                HttpProbe.Result relay = ctx.relayHealth();
                var relayView = relay.answered() ? HealthBody.parse(relay.answer().body()) : java.util.Optional.<HealthBody>empty();
                if (relayView.isPresent() && relayView.get().up("victorialogs")) {
                    return CheckResult.skip(name(), "not reachable from here at " + r.uri() + ", but the relay reports it up ("
                            + relayView.get().parts().get("victorialogs").detail() + ")");
                }
            }
            return CheckResult.fail(name(), "no VictoriaLogs answers at " + r.uri() + " (" + r.error() + ")",
                    "start it on the central host (docker compose up -d victorialogs in deployment/), or pass --victorialogs URL "
                            + "(or set SKULK_LOGS_VICTORIALOGS_URL)");
        }
        HttpProbe.Answer a = r.answer();
        String body = a.body() == null ? "" : a.body().strip();
        if (a.status() == 200 && body.equals("OK")) {
            return CheckResult.ok(name(), "VictoriaLogs at " + ctx.settings().victoriaLogsUrl() + " answers OK");
        }
        String snippet = body.length() > 80 ? body.substring(0, 77) + "..." : body;
        return CheckResult.fail(name(), r.uri() + " answered HTTP " + a.status() + " \"" + snippet + "\"",
                a.status() == 404 ? "is " + ctx.settings().victoriaLogsUrl() + " VictoriaLogs? fix --victorialogs / SKULK_LOGS_VICTORIALOGS_URL"
                        : "VictoriaLogs is not healthy: read its log (docker compose logs victorialogs); a 429 means its disk is nearly full");
    }
}
