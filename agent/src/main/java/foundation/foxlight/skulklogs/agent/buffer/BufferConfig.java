package foundation.foxlight.skulklogs.agent.buffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of a {@link DiskBuffer}. Immutable; the canonical constructor does not check
 * anything so that a configuration loader can report every mistake at once via
 * {@link #validate()}. {@link DiskBuffer#open(BufferConfig)} refuses an invalid configuration.
 *
 * @param directory where segments and checkpoints live; created if missing; one buffer per
 *     directory (guarded by a lock file)
 * @param maxBytes cap on the bytes of all segment files (headers included); an append that would
 *     exceed it throws {@link BufferFullException}
 * @param segmentBytes size at which the active segment is rolled; a record bigger than this gets a
 *     segment of its own
 * @param fsyncPolicy when appends are forced to disk
 * @param syncListener test seam told how much of each segment is on stable storage ({@link SegmentSyncListener});
 *     {@link SegmentSyncListener#NONE} (also for null) outside tests
 */
public record BufferConfig(Path directory, long maxBytes, long segmentBytes, FsyncPolicy fsyncPolicy,
    SegmentSyncListener syncListener) {

  /** Null stands for {@link SegmentSyncListener#NONE}; nothing else is checked here (see {@link #validate()}). */
  public BufferConfig {
    if (syncListener == null) {
      syncListener = SegmentSyncListener.NONE;
    }
  }

  /** A configuration without a sync listener (as in production). */
  public BufferConfig(Path directory, long maxBytes, long segmentBytes, FsyncPolicy fsyncPolicy) {
    this(directory, maxBytes, segmentBytes, fsyncPolicy, SegmentSyncListener.NONE);
  }

  /** Default cap on the buffer size: 512 MiB. */
  public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;
  /** Default segment size: 64 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  /** Smallest accepted segment size (tests use tiny segments so rollovers happen quickly). */
  public static final long MIN_SEGMENT_BYTES = 64;

  /** @return a configuration with 512 MiB cap, 64 MiB segments and fsync every 500 ms */
  public static BufferConfig defaults(Path directory) {
    return new BufferConfig(directory, DEFAULT_MAX_BYTES, DEFAULT_SEGMENT_BYTES, FsyncPolicy.defaultPolicy());
  }

  /** @return a copy with another cap */
  public BufferConfig withMaxBytes(long newMaxBytes) {
    return new BufferConfig(directory, newMaxBytes, segmentBytes, fsyncPolicy, syncListener);
  }

  /** @return a copy with another segment size */
  public BufferConfig withSegmentBytes(long newSegmentBytes) {
    return new BufferConfig(directory, maxBytes, newSegmentBytes, fsyncPolicy, syncListener);
  }

  /** @return a copy with another fsync policy */
  public BufferConfig withFsyncPolicy(FsyncPolicy newPolicy) {
    return new BufferConfig(directory, maxBytes, segmentBytes, newPolicy, syncListener);
  }

  /** @return a copy that reports fsynced segment sizes to {@code listener} (tests: see {@link SegmentSyncListener}) */
  public BufferConfig withSyncListener(SegmentSyncListener listener) {
    return new BufferConfig(directory, maxBytes, segmentBytes, fsyncPolicy, listener);
  }

  /**
   * Checks every constraint and reports all violations.
   *
   * @return human-readable messages, empty when the configuration is valid
   */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    if (directory == null) {
      errors.add("buffer directory is required");
    }
    if (segmentBytes < MIN_SEGMENT_BYTES) {
      errors.add("buffer segmentBytes must be at least " + MIN_SEGMENT_BYTES + " (got " + segmentBytes + ")");
    }
    if (maxBytes < segmentBytes) {
      errors.add("buffer maxBytes (" + maxBytes + ") must be >= segmentBytes (" + segmentBytes + ")");
    }
    if (fsyncPolicy == null) {
      errors.add("buffer fsyncPolicy is required");
    } else if (fsyncPolicy instanceof FsyncPolicy.Interval interval
        && (interval.every() == null || interval.every().isNegative() || interval.every().isZero())) {
      errors.add("buffer fsync interval must be positive (got " + interval.every() + ")");
    }
    return errors;
  }
}
