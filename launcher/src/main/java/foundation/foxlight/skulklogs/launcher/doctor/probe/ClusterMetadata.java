package foundation.foxlight.skulklogs.launcher.doctor.probe;

import java.util.List;
import java.util.Map;

/**
 * What a Kafka cluster told this node about itself.
 *
 * @param answeredBy the bootstrap address that answered
 * @param clusterId  the cluster id (may be null)
 * @param brokers    every broker with the address it advertises to clients
 * @param topics     the topics asked about, by name
 */
public record ClusterMetadata(HostPort answeredBy, String clusterId, List<Broker> brokers, Map<String, TopicState> topics) {
    public ClusterMetadata {
        brokers = List.copyOf(brokers);
        topics = Map.copyOf(topics);
    }

    /** A broker and the address clients must be able to connect to. */
    public record Broker(int id, HostPort advertised) {
    }

    /**
     * One topic.
     *
     * @param exists             false when the cluster does not know it
     * @param error              the Kafka error for it other than "unknown topic" (e.g. TOPIC_AUTHORIZATION_FAILED), else null
     * @param partitions         its partitions
     * @param replicationFactor  replicas of its first partition
     * @param leaderless         partitions without a leader (nothing can be produced to them)
     */
    public record TopicState(boolean exists, String error, int partitions, int replicationFactor, int leaderless) {
        public static TopicState missing() {
            return new TopicState(false, null, 0, 0, 0);
        }
    }
}
