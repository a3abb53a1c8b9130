package foundation.foxlight.skulklogs.agent.source;

import java.util.List;

/** The line and batch limits every streaming source (stdin, journald) validates the same way. */
final class BatchLimits {
    private BatchLimits() {
    }

    /** Adds a message to {@code errors} for each limit that is not positive. */
    static void check(List<String> errors, int maxLineBytes, int maxBatchBytes, int maxBatchLines) {
        if (maxLineBytes < 1) {
            errors.add("max_line_bytes must be positive (got " + maxLineBytes + ")");
        }
        if (maxBatchBytes < 1) {
            errors.add("max_batch_bytes must be positive (got " + maxBatchBytes + ")");
        }
        if (maxBatchLines < 1) {
            errors.add("max_batch_lines must be positive (got " + maxBatchLines + ")");
        }
    }
}
