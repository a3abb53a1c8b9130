package foundation.foxlight.skulklogs.it;

import foundation.foxlight.skulklogs.agent.Agent;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test entry point: the real {@link Agent}, configured as {@code skulk-logs agent --file FILE --kafka BOOTSTRAP
 * --node-id NODE --state-dir STATE_DIR --http off} would configure it (defaults for everything else, the fsync policy
 * included), with one difference: its disk buffer reports every fsync to a {@link SegmentSyncLog}. Started as a
 * separate process ({@code LauncherProcess.startMain}) so that the test can kill it with SIGKILL and then simulate a
 * power loss from that log ({@link PowerLoss}).
 *
 * <p>Arguments: {@code SYNC_LOG FILE BOOTSTRAP NODE STATE_DIR}. It runs until killed: there is no clean stop (a test
 * that needs one runs the real launcher).
 */
public final class SyncLoggingAgentMain {
    private SyncLoggingAgentMain() {
    }

    /** The arguments that start this entry point for {@code file}, as {@code node} against {@code bootstrap}. */
    static List<String> arguments(Path syncLog, Path file, String bootstrap, String node, Path stateDir) {
        return List.of(syncLog.toString(), file.toString(), bootstrap, node, stateDir.toString());
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SyncLoggingAgentMain SYNC_LOG FILE BOOTSTRAP NODE STATE_DIR");
            System.exit(2);
        }
        try {
            ConfigReader flags = ConfigReader.empty().override("sources.files.include", args[1]).override("kafka.bootstrap_servers", args[2])
                    .override("node_id", args[3]).override("state_dir", args[4]).override("http.listen", "off");
            AgentConfig c = AgentConfigLoader.load(flags, name -> null);
            AgentConfig config = new AgentConfig(c.nodeId(), c.stateDir(), c.files(), c.stdin(), c.journald(),
                    c.buffer().withSyncListener(SegmentSyncLog.appendingTo(Path.of(args[0]))), c.kafka(), c.stripAnsi(), c.httpHost(),
                    c.httpPort());
            Vertx.vertx().deployVerticle(new Agent(config)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // Vert.x's threads would keep a half-started agent alive
        }
        new CountDownLatch(1).await(); // until killed
    }
}
