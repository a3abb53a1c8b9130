package foundation.foxlight.skulklogs.it.pipeline;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaBroker;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import foundation.foxlight.skulklogs.relay.Relay;
import foundation.foxlight.skulklogs.relay.config.RelayConfig;
import foundation.foxlight.skulklogs.relay.config.RelayConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The whole pipeline in this JVM, for tests: a real embedded Kafka broker, a relay and an agent, each
 * configured exactly as the {@code skulk-logs} command would (through the same config loaders), writing
 * into the given VictoriaLogs under the given tenant. Ports are ephemeral, state lives under {@code dir}.
 * {@link #close()} stops the agent, the relay and the broker, in that order.
 */
public final class InProcessPipeline implements AutoCloseable {
    public static final String TOPIC = "skulk-logs";
    public static final String DEAD_LETTER_TOPIC = "skulk-logs-deadletter";
    public static final String STATUS_TOPIC = "skulk-logs-status";

    private EmbeddedKafkaBroker broker;
    private int brokerPort;
    private final Vertx vertx = Vertx.vertx();
    private Relay relay;
    private Agent agent;
    private String agentDeployment;
    private final Path dir;

    private InProcessPipeline(Path dir) throws Exception {
        this.dir = dir;
        this.broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0, Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        this.brokerPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        Topics.ensure(broker.bootstrapServers(), Map.of(TOPIC, 3, DEAD_LETTER_TOPIC, 1, STATUS_TOPIC, 1), (short) 1);
    }

    /** Starts a broker only; add the relay and agent with {@link #startRelay} and {@link #startAgent}. */
    public static InProcessPipeline startBroker(Path dir) throws Exception {
        return new InProcessPipeline(dir);
    }

    /** The relay's settings for this test: the broker, the store, a tenant, no HTTP, a short hold-back; {@code tweak} may add more. */
    public RelayConfig relayConfig(String victoriaLogsUrl, Tenant tenant, UnaryOperator<ConfigReader> tweak) {
        ConfigReader r = ConfigReader.empty()
                .override("kafka.bootstrap_servers", broker.bootstrapServers())
                .override("victorialogs.url", victoriaLogsUrl)
                .override("kafka.commit_hold_back", "300ms")
                .override("http.listen", "off");
        if (!tenant.isDefault()) {
            r.override("victorialogs.account_id", String.valueOf(tenant.accountId()))
                    .override("victorialogs.project_id", String.valueOf(tenant.projectId()));
        }
        return RelayConfigLoader.load(tweak.apply(r), k -> null);
    }

    /** The agent's settings for this test: tails {@code file}, state under the test dir, fast fsync, no HTTP. */
    public AgentConfig agentConfig(Path file, String nodeId, UnaryOperator<ConfigReader> tweak) {
        ConfigReader r = ConfigReader.empty()
                .override("kafka.bootstrap_servers", broker.bootstrapServers())
                .override("sources.files.include", file.toString())
                .override("node_id", nodeId)
                .override("state_dir", dir.resolve("agent-" + nodeId).toString())
                .override("buffer.fsync", "20ms")
                .override("sources.files.poll_interval", "20ms")
                .override("http.listen", "off");
        return AgentConfigLoader.load(tweak.apply(r), k -> null);
    }

    public Relay startRelay(RelayConfig config) throws Exception {
        relay = new Relay(config);
        await(vertx.deployVerticle(relay));
        return relay;
    }

    public Agent startAgent(AgentConfig config) throws Exception {
        agent = new Agent(config);
        agentDeployment = await(vertx.deployVerticle(agent));
        return agent;
    }

    /** Stops the agent (as a clean shutdown would). */
    public void stopAgent() throws Exception {
        if (agentDeployment != null) {
            await(vertx.undeploy(agentDeployment));
            agentDeployment = null;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Stops the broker (clients see it go away); {@link #restartBroker()} brings it back on the same port and data. */
    public void stopBroker() {
        broker.close();
    }

    public void restartBroker() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", brokerPort, Map.of()).start();
    }

    public Vertx vertx() {
        return vertx;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            await(vertx.close());
        } finally {
            broker.close();
        }
    }
}
