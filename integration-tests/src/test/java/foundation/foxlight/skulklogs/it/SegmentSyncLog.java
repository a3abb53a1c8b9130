package foundation.foxlight.skulklogs.it;

import foundation.foxlight.skulklogs.agent.buffer.SegmentSyncListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A file of the disk buffer's fsync reports ({@link SegmentSyncListener}), one line per report:
 * {@code <segment file name> <synced bytes>}. The agent process appends to it ({@link #appendingTo}); the test reads
 * it after a kill -9 ({@link #lastSyncedSizes}) to know what a power loss would have left of each segment. Every line
 * is one plain write, no fsync: a kill keeps the page cache, and a report is written before the buffer counts its
 * bytes as durable, so a kill between the two only makes the simulated loss harsher than the buffer relied on.
 * Several agent runs append to the same file, so it covers segments written by earlier runs too.
 */
final class SegmentSyncLog {
    private SegmentSyncLog() {
    }

    /**
     * A listener appending each report to {@code log} (created if missing). Its file stays open for the life of the
     * process (the agent using it is only ever killed). When a write fails the process halts at once, as a kill would: a
     * report missing from the file would make the test cut bytes that the buffer relies on, and a listener must not
     * throw ({@link SegmentSyncListener}); halting before the buffer counts the bytes as durable keeps the log right.
     */
    static SegmentSyncListener appendingTo(Path log) throws IOException {
        FileChannel out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return (segmentFile, syncedBytes) -> {
            ByteBuffer line = ByteBuffer.wrap((segmentFile.getFileName() + " " + syncedBytes + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                while (line.hasRemaining()) {
                    out.write(line);
                }
            } catch (IOException e) {
                System.err.println("cannot write the segment sync log " + log + ": " + e + "; halting");
                Runtime.getRuntime().halt(3);
            }
        };
    }

    /**
     * The size each segment file was last reported synced at, by file name; an incomplete last line (the process was
     * killed in the middle of writing it) is ignored. Empty when the file does not exist.
     */
    static Map<String, Long> lastSyncedSizes(Path log) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        if (!Files.exists(log)) {
            return sizes;
        }
        String text = Files.readString(log, StandardCharsets.US_ASCII);
        int complete = text.lastIndexOf('\n') + 1;
        for (String line : text.substring(0, complete).split("\n")) {
            if (!line.isEmpty()) {
                int space = line.lastIndexOf(' ');
                sizes.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            }
        }
        return sizes;
    }
}
