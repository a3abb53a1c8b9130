package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.launcher.doctor.probe.ClusterMetadata;

/**
 * {@code kafka.topic} / {@code kafka.status_topic}: the topic exists, every partition has a leader, and its
 * replication factor is as high as the cluster allows (up to 3). A missing log topic is a FAIL; a missing status
 * topic a WARN (only the relay's fleet view needs it).
 *
 * @param name       {@code kafka.topic} or {@code kafka.status_topic}
 * @param required   whether a missing topic is a FAIL (else a WARN)
 * @param partitions what the fix creates it with
 */
record KafkaTopicCheck(DoctorContext ctx, String name, String topic, boolean required, int partitions) implements Check {
    @Override
    public CheckResult run() {
        ClusterMetadata md = ctx.kafkaIfAnswered();
        if (md == null) {
            return CheckResult.skip(name, DoctorContext.KAFKA_SILENT);
        }
        ClusterMetadata.TopicState t = md.topics().getOrDefault(topic, ClusterMetadata.TopicState.missing());
        int wantedRf = Math.max(1, Math.min(3, md.brokers().size()));
        Findings f = new Findings(name);
        if (!t.exists()) {
            String what = "topic " + topic + " does not exist on the cluster at " + md.answeredBy()
                    + (required ? "" : ": agents' heartbeats are lost and the relay's /status page stays empty");
            String fix = "create it: kafka-topics.sh --bootstrap-server " + md.answeredBy() + " --create --topic " + topic
                    + " --partitions " + partitions + " --replication-factor " + wantedRf + " (bin/skulk-logs broker and standalone create it themselves)";
            return required ? f.fail(what, fix).result() : f.warn(what, fix).result();
        }
        if (t.error() != null) {
            return f.fail("topic " + topic + ": Kafka answered " + t.error(), t.error().contains("AUTHORIZATION")
                    ? "grant this node's Kafka principal Describe and Write on topic " + topic
                    : "kafka-topics.sh --bootstrap-server " + md.answeredBy() + " --describe --topic " + topic + " shows its state").result();
        }
        f.fact("topic " + topic + ": " + t.partitions() + " partition(s), replication factor " + t.replicationFactor());
        if (t.leaderless() > 0) {
            f.fail(t.leaderless() + " partition(s) have no leader: nothing can be written to them",
                    "a broker holding them is down: start it (kafka-topics.sh --describe --topic " + topic + " shows which)");
        }
        if (t.replicationFactor() < wantedRf) {
            f.warn("the cluster has " + md.brokers().size() + " brokers but the topic only " + t.replicationFactor()
                    + " replica(s): losing a broker loses lines", "raise its replication factor with kafka-reassign-partitions.sh");
        }
        return f.result();
    }
}
