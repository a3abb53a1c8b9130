package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.launcher.doctor.probe.HttpProbe;
import java.util.ArrayList;
import java.util.List;

/** {@code relay.health}: the relay answers its {@code /health} and is ready (it reaches Kafka and VictoriaLogs). */
record RelayHealthCheck(DoctorContext ctx) implements Check {

    @Override
    public String name() {
        return "relay.health";
    }

    @Override
    public CheckResult run() throws Exception {
        HttpProbe.Result r = ctx.relayHealth();
        if (!r.answered()) {
            return CheckResult.fail(name(), "no relay answers at " + r.uri() + " (" + r.error() + ")",
                    "start the relay on the central host (docker compose up -d relay in deployment/, or bin/skulk-logs relay); "
                            + "from a node, pass --relay http://CENTRAL:8688 (or set SKULK_LOGS_RELAY_URL) where its HTTP port is "
                            + "published, else --skip relay,clock");
        }
        var body = HealthBody.parse(r.answer().body());
        if (body.isEmpty()) {
            return CheckResult.fail(name(), r.uri() + " answered HTTP " + r.answer().status() + ", not a skulk-logs relay's health",
                    "pass --relay with the relay's http.listen address (or set SKULK_LOGS_RELAY_URL)");
        }
        HealthBody h = body.get();
        if (h.ready()) {
            return CheckResult.ok(name(), "relay at " + ctx.settings().relayUrl() + " is ready (" + h.describe(List.copyOf(h.parts().values())) + ")");
        }
        List<String> fixes = new ArrayList<>();
        for (HealthBody.Part p : h.down()) {
            fixes.add(switch (p.name()) {
                case "kafka" -> "the relay cannot reach Kafka: check its kafka.bootstrap_servers (SKULK_LOGS_KAFKA) and that Kafka runs";
                case "victorialogs" -> "start VictoriaLogs (docker compose up -d victorialogs) or fix the relay's victorialogs.url; "
                        + "lines wait in Kafka meanwhile";
                default -> "fix what " + p.name() + " names";
            });
        }
        return CheckResult.fail(name(), "relay at " + ctx.settings().relayUrl() + " runs but is not ready: " + h.describe(h.down()),
                String.join("; ", fixes));
    }
}
