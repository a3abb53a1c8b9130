package foundation.foxlight.skulklogs.agent.config;

import foundation.foxlight.skulklogs.agent.source.FileTailer.ReadFrom;
import java.time.Duration;
import java.util.List;

/**
 * {@code sources.files}: which files to tail and how.
 *
 * @param include            file paths to follow ({@code ~} expanded)
 * @param exclude            file-name globs that files matched by a pattern of {@code include} must not match (rotated
 *                           copies such as Skulk's {@code skulk.stdout.log.1}); a path named as it is is always followed
 * @param readFrom           where to start in a file never seen before
 * @param maxLineBytes       longer lines are cut into pieces of this size, each flagged (default 256 KiB, VictoriaLogs' own limit)
 * @param maxBatchBytes      bytes read into one buffer record at most
 * @param partialLineTimeout an unterminated last line is shipped as is after this long without new data
 * @param pollInterval       how often an idle file is checked for new data, rotation and truncation
 */
public record FileSourceConfig(List<String> include, List<String> exclude, ReadFrom readFrom, int maxLineBytes, int maxBatchBytes,
        Duration partialLineTimeout, Duration pollInterval) {
    /**
     * Rotated and compressed copies: {@code skulk.stdout.log.1} (the last 5 MB Skulk's wrapper copies aside at every
     * start, already shipped from the live file), logrotate's {@code .1}, {@code .12}, {@code .2.gz}.
     */
    public static final List<String> DEFAULT_EXCLUDE = List.of("*.[0-9]", "*.[0-9][0-9]", "*.gz", "*.bz2", "*.xz", "*.zst", "*.zip");
    public static final int DEFAULT_MAX_LINE_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
}
