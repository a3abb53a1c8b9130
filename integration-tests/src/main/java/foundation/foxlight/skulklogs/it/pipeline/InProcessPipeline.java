package foundation.foxlight.skulklogs.it.pipeline;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.it.kafka.InProcessServices;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.launcher.kafka.EmbeddedKafkaBroker;
import foundation.foxlight.skulklogs.launcher.kafka.Topics;
import foundation.foxlight.skulklogs.relay.Relay;
import foundation.foxlight.skulklogs.relay.config.RelayConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole pipeline in this JVM, for tests: a real embedded Kafka broker, a relay and an agent, each
 * configured exactly as the {@code skulk-logs} command would (through the same config loaders), writing
 * into the given VictoriaLogs under the given tenant. Ports are ephemeral, state lives under {@code dir}.
 * The relay and agent run on an {@link InProcessServices} over this broker. {@link #close()} stops the agent,
 * the relay and the broker, in that order.
 */
public final class InProcessPipeline implements AutoCloseable {
    public static final String TOPIC = "skulk-logs";
    public static final String DEAD_LETTER_TOPIC = "skulk-logs-deadletter";
    public static final String STATUS_TOPIC = "skulk-logs-status";

    private EmbeddedKafkaBroker broker;
    private final int brokerPort;
    private final Path dir;
    private final InProcessServices services;
    private InProcessServices.Deployed<Agent> agent;

    private InProcessPipeline(Path dir) throws Exception {
        this.dir = dir;
        this.broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0, Map.of()).start();
        String bootstrap = broker.bootstrapServers();
        this.brokerPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        Topics.ensure(broker.bootstrapServers(), Map.of(TOPIC, 3, DEAD_LETTER_TOPIC, 1, STATUS_TOPIC, 1), (short) 1);
        this.services = new InProcessServices(bootstrapServers(), dir);
    }

    /** Starts a broker only; add the relay and agent with {@link #startRelay} and {@link #startAgent}. */
    public static InProcessPipeline startBroker(Path dir) throws Exception {
        return new InProcessPipeline(dir);
    }

    /** The relay's settings for this test: see {@link InProcessServices#relayConfig}. */
    public RelayConfig relayConfig(String victoriaLogsUrl, Tenant tenant, UnaryOperator<ConfigReader> tweak) {
        return services.relayConfig(victoriaLogsUrl, tenant, tweak);
    }

    /** The agent's settings for this test: see {@link InProcessServices#agentConfig}. */
    public AgentConfig agentConfig(Path file, String nodeId, UnaryOperator<ConfigReader> tweak) {
        return services.agentConfig(file, nodeId, tweak);
    }

    public Relay startRelay(RelayConfig config) throws Exception {
        return services.startRelay(config).service();
    }

    public Agent startAgent(AgentConfig config) throws Exception {
        agent = services.startAgent(config);
        return agent.service();
    }

    /** Stops the last started agent (as a clean shutdown would). */
    public void stopAgent() throws Exception {
        if (agent != null) {
            services.stop(agent);
            agent = null;
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
        return services.vertx();
    }

    @Override
    public void close() throws Exception {
        try {
            services.close();
        } finally {
            broker.close();
        }
    }
}
