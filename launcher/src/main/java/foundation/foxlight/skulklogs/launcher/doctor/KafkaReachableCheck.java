package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.launcher.doctor.probe.ClusterMetadata;
import foundation.foxlight.skulklogs.launcher.doctor.probe.HostPort;
import foundation.foxlight.skulklogs.launcher.doctor.probe.TcpProbe;
import java.util.List;

/**
 * {@code kafka.reachable}: every bootstrap address the agent uses resolves and accepts a TCP connection, and the
 * cluster answers a metadata request there.
 */
record KafkaReachableCheck(DoctorContext ctx) implements Check {

    @Override
    public String name() {
        return "kafka.reachable";
    }

    @Override
    public CheckResult run() {
        String bootstrap = ctx.agent().kafka().bootstrapServers();
        List<TcpProbe.Reachability> reach = TcpProbe.connectAll(HostPort.parseList(bootstrap), ctx.settings().timeout());
        List<TcpProbe.Reachability> unreachable = reach.stream().filter(r -> !r.reachable()).toList();
        String setting = "kafka.bootstrap_servers (SKULK_LOGS_KAFKA in " + ctx.envFileName() + ", or --kafka)";
        if (unreachable.size() == reach.size()) {
            TcpProbe.Reachability first = unreachable.get(0);
            String fix = switch (first.outcome()) {
                case UNRESOLVABLE -> "set " + setting + " to an address this node can resolve";
                case REFUSED -> "start Kafka on the central host (docker compose up -d kafka in deployment/, or bin/skulk-logs broker), "
                        + "or fix " + setting;
                default -> "check that the central host is up and that its firewall lets this node reach port " + first.address().port();
            };
            return CheckResult.fail(name(), "Kafka is not reachable: " + String.join("; ", unreachable.stream()
                    .map(TcpProbe.Reachability::describe).toList()), fix);
        }
        Findings f = new Findings(name());
        ClusterMetadata md;
        try {
            md = ctx.kafka();
        } catch (Exception e) {
            return f.fail(bootstrap + " accepts connections but did not answer a Kafka metadata request: " + e.getMessage(),
                    "is it Kafka's client port? With TLS or SASL, set kafka.security.protocol (and kafka.tls.* / kafka.sasl.*) "
                            + "in the agent config").result();
        }
        f.fact("Kafka at " + md.answeredBy() + " answers (cluster " + md.clusterId() + ", " + md.brokers().size() + " broker(s))");
        for (TcpProbe.Reachability r : unreachable) {
            f.warn("bootstrap address " + r.describe(), "remove it from " + setting + " or bring it back");
        }
        return f.result();
    }
}
