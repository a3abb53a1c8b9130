package foundation.foxlight.skulklogs.it;

import foundation.foxlight.skulklogs.agent.buffer.BufferInspector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * What a power loss does to the state directory of an agent that was just killed with SIGKILL: after a kill the page
 * cache still holds every write; after a power loss, whatever was not fsynced may be gone. Applied to the files of a
 * killed agent whose buffer reported its fsyncs ({@link SegmentSyncLog}), before the next start:
 *
 * <ul>
 *   <li>each buffer segment ({@code buffer/segment-*.seg}) is cut to the size it was last reported synced at; with
 *       {@code zeroFill} it is then filled with zeros up to its size before the cut (ext4 can keep a file's size but not
 *       its data). A segment never reported (killed before its directory entry was fsynced) is removed, or with
 *       {@code zeroFill} all zeros;</li>
 *   <li>{@code buffer/ack.mark} is removed (rewritten without fsync);</li>
 *   <li>{@code file-checkpoints.json.hint} is kept as the kill left it, although it is rewritten without fsync too:
 *       the harshest case, a hint that reached the disk while the buffer records it names did not. The agent must
 *       then ignore it;</li>
 *   <li>files written by temp file + fsync + rename (+ directory fsync) are kept: {@code file-checkpoints.json}, the
 *       buffer's {@code checkpoint-*.ckpt}. So are temp files left by the kill (the agent discards them).</li>
 * </ul>
 *
 * Not simulated: renames and deletions whose directory fsync had not happened yet coming undone (old checkpoints,
 * acknowledged segments, used hints reappearing).
 */
final class PowerLoss {
    /** The buffer's acknowledgement mark ({@code AckMark.FILE_NAME}, package-private in the agent). */
    private static final String ACK_MARK = "ack.mark";
    /** The file source's position hints ({@code PositionHints} beside {@code file-checkpoints.json}). */
    private static final String FILE_POSITION_HINTS = "file-checkpoints.json.hint";

    private PowerLoss() {
    }

    /**
     * What one power loss destroyed.
     *
     * @param bytesCut              segment bytes cut or zeroed (not fsynced)
     * @param recordsCut            valid buffer records in those bytes
     * @param unacknowledgedCut     of those, records above the durable acknowledged prefix (the buffer checkpoint): ones the
     *                              agent still had to deliver, as far as its durable state knows
     * @param segmentsCut           segments that lost bytes
     * @param segmentsRemoved       segments never reported synced (removed or zeroed)
     * @param hintKept              a file position hint was there (and kept)
     */
    record Damage(long bytesCut, long recordsCut, long unacknowledgedCut, int segmentsCut, int segmentsRemoved, boolean hintKept) {
    }

    /**
     * Segment bytes in {@code stateDir} beyond what was reported synced: what a power loss now would destroy. May run
     * while the agent runs (then the answer may be stale by the time it is returned).
     */
    static long unsyncedBytes(Path stateDir, Map<String, Long> syncedSizes) throws IOException {
        long unsynced = 0;
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(stateDir.resolve("buffer"), "segment-*.seg")) {
            for (Path segment : segments) {
                try {
                    unsynced += Math.max(0, Files.size(segment) - syncedSizes.getOrDefault(segment.getFileName().toString(), 0L));
                } catch (java.nio.file.NoSuchFileException e) {
                    // deleted meanwhile (acknowledged)
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return 0; // before the first start
        }
        return unsynced;
    }

    /**
     * Applies a power loss to {@code stateDir} (the agent's {@code state_dir}; the agent must not be running), given the
     * size each segment was last reported synced at.
     *
     * @throws IllegalStateException if a segment is shorter than its synced size (the sync reports are wrong)
     */
    static Damage strike(Path stateDir, Map<String, Long> syncedSizes, boolean zeroFill) throws IOException {
        Path buffer = stateDir.resolve("buffer");
        Files.deleteIfExists(buffer.resolve(ACK_MARK));
        BufferInspector.CheckReport before = BufferInspector.check(buffer);
        long bytesCut = 0;
        int segmentsCut = 0;
        int segmentsRemoved = 0;
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(buffer, "segment-*.seg")) {
            for (Path segment : segments) {
                long size = Files.size(segment);
                Long synced = syncedSizes.get(segment.getFileName().toString());
                if (synced == null) {
                    segmentsRemoved++;
                    bytesCut += size;
                    if (zeroFill) {
                        cut(segment, 0, size);
                    } else {
                        Files.delete(segment);
                    }
                } else if (synced < size) {
                    segmentsCut++;
                    bytesCut += size - synced;
                    cut(segment, synced, zeroFill ? size : synced);
                } else if (synced > size) {
                    throw new IllegalStateException(segment + " has " + size + " bytes but was reported synced at " + synced);
                }
            }
        }
        BufferInspector.CheckReport after = BufferInspector.check(buffer);
        return new Damage(bytesCut, before.records() - after.records(), before.unackedRecords() - after.unackedRecords(), segmentsCut,
                segmentsRemoved, Files.exists(stateDir.resolve(FILE_POSITION_HINTS)));
    }

    /** Keeps the first {@code keep} bytes of {@code file}; zeros follow up to {@code size} bytes. */
    private static void cut(Path file, long keep, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(keep);
            if (size > keep) {
                ch.write(ByteBuffer.allocate(1), size - 1); // the bytes in between read as zeros
            }
        }
    }
}
