package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.launcher.kafka.DataDirInUseException;
import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaBroker;
import foundation.foxlight.skulklogs.launcher.kafka.KafkaNode;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skulk-logs broker}: only the embedded Kafka broker (development, benchmarks, a one-host setup): a
 * single-node cluster with skulk-logs' topics, or, with {@code --quorum-voters}, one member of a multi-node KRaft
 * cluster (every member is broker and controller; the topics are created by whoever sets the cluster up, once a
 * majority runs).
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run only the embedded Kafka broker (KRaft): a single node with skulk-logs' topics, or one member of a cluster.")
final class BrokerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("broker");

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Kafka data (default: ~/.skulk/skulk-logs-broker).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "9092", description = "Port on 127.0.0.1 (0 = any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the log topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--node-id", defaultValue = "1", description = "This node's id in a cluster (default ${DEFAULT-VALUE}).")
    int nodeId;

    @Option(names = "--controller-port", defaultValue = "0",
            description = "Controller port on 127.0.0.1; in a cluster, the one --quorum-voters names for this node (default: any free port).")
    int controllerPort;

    @Option(names = "--quorum-voters", paramLabel = "ID@HOST:PORT,...",
            description = "Be a member of this KRaft cluster (controller.quorum.voters, this node among them); no topics are created.")
    String quorumVoters;

    @Option(names = "--cluster-id", description = "The cluster id, the same on every member (required with --quorum-voters).")
    String clusterId;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".skulk", "skulk-logs-broker");
        if (quorumVoters != null && (clusterId == null || controllerPort == 0)) {
            System.err.println("--quorum-voters needs --cluster-id and --controller-port");
            return 2;
        }
        KafkaNode node = new KafkaNode(nodeId, clusterId, "127.0.0.1", port, controllerPort, dir, quorumVoters);
        EmbeddedKafkaBroker broker;
        try {
            broker = new EmbeddedKafkaBroker(node, Map.of()).start();
        } catch (DataDirInUseException e) {
            System.err.println(e.getMessage() + ". Stop it, or pass another --data-dir.");
            return 2;
        }
        if (quorumVoters == null) {
            Topics.ensure(broker.bootstrapServers(), Map.of("skulk-logs", partitions, "skulk-logs-deadletter", 1, "skulk-logs-status", 1),
                    (short) 1);
        }
        LOG.info("Kafka broker {} listening on {} (data in {}); Ctrl-C stops", nodeId, broker.bootstrapServers(), dir);
        System.out.println(broker.bootstrapServers());
        ServiceLifecycle.awaitShutdown(() -> Future.fromCompletionStage(java.util.concurrent.CompletableFuture.runAsync(broker::close)), 60);
        return 0;
    }
}
