package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaBroker;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skulk-logs broker}: only the embedded single-node Kafka broker (development, benchmarks, a one-host setup). */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run only the embedded single-node Kafka broker (KRaft), with skulk-logs' topics.")
final class BrokerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("broker");

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Kafka data (default: ~/.skulk/skulk-logs-broker).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "9092", description = "Port on 127.0.0.1 (0 = any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the log topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".skulk", "skulk-logs-broker");
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, "127.0.0.1", port, Map.of()).start();
        Topics.ensure(broker.bootstrapServers(), Map.of("skulk-logs", partitions, "skulk-logs-deadletter", 1, "skulk-logs-status", 1), (short) 1);
        LOG.info("Kafka broker listening on {} (data in {}); Ctrl-C stops", broker.bootstrapServers(), dir);
        System.out.println(broker.bootstrapServers());
        ServiceLifecycle.awaitShutdown(() -> Future.fromCompletionStage(java.util.concurrent.CompletableFuture.runAsync(broker::close)), 60);
        return 0;
    }
}
