package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.common.config.ConfigReader;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags that say which node the agent serves: files to tail, Kafka address, state directory. Shared by
 * {@code agent} and {@code doctor}, so the doctor checks exactly what the agent would use.
 */
final class AgentSourceOptions {
    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "File to tail (repeatable; default: $SKULK_LOG_FILE or ~/.skulk/logs/skulk.stdout.log).")
    List<String> files;

    @Option(names = {"-k", "--kafka"}, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: $SKULK_LOGS_KAFKA or 127.0.0.1:9092).")
    String kafka;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Checkpoints and disk buffer (default: $SKULK_VECTOR_DATA_DIR/skulk-logs or ~/.skulk/skulk-logs).")
    String stateDir;

    /** Applies these flags over the config file's values. */
    ConfigReader applyTo(ConfigReader r) {
        return AgentCommand.overrides(r, files, kafka, null, stateDir, null);
    }
}
