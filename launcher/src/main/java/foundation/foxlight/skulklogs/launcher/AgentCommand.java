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

    @Mixin
    AgentSourceOptions source;

    @Option(names = "--node-id", description = "This node's name (default: the host name).")
    String nodeId;

    @Option(names = "--stdin", description = "Also read lines from standard input (Skulk's internal mode: Skulk pipes its JSON lines in). Never blocks the writer: when the disk buffer is full, the newest lines are dropped and counted.")
    boolean stdin;

    @Option(names = "--journald", description = "Also read Skulk's lines from the systemd journal (journalctl --user -u skulk).")
    boolean journald;

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
            ConfigReader r = source.applyTo(options.reader()).override("node_id", nodeId).override("http.listen", http);
            if (stdin) {
                r.override("sources.stdin.enabled", "true");
            }
            if (journald) {
                r.override("sources.journald.enabled", "true");
            }
            config = AgentConfigLoader.load(r, options.env());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Vertx vertx = ServiceLifecycle.vertx();
        ServiceLifecycle.start(vertx, new Agent(config), "the agent");
        ServiceLifecycle.awaitShutdown(() -> vertx.close(), 30);
        return 0;
    }
}
