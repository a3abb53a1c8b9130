package foundation.foxlight.skulklogs.agent.buffer;

import java.nio.file.Path;

/**
 * Test seam: told how much of each segment file is on stable storage, so that a test can simulate a power loss
 * (cut every segment to the size last reported for it) and check that nothing the buffer reported durable is
 * lost. Production buffers use {@link #NONE} (the default of {@link BufferConfig}).
 *
 * <p>Contract: {@link #segmentSynced} is called after an fsync of {@code segmentFile} returned, with the size the
 * file had when that fsync was decided on (the fsync may have covered more, never less), and before
 * {@link DiskBuffer#durableId()} is raised over any record in those bytes. So every record the buffer ever
 * reported durable lies within the size last reported for its segment. Reported: each group commit that raises
 * {@code durableId} ({@link DiskBuffer#sync()}, also from the fsync thread and at close), the sealing of a segment at
 * a roll, a new segment's header (once its directory entry is fsynced too) and, at open, what recovery kept of the
 * previous run's last segment once forced. For one file, a later report supersedes the earlier ones. Nothing else
 * the buffer writes to segments is on stable storage; checkpoint files are (temp file, fsync, rename, directory
 * fsync), the ack mark is not.
 *
 * <p>Threading: called on the thread that fsynced, holding the buffer's internal lock, so it is never called
 * concurrently for one buffer. It must be quick, must not call the buffer and must not throw (it runs in the
 * middle of a roll or a recovery; an exception would leave the buffer in an undefined state).
 */
@FunctionalInterface
public interface SegmentSyncListener {
  /** Ignores every report: the production listener. */
  SegmentSyncListener NONE = (segmentFile, syncedBytes) -> { };

  /**
   * @param segmentFile the segment file (in {@link BufferConfig#directory()})
   * @param syncedBytes its first {@code syncedBytes} bytes are on stable storage
   */
  void segmentSynced(Path segmentFile, long syncedBytes);
}
