package foundation.foxlight.skulklogs.agent.config;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.source.JournaldConfig;
import foundation.foxlight.skulklogs.agent.source.StdinConfig;
import java.nio.file.Path;

/**
 * The whole agent configuration, validated ({@link AgentConfigLoader}) before anything starts.
 *
 * @param nodeId    this node's name: fills {@code node_id} of lines without one, and is the Kafka key
 * @param stateDir  where checkpoints and the disk buffer live
 * @param files     the file source (no files: none)
 * @param stdin     the stdin source (Skulk's "internal" mode)
 * @param journald  the journald source (Linux, Skulk's systemd unit)
 * @param buffer    the disk buffer
 * @param kafka     the Kafka producer
 * @param stripAnsi remove ANSI escape codes from {@code msg} of every line (flagged {@code log.ansi_stripped})
 * @param httpHost  address of the local /health and /metrics endpoint (127.0.0.1 by default)
 * @param httpPort  its port (0 = ephemeral, -1 = disabled)
 */
public record AgentConfig(String nodeId, Path stateDir, FileSourceConfig files, StdinConfig stdin, JournaldConfig journald,
        BufferConfig buffer,
        KafkaSinkConfig kafka, boolean stripAnsi, String httpHost, int httpPort) {

    /**
     * Behaviour of a source when the disk buffer is full. File and journald sources always {@link #BLOCK} (their
     * data waits in the file or the journal, never lost); stdin chooses ({@code sources.stdin.when_full}).
     */
    public enum WhenFull {
        /** Stop reading; the data waits where it is (for stdin: the writer's pipe fills). */
        BLOCK,
        /** Drop the newest lines and count them (for stdin, which must never stall the writer). */
        DROP_NEWEST
    }
}
