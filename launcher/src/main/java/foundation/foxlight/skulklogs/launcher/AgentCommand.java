package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.common.config.ConfigException;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code skulk-logs agent}: the per-node shipper. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Tail Skulk's log file(s) into a disk buffer and produce them to Kafka.")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "File to tail (repeatable; default: $SKULK_LOG_FILE or ~/.skulk/logs/skulk.stdout.log).")
    List<String> files;

    @Option(names = {"-k", "--kafka"}, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: $SKULK_LOGS_KAFKA or 127.0.0.1:9092).")
    String kafka;

    @Option(names = "--node-id", description = "This node's name (default: the host name).")
    String nodeId;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Checkpoints and disk buffer (default: $SKULK_VECTOR_DATA_DIR/skulk-logs or ~/.skulk/skulk-logs).")
    String stateDir;

    @Option(names = "--http", paramLabel = "HOST:PORT", description = "Local /health and /metrics (default 127.0.0.1:8687; 'off' to disable).")
    String http;

    /** Applies the flags over the file. */
    static ConfigReader overrides(ConfigReader r, List<String> files, String kafka, String nodeId, String stateDir, String http) {
        if (files != null && !files.isEmpty()) {
            r.override("sources.files.include", String.join(",", files));
        }
        return r.override("kafka.bootstrap_servers", kafka).override("node_id", nodeId).override("state_dir", stateDir)
                .override("http.listen", http);
    }

    @Override
    public Integer call() throws Exception {
        AgentConfig config;
        try {
            config = AgentConfigLoader.load(overrides(options.reader(), files, kafka, nodeId, stateDir, http), options.env());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Vertx vertx = Runtime.vertx();
        Agent agent = new Agent(config);
        Runtime.await(vertx.deployVerticle(agent), 60, "starting the agent");
        Runtime.awaitShutdown(() -> vertx.close(), 30);
        return 0;
    }
}
