package foundation.foxlight.skulklogs.launcher.kafka;

import java.nio.file.Path;

/**
 * Who one embedded Kafka node (KRaft, combined broker + controller) is: everything that must stay the same when
 * it is restarted, in this JVM or as a {@code skulk-logs broker} process. Immutable.
 *
 * @param nodeId         {@code node.id}
 * @param clusterId      the cluster id its data directory is formatted with (every node of a cluster shares it);
 *                       null: a new random one when the directory is formatted
 * @param host           the address to bind and advertise
 * @param clientPort     the client (PLAINTEXT) port; 0 picks a free one at start
 * @param controllerPort the controller port; 0 picks a free one at start (only for a single node)
 * @param dataDir        where its logs and metadata live
 * @param quorumVoters   {@code controller.quorum.voters} ({@code 1@127.0.0.1:9093,2@...}); null: this node alone
 */
public record KafkaNode(int nodeId, String clusterId, String host, int clientPort, int controllerPort, Path dataDir, String quorumVoters) {

    /** A node that is a cluster by itself (what {@code skulk-logs standalone} runs). */
    public static KafkaNode single(Path dataDir, String host, int clientPort) {
        return new KafkaNode(1, null, host, clientPort, 0, dataDir, null);
    }

    /** How many controllers (= nodes: every node is broker and controller) the cluster has. */
    public int clusterSize() {
        return quorumVoters == null ? 1 : quorumVoters.split(",").length;
    }

    /** {@code host:clientPort}. */
    public String bootstrapServers() {
        return host + ":" + clientPort;
    }
}
