package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.launcher.doctor.probe.ClusterMetadata;
import foundation.foxlight.skulklogs.launcher.doctor.probe.HostPort;
import foundation.foxlight.skulklogs.launcher.doctor.probe.TcpProbe;
import java.util.List;

/**
 * {@code kafka.advertised}: every broker's advertised address (where clients really connect after the bootstrap
 * answered) resolves and accepts connections from this node, and is not a loopback address when this node reached
 * Kafka through another one. The classic pitfall: a broker advertising {@code localhost} or its container name.
 */
record KafkaAdvertisedCheck(DoctorContext ctx) implements Check {
    static final String FIX = "set KAFKA_ADVERTISED_HOST=<address agents use> in deployment/.env and restart kafka "
            + "(docker compose up -d kafka); for another Kafka, set its advertised.listeners to an address every node can reach";

    @Override
    public String name() {
        return "kafka.advertised";
    }

    @Override
    public CheckResult run() {
        ClusterMetadata md = ctx.kafkaIfAnswered();
        if (md == null) {
            return CheckResult.skip(name(), DoctorContext.KAFKA_SILENT);
        }
        if (md.brokers().isEmpty()) {
            return CheckResult.fail(name(), "Kafka at " + md.answeredBy() + " lists no broker", "check the broker's log: it is not ready");
        }
        List<TcpProbe.Reachability> reach = TcpProbe.connectAll(md.brokers().stream().map(ClusterMetadata.Broker::advertised).toList(),
                ctx.settings().timeout());
        Findings f = new Findings(name());
        for (int i = 0; i < reach.size(); i++) {
            ClusterMetadata.Broker b = md.brokers().get(i);
            TcpProbe.Reachability r = reach.get(i);
            String broker = md.brokers().size() == 1 ? "broker " + md.answeredBy() : "broker " + b.id() + " (asked " + md.answeredBy() + ")";
            HostPort adv = b.advertised();
            if (adv.loopback() && !md.answeredBy().loopback()) {
                f.fail(broker + " advertises " + adv + ", a loopback address: every other node would connect to itself", FIX);
            } else if (!r.reachable()) {
                f.fail(broker + " advertises " + adv + ", which this node " + switch (r.outcome()) {
                    case UNRESOLVABLE -> "cannot resolve";
                    case REFUSED -> "cannot connect to (refused)";
                    case TIMEOUT -> "gets no answer from";
                    default -> "cannot reach (" + r.detail() + ")";
                }, FIX);
            }
        }
        if (f.status() == Status.OK) {
            f.fact("every broker advertises an address this node reaches: " + String.join(", ",
                    md.brokers().stream().map(b -> b.advertised().toString()).toList()));
        }
        return f.result();
    }
}
