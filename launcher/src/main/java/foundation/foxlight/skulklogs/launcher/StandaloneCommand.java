package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.agent.source.FileDiscovery;
import foundation.foxlight.skulklogs.common.config.ConfigException;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.launcher.kafka.DataDirInUseException;
import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaBroker;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import foundation.foxlight.skulklogs.relay.Relay;
import foundation.foxlight.skulklogs.relay.config.RelayConfig;
import foundation.foxlight.skulklogs.relay.config.RelayConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code skulk-logs standalone}: the whole pipeline in one process — an embedded Kafka broker (KRaft, data
 * under the state directory), the relay, and an agent tailing Skulk's log file — shipping into a
 * VictoriaLogs. For one machine, a demo, or development.
 */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = "Run an embedded Kafka broker, the relay and an agent in one process.")
final class StandaloneCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("standalone");

    @Mixin
    ConfigOptions options;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "File to tail (repeatable; default: $SKULK_LOG_FILE or ~/.skulk/logs/skulk.stdout.log).")
    List<String> files;

    @Option(names = "--victorialogs-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:9428",
            description = "VictoriaLogs base URL (default: ${DEFAULT-VALUE}).")
    String victoriaLogsUrl;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Kafka data, checkpoints and buffer (default: ~/.skulk/skulk-logs-standalone).")
    Path stateDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker on 127.0.0.1 (0 = any free port; default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--node-id", description = "This node's name (default: the host name).")
    String nodeId;

    @Option(names = "--agent-http", defaultValue = "127.0.0.1:8687", description = "Agent /health and /metrics (default ${DEFAULT-VALUE}; 'off' to disable).")
    String agentHttp;

    @Option(names = "--relay-http", defaultValue = "127.0.0.1:8688", description = "Relay /health and /metrics (default ${DEFAULT-VALUE}; 'off' to disable).")
    String relayHttp;

    @Option(names = "--status-interval", defaultValue = "10", description = "Seconds between progress lines (default ${DEFAULT-VALUE}).")
    int statusSeconds;

    /**
     * Creates the missing directory of each followed path that is a plain file name (no glob), so that the "append
     * lines to ..." this mode prints works on a machine where Skulk never ran (no {@code ~/.skulk/logs} yet). Returns the
     * directories it created.
     */
    static List<Path> createMissingDirectories(List<String> include) throws IOException {
        List<Path> created = new ArrayList<>();
        for (String pattern : include) {
            Path parent = Path.of(pattern).toAbsolutePath().getParent();
            if (parent != null && !FileDiscovery.isPattern(pattern) && !Files.exists(parent)) {
                Files.createDirectories(parent);
                created.add(parent);
            }
        }
        return created;
    }

    @Override
    public Integer call() throws Exception {
        Path state = stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".skulk", "skulk-logs-standalone");
        Function<String, String> env = options.env();
        // Both configurations depend on the broker's address, known only once it runs; they are validated first
        // with a placeholder address, so that every configuration error shows before anything starts.
        Function<String, AgentConfig> agentFor = kafka -> AgentConfigLoader.load(AgentCommand.overrides(options.reader(), files, kafka,
                nodeId, state.resolve("agent").toString(), agentHttp), env);
        Function<String, RelayConfig> relayFor = kafka -> RelayConfigLoader.load(ConfigReader.empty().override("kafka.bootstrap_servers",
                kafka).override("victorialogs.url", victoriaLogsUrl).override("http.listen", relayHttp), env);
        AgentConfig agentConfig;
        RelayConfig relayConfig;
        try {
            agentConfig = agentFor.apply("127.0.0.1:1");
            relayConfig = relayFor.apply("127.0.0.1:1");
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        LOG.info("skulk-logs {} standalone: state in {}", SkulkLogs.version(), state);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(state.resolve("kafka"), "127.0.0.1", kafkaPort, Map.of());
        try {
            broker.start();
        } catch (DataDirInUseException e) {
            System.err.println(e.getMessage() + ". Stop it, or pass another --state-dir.");
            return 2;
        } catch (Exception e) {
            if (ServiceLifecycle.rootCause(e) instanceof BindException) {
                System.err.println("Kafka port " + kafkaPort + " on 127.0.0.1 is already in use. Stop what uses it, or pass "
                        + "--kafka-port 0 (any free port) or another port.");
                return 2;
            }
            throw e;
        }
        String bootstrap = broker.bootstrapServers();
        LOG.info("embedded Kafka broker (KRaft) listening on {}, data in {}", bootstrap, broker.dataDir());
        Topics.ensure(bootstrap, Map.of(agentConfig.kafka().topic(), 3, relayConfig.kafka().deadLetterTopic(), 1,
                relayConfig.kafka().statusTopic(), 1), (short) 1);

        agentConfig = agentFor.apply(bootstrap);
        relayConfig = relayFor.apply(bootstrap);

        for (Path dir : createMissingDirectories(agentConfig.files().include())) {
            LOG.info("created {} for the followed file (it did not exist yet)", dir);
        }

        Vertx vertx = ServiceLifecycle.vertx();
        Relay relay = new Relay(relayConfig);
        Agent agent = new Agent(agentConfig);
        try {
            ServiceLifecycle.start(vertx, relay, "the relay");
            ServiceLifecycle.start(vertx, agent, "the agent");
        } catch (ServiceLifecycle.StartFailedException e) {
            broker.close();
            if (ServiceLifecycle.rootCause(e) instanceof BindException) {
                System.err.println(e.getMessage() + ". Another standalone? Stop it, or pass --agent-http / --relay-http with another "
                        + "HOST:PORT (or off).");
                return 2;
            }
            throw e;
        }
        LOG.info("ready: append lines to {} and find them in VictoriaLogs ({}/select/vmui/). Ctrl-C stops.",
                String.join(", ", agentConfig.files().include()), victoriaLogsUrl);
        String vl = victoriaLogsUrl;
        vertx.setPeriodic(statusSeconds * 1000L, id -> relay.telemetry().health().onSuccess(h -> {
            JsonObject store = h.getJsonObject("checks").getJsonObject("victorialogs", new JsonObject());
            LOG.info("lines read {} · in Kafka {} · in VictoriaLogs {} · dead-lettered {} · VictoriaLogs {}",
                    agent.metrics().linesReadTotal(), agent.metrics().linesShippedTotal(), relay.metrics().linesOutTotal(),
                    relay.metrics().deadLetteredTotal(),
                    store.getBoolean("up", false) ? "OK" : "UNREACHABLE at " + vl + " (" + store.getString("detail", "?")
                            + ") — lines wait in Kafka until it is back");
        }));
        ServiceLifecycle.awaitShutdown(() -> vertx.close().eventually(() -> Future.fromCompletionStage(
                java.util.concurrent.CompletableFuture.runAsync(broker::close))), 60);
        return 0;
    }

}
