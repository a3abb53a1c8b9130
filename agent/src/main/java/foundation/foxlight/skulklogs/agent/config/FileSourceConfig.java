package foundation.foxlight.skulklogs.agent.config;

import foundation.foxlight.skulklogs.agent.source.FileTailer.ReadFrom;
import java.time.Duration;
import java.util.List;

/**
 * {@code sources.files}: which files to tail and how.
 *
 * @param include            file paths to follow ({@code ~} expanded)
 * @param readFrom           where to start in a file never seen before
 * @param maxLineBytes       longer lines are cut into pieces of this size, each flagged (default 256 KiB, VictoriaLogs' own limit)
 * @param maxBatchBytes      bytes read into one buffer record at most
 * @param partialLineTimeout an unterminated last line is shipped as is after this long without new data
 * @param pollInterval       how often an idle file is checked for new data, rotation and truncation
 */
public record FileSourceConfig(List<String> include, ReadFrom readFrom, int maxLineBytes, int maxBatchBytes,
        Duration partialLineTimeout, Duration pollInterval) {
    public static final int DEFAULT_MAX_LINE_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
}
