package foundation.foxlight.skulklogs.it.kafka;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.relay.Relay;
import foundation.foxlight.skulklogs.relay.config.RelayConfig;
import foundation.foxlight.skulklogs.relay.config.RelayConfigLoader;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Relays and agents in this JVM against any Kafka (a cluster, a secured listener), each configured exactly as
 * the {@code skulk-logs} command would (through the same config loaders), on one Vert.x instance. Ports are
 * ephemeral, state lives under {@code dir}. Blocking methods: call them from the test thread. {@link #close()}
 * undeploys everything (clean stops) and closes Vert.x.
 */
public final class InProcessServices implements AutoCloseable {
    /** A deployed service and how to undeploy it. */
    public record Deployed<T>(T service, String deploymentId) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final String bootstrap;
    private final Path dir;

    /** Services for the Kafka at {@code bootstrap}, keeping their state under {@code dir}. */
    public InProcessServices(String bootstrap, Path dir) {
        this.bootstrap = bootstrap;
        this.dir = dir;
    }

    /** The relay's settings: this Kafka, the store, a tenant, no HTTP, a short hold-back; {@code tweak} may add more. */
    public RelayConfig relayConfig(String victoriaLogsUrl, Tenant tenant, UnaryOperator<ConfigReader> tweak) {
        ConfigReader r = ConfigReader.empty()
                .override("kafka.bootstrap_servers", bootstrap)
                .override("victorialogs.url", victoriaLogsUrl)
                .override("kafka.commit_hold_back", "300ms")
                .override("http.listen", "off");
        if (!tenant.isDefault()) {
            r.override("victorialogs.account_id", String.valueOf(tenant.accountId()))
                    .override("victorialogs.project_id", String.valueOf(tenant.projectId()));
        }
        return RelayConfigLoader.load(tweak.apply(r), k -> null);
    }

    /** The agent's settings: tails {@code file}, state in {@code dir/agent-<nodeId>}, fast fsync, no HTTP; {@code tweak} may add more. */
    public AgentConfig agentConfig(Path file, String nodeId, UnaryOperator<ConfigReader> tweak) {
        ConfigReader r = ConfigReader.empty()
                .override("kafka.bootstrap_servers", bootstrap)
                .override("sources.files.include", file.toString())
                .override("node_id", nodeId)
                .override("state_dir", dir.resolve("agent-" + nodeId).toString())
                .override("buffer.fsync", "20ms")
                .override("sources.files.poll_interval", "20ms")
                .override("http.listen", "off");
        return AgentConfigLoader.load(tweak.apply(r), k -> null);
    }

    public Deployed<Relay> startRelay(RelayConfig config) throws Exception {
        return deploy(new Relay(config));
    }

    public Deployed<Agent> startAgent(AgentConfig config) throws Exception {
        return deploy(new Agent(config));
    }

    /** The Vert.x instance every service here runs on. */
    public Vertx vertx() {
        return vertx;
    }

    /** Stops a service cleanly (as its command would on SIGTERM) and waits. */
    public void stop(Deployed<?> deployed) throws Exception {
        await(vertx.undeploy(deployed.deploymentId()));
    }

    private <T extends Deployable> Deployed<T> deploy(T service) throws Exception {
        return new Deployed<>(service, await(vertx.deployVerticle(service)));
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // A start or stop that hangs is a product bug: leave every thread's stack in the test output to find it.
            StringBuilder dump = new StringBuilder("service start/stop did not complete in 120 s; threads:\n");
            Thread.getAllStackTraces().forEach((t, stack) -> {
                dump.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
                for (StackTraceElement el : stack) {
                    dump.append("    at ").append(el).append('\n');
                }
            });
            System.err.println(dump);
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        await(vertx.close());
    }
}
