package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.agent.buffer.BufferInUseException;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.agent.source.StdinPrefetch;
import foundation.foxlight.skulklogs.common.config.ConfigException;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code skulk-logs agent}: the per-node shipper. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Tail Skulk's log file(s) into a disk buffer and produce them to Kafka.")
final class AgentCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);
    /**
     * With {@code --stdin} (Skulk's internal mode) a port or the buffer held by another process is waited for this
     * long: Skulk spawns a new agent when it starts again, possibly while the agent of its previous run is still
     * stopping after the end of its input; failing at once would break the new pipe, and Skulk would write no JSON
     * for that whole run.
     */
    private static final Duration PREDECESSOR_WAIT = Duration.ofSeconds(30);
    private static final long RETRY_MILLIS = 250;

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
        // Drain Skulk's pipe from now on: the agent takes a second or two to start, and may wait for its predecessor.
        StdinPrefetch stdinPrefetch = !config.stdin().enabled() ? null : new StdinPrefetch(System.in, config.stdin().maxPendingBytes(),
                config.stdin().whenFull() == AgentConfig.WhenFull.DROP_NEWEST).start();
        long waitUntil = System.nanoTime() + PREDECESSOR_WAIT.toNanos();
        boolean waited = false;
        while (true) {
            Vertx vertx = ServiceLifecycle.vertx();
            Agent agent = new Agent(config, stdinPrefetch);
            try {
                ServiceLifecycle.start(vertx, agent, "the agent");
            } catch (ServiceLifecycle.StartFailedException e) {
                if (!config.stdin().enabled() || !heldByAnotherProcess(e) || System.nanoTime() > waitUntil) {
                    if (stdinPrefetch != null) { // counted here: no agent, no metric
                        LOG.error("stdin: {} line(s) read while the agent was starting are lost with it, and {} were dropped "
                                + "for want of room (sources.stdin.max_pending_bytes)", stdinPrefetch.heldLines(),
                                stdinPrefetch.takeDroppedLines());
                    }
                    throw e;
                }
                if (!waited) {
                    LOG.info("{}; waiting up to {} s for it to be released (Skulk's previous agent may still be stopping)",
                            e.getMessage(), PREDECESSOR_WAIT.toSeconds());
                    waited = true;
                }
                Thread.sleep(RETRY_MILLIS);
                continue;
            }
            ServiceLifecycle.awaitShutdown(() -> vertx.close(), 30, agent.inputEnded());
            return 0;
        }
    }

    /** A port or the disk buffer held by another process: in Skulk's internal mode, the agent of its previous run. */
    private static boolean heldByAnotherProcess(Exception e) {
        Throwable root = ServiceLifecycle.rootCause(e);
        return root instanceof BindException || root instanceof BufferInUseException;
    }
}
