package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.RecordFormat.FRAME_HEADER_BYTES;
import static foundation.foxlight.skulklogs.agent.buffer.RecordFormat.MAX_PAYLOAD_BYTES;
import static foundation.foxlight.skulklogs.agent.buffer.RecordFormat.SEGMENT_HEADER_BYTES;

import foundation.foxlight.skulklogs.agent.checkpoint.CrashHintFile;
import foundation.foxlight.skulklogs.common.config.Bytes;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

/**
 * A durable, bounded, segmented on-disk FIFO of opaque {@code byte[]} records with
 * at-least-once delivery.
 *
 * <h2>Lifecycle</h2>
 * {@link #open(BufferConfig)} creates the directory, locks it (one buffer per directory),
 * recovers (see below) and returns a ready buffer. Records are {@link #append(byte[]) appended},
 * {@link #read(int, long) read} in id order, {@link #ack(long) acknowledged} once delivered, and
 * the acknowledged prefix is made persistent by {@link #checkpoint()}, which also deletes fully
 * acknowledged segments. A consumer that abandons records it read calls {@link #rewind()}. {@link #close()} syncs and checkpoints but <b>never acknowledges</b>:
 * closing a buffer whose records were read but not delivered re-delivers them on the next open.
 *
 * <h2>Delivery contract (at-least-once)</h2>
 * After {@link #open(BufferConfig)}, reading starts at the first record above the persisted
 * acknowledged prefix. Records acknowledged after a gap, or acknowledged but not yet checkpointed,
 * are delivered again after a restart (duplicates are possible, loss is not). A record is never
 * lost once its id is &lt;= {@link #durableId()}, except to media corruption, which is detected
 * by a CRC32C per record, skipped, counted in {@link BufferStats} and treated as acknowledged so
 * the buffer never stalls behind it.
 *
 * <h2>Threading</h2>
 * All methods are thread-safe (one internal lock; fsync in {@link #sync()} runs outside it so
 * appends continue during a group commit). Typical use is one appender thread and one
 * reader/acker thread. Every method may block on disk I/O: call it from worker threads, never from
 * an event loop. With {@link FsyncPolicy.Interval} the buffer owns one daemon thread. The configuration's
 * {@link SegmentSyncListener} (a test seam) is called under the lock, after each fsync that makes records durable.
 *
 * <h2>Recovery at open</h2>
 * Segments are scanned (streaming, CRC-checked, never loaded into memory). A half-written tail of
 * the last segment (crash or power loss while appending, including a tail of zeros) is truncated
 * and counted in {@link BufferStats#tornTailsTruncated()}. A corrupt record elsewhere is skipped;
 * scanning resynchronises on the next frame whose id and CRC32C are valid (see
 * {@code FrameReader.resync}), so one garbage length field costs only the records it actually
 * destroyed. Bytes of a non-last segment after which no valid frame exists are skipped up to the
 * next segment. Ids that cannot be delivered are acknowledged automatically and counted. An
 * unreadable checkpoint falls back to the previous one, or to "nothing acknowledged". Orphan temp
 * files from an interrupted checkpoint are deleted; segments entirely below the checkpoint are
 * deleted. A segment of an unknown (newer) format version makes open fail rather than discard it.
 */
public final class DiskBuffer implements Closeable {
  private static final System.Logger LOG = System.getLogger(DiskBuffer.class.getName());
  static final int READ_AHEAD_BYTES = 64 * 1024;
  private static final int MAX_REUSED_FRAME_BUFFER = 4 * 1024 * 1024;
  /** A write that failed with less than this much more than it needed free failed for lack of space. */
  private static final long SPACE_SLACK_BYTES = 1024 * 1024;

  private final BufferConfig config;
  private final Path dir;
  private final SegmentSyncListener syncListener;
  private final Object lock = new Object();

  // Everything below is guarded by lock.
  private final List<Segment> segments = new ArrayList<>();
  private Segment active;
  private long nextId = 1;
  private long lastAppendedId;
  private long durableId;
  private AckTracker acks = new AckTracker(0);
  private long persistedAcked;
  private long persistedNextId = 1;
  private long checkpointSequence;
  private long lastGoodCheckpointSequence = -1;
  // What open() found, for survivedRestart(): the acknowledged prefix, the highest intact id, the first lost id.
  private long openedAckedThrough;
  private long lastRecoveredId;
  private long firstLostAtOpen = Long.MAX_VALUE;
  private boolean recovering;
  // The ack mark (see AckMark): written by its own thread so that a slow fsync never delays it.
  private CrashHintFile ackMarkFile;
  private ExecutorService ackMarkWriter;
  private final AtomicBoolean ackMarkRequested = new AtomicBoolean();
  private AckMark lastAckMark;

  private Segment readSegment;
  private long readPos;
  private long readExpectedId;
  private long lastHandedOut;
  private final InflightTimes inflight = new InflightTimes();
  private final FrameReader reader = new FrameReader(READ_AHEAD_BYTES);

  private long bytesOnDisk;
  private long corruptSkipped;
  private long missingSkipped;
  private long tornTails;
  private int invalidCheckpoints;

  private ByteBuffer frameBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private final CRC32C writeCrc = new CRC32C();
  private final byte[] crcScratch = new byte[20];

  private IOException failure;
  private boolean diskFull; // the last append was refused for lack of disk space
  private boolean activeEmptied; // see replaceAcknowledgedActive
  private long diskFullRefusals;
  private boolean closing;
  private boolean closed;
  private ScheduledExecutorService scheduler;
  private FileChannel lockChannel;
  private FileLock directoryLock;

  private DiskBuffer(BufferConfig config) {
    this.config = config;
    this.dir = config.directory();
    this.syncListener = config.syncListener();
  }

  /**
   * Opens (creating if needed) the buffer in {@code config.directory()} and recovers its state.
   * Never fails because of torn tails, corrupt records or bad checkpoints; fails on an invalid
   * configuration ({@link IllegalArgumentException} listing every problem), I/O errors, a directory
   * already locked by another buffer, or a segment of an unsupported format version.
   *
   * @param config the configuration; validated first
   * @return an open buffer; the caller must {@link #close()} it
   * @throws IOException on I/O errors, a locked directory or an unsupported segment format version
   */
  public static DiskBuffer open(BufferConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    List<String> errors = config.validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid disk buffer configuration: " + String.join("; ", errors));
    }
    DiskBuffer buffer = new DiskBuffer(config);
    try {
      synchronized (buffer.lock) {
        buffer.recover();
      }
      buffer.startScheduler();
      buffer.warnIfDiskSmallerThanCap();
      return buffer;
    } catch (IOException | RuntimeException | Error e) {
      buffer.releaseAfterFailedOpen(e);
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // recovery

  private void recover() throws IOException {
    Files.createDirectories(dir);
    lockDirectory();
    for (Path orphan : SegmentFiles.orphanTempFiles(dir)) {
      Files.deleteIfExists(orphan);
      LOG.log(Level.INFO, () -> "disk buffer " + dir + ": removed orphan temp file " + orphan.getFileName());
    }

    BufferCheckpoint.Loaded loaded = BufferCheckpoint.load(dir);
    for (BufferCheckpoint.Entry e : loaded.entries()) {
      if (e.valid()) {
        break;
      }
      LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": ignoring invalid checkpoint "
          + e.path().getFileName() + " (" + e.error() + "); falling back to an older one");
    }
    invalidCheckpoints = loaded.invalidNewerThanSelected();
    BufferCheckpoint cp = loaded.selected();
    final long durablyAcked = cp == null ? 0 : cp.ackedThroughId();
    lastGoodCheckpointSequence = cp == null ? -1 : cp.sequence();
    // Acknowledgements after that checkpoint, if the process crashed before the next one (see AckMark).
    final long checkpointAcked = AckMark.extending(dir, cp)
        .map(m -> {
          LOG.log(Level.INFO, () -> "disk buffer " + dir + ": " + (m.ackedThroughId() - durablyAcked) + " record(s) that Kafka"
              + " acknowledged after the last checkpoint will not be sent again (" + AckMark.FILE_NAME + ")");
          return m.ackedThroughId();
        })
        .orElse(durablyAcked);
    // Used at most once: a mark from an earlier open must never be read against a later checkpoint (whose sequence
    // could repeat one it was written on if every checkpoint file were lost). The next checkpoint() persists it.
    Files.deleteIfExists(dir.resolve(AckMark.FILE_NAME));
    long idFloor = Math.max(cp == null ? 1 : cp.nextId(), checkpointAcked + 1);
    checkpointSequence = loaded.maxSequence();
    persistedAcked = durablyAcked; // the next checkpoint() persists what the mark added
    openedAckedThrough = checkpointAcked;
    recovering = true;
    persistedNextId = cp == null ? 1 : cp.nextId();
    acks = new AckTracker(checkpointAcked);

    List<SegmentFiles.SegmentFile> files = SegmentFiles.listSegments(dir);
    int first = 0;
    while (first < files.size() - 1 && files.get(first + 1).firstId() - 1 <= durablyAcked) {
      Files.deleteIfExists(files.get(first).path()); // fully acknowledged, checkpoint already durable
      first++;
    }

    long expected = -1; // the id the next segment should start with
    boolean previousCorruptTail = false;
    boolean lastFileKept = false;
    for (int i = first; i < files.size(); i++) {
      SegmentFiles.SegmentFile f = files.get(i);
      boolean last = i == files.size() - 1;
      Segment seg = new Segment(f.path(), f.firstId());
      seg.size = Files.size(f.path());
      if (expected < 0) {
        markLost(checkpointAcked + 1, f.firstId() - 1, false, "segment file(s) before " + seg + " missing");
      } else if (expected < f.firstId()) {
        markLost(expected, f.firstId() - 1, previousCorruptTail, previousCorruptTail
            ? "corrupt tail of the segment before " + seg
            : "segment file(s) before " + seg + " missing");
      }
      expected = Math.max(expected, f.firstId());
      if (last) {
        seg.makeWritable();
      }
      FileChannel ch = seg.channel();
      RecordFormat.SegmentHeader header = RecordFormat.readSegmentHeader(ch, seg.size, f.firstId());
      if (header.status() == RecordFormat.HeaderStatus.UNSUPPORTED_VERSION) {
        seg.closeChannel();
        throw new IOException("disk buffer segment " + f.path() + " has format version " + header.version()
            + " but this build reads version " + RecordFormat.FORMAT_VERSION
            + " (written by a newer skulk-logs?); refusing to open rather than discard it");
      }
      if (!header.valid()) {
        seg.headerValid = false;
        LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": segment " + seg + " header invalid: "
            + header.status().description);
      }
      if (header.status() == RecordFormat.HeaderStatus.TOO_SHORT) {
        seg.closeChannel();
        if (last) {
          Files.delete(seg.path); // torn while being created: holds nothing
          tornTails++;
          continue;
        }
        seg.validEnd = seg.size;
        seg.corruptTail = true;
        previousCorruptTail = true;
        bytesOnDisk += seg.size;
        segments.add(seg);
        continue;
      }
      SegmentScanner.Result result = SegmentScanner.scan(reader, ch, SEGMENT_HEADER_BYTES, seg.size,
          f.firstId(), new SegmentScanner.Listener() {
            @Override
            public void record(long id, long position, int payloadLength, long appendedAt) {
              seg.lastValidId = id;
              lastRecoveredId = Math.max(lastRecoveredId, id);
              if (readSegment == null && id > checkpointAcked) {
                readSegment = seg;
                readPos = position;
                readExpectedId = id;
              }
            }

            @Override
            public void corrupt(long position, long resumePosition, long firstLostId, long resumeId) {
              seg.skips.put(position, new long[] {resumePosition, resumeId});
              markLost(firstLostId, resumeId - 1, true,
                  "corrupt bytes " + seg + " [" + position + ", " + resumePosition + ")");
            }
          });
      seg.validEnd = result.validEnd();
      expected = result.nextExpectedId();
      if (result.validEnd() < seg.size) {
        long tornBytes = seg.size - result.validEnd();
        if (last && seg.headerValid) {
          ch.truncate(result.validEnd());
          reader.invalidate();
          seg.size = result.validEnd();
          tornTails++;
          LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": truncated a torn tail of " + tornBytes
              + " bytes from " + seg + " at " + result.validEnd());
        } else {
          seg.corruptTail = true;
          LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": " + tornBytes + " unreadable bytes at the end of "
              + seg + " from " + result.validEnd() + "; skipped");
        }
      }
      if (last && !seg.headerValid && seg.lastValidId == 0) {
        seg.closeChannel();
        Files.delete(seg.path); // damaged and holds no valid record
        tornTails++;
        continue;
      }
      previousCorruptTail = seg.corruptTail;
      bytesOnDisk += seg.size;
      segments.add(seg);
      lastFileKept = last;
      if (!last) {
        seg.closeChannel();
      }
    }

    long firstUnseen = expected < 0 ? checkpointAcked + 1 : expected;
    nextId = Math.max(idFloor, firstUnseen);
    markLost(firstUnseen, nextId - 1, previousCorruptTail,
        "ids assigned before the restart whose records are not on disk");

    Segment lastSeg = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    boolean reuse = lastFileKept && lastSeg.headerValid && !lastSeg.corruptTail
        && (lastSeg.lastValidId == 0 ? lastSeg.firstId == nextId : lastSeg.lastValidId + 1 == nextId);
    if (reuse) {
      active = lastSeg;
      active.makeWritable();
    } else {
      if (lastSeg != null) {
        if (lastFileKept) {
          lastSeg.channel().force(true); // was the active segment of a crashed run: maybe unsynced
          syncListener.segmentSynced(lastSeg.path, lastSeg.size);
        }
        lastSeg.closeChannel();
      }
      active = createSegment(nextId);
      segments.add(active);
      bytesOnDisk += active.size;
    }
    active.validEnd = active.size;
    if (readSegment == null) {
      readSegment = active;
      readPos = active.size;
      readExpectedId = nextId;
    }
    lastHandedOut = acks.ackedThrough();
    inflight.reset(acks.ackedThrough() + 1);
    lastAppendedId = nextId - 1;
    active.channel().force(true); // whatever survived the crash is durable from now on
    SegmentFiles.fsyncDirectory(dir);
    syncListener.segmentSynced(active.path, active.size);
    durableId = lastAppendedId;
    recovering = false;
    LOG.log(Level.DEBUG, () -> "disk buffer " + dir + " opened: " + segments.size() + " segment(s), "
        + bytesOnDisk + " bytes, next id " + nextId + ", acked through " + acks.ackedThrough());
  }

  /** The cap is a promise only the disk can keep: say so at start-up when it has less room than the cap allows. */
  private void warnIfDiskSmallerThanCap() {
    long usable = usableSpace();
    long room = config.maxBytes() - bytesOnDisk;
    if (usable >= 0 && usable < room) {
      LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": may grow by " + Bytes.human(room) + " more (buffer.max_bytes "
          + Bytes.human(config.maxBytes()) + ") but its disk has only " + Bytes.human(usable) + " free; if the disk fills up, "
          + "files are paused and stdin lines dropped (counted as disk_full) until there is space again");
    }
  }

  private void lockDirectory() throws IOException {
    lockChannel = FileChannel.open(dir.resolve(SegmentFiles.LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      directoryLock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      directoryLock = null;
    }
    if (directoryLock == null) {
      lockChannel.close();
      lockChannel = null;
      throw new BufferInUseException("disk buffer directory " + dir + " is already in use by another buffer (another agent "
          + "with the same state directory?)");
    }
  }

  private void releaseDirectoryLock() {
    try {
      if (directoryLock != null) {
        directoryLock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "disk buffer " + dir + ": could not release the directory lock", e);
    }
    directoryLock = null;
    lockChannel = null;
  }

  private void releaseAfterFailedOpen(Throwable cause) {
    synchronized (lock) {
      closed = true;
      for (Segment s : segments) {
        try {
          s.closeChannel();
        } catch (IOException e) {
          cause.addSuppressed(e);
        }
      }
      if (active != null && !segments.contains(active)) {
        try {
          active.closeChannel();
        } catch (IOException e) {
          cause.addSuppressed(e);
        }
      }
      releaseDirectoryLock();
    }
  }

  private Segment createSegment(long firstId) throws IOException {
    Path path = dir.resolve(SegmentFiles.segmentName(firstId));
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.wrap(RecordFormat.segmentHeader(firstId));
      while (header.hasRemaining()) {
        ch.write(header, header.position());
      }
      ch.force(true);
    } catch (IOException e) {
      ch.close();
      Files.deleteIfExists(path);
      throw e;
    }
    Segment seg = new Segment(path, firstId);
    seg.adoptWritable(ch);
    seg.size = SEGMENT_HEADER_BYTES;
    seg.validEnd = SEGMENT_HEADER_BYTES;
    SegmentFiles.fsyncDirectory(dir);
    syncListener.segmentSynced(path, SEGMENT_HEADER_BYTES);
    return seg;
  }

  private void startScheduler() throws IOException {
    CrashHintFile markFile = CrashHintFile.open(dir.resolve(AckMark.FILE_NAME));
    ExecutorService markWriter = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "skulk-buffer-ackmark[" + dir.getFileName() + "]");
      t.setDaemon(true);
      return t;
    });
    synchronized (lock) {
      ackMarkFile = markFile;
      ackMarkWriter = markWriter;
    }
    if (config.fsyncPolicy() instanceof FsyncPolicy.Interval interval) {
      long nanos = interval.every().toNanos();
      String name = "skulk-buffer-fsync[" + dir.getFileName() + "]";
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
      executor.scheduleWithFixedDelay(this::backgroundSync, nanos, nanos, TimeUnit.NANOSECONDS);
      synchronized (lock) {
        scheduler = executor;
      }
    }
  }

  private void backgroundSync() {
    synchronized (lock) {
      if (closed || closing || failure != null || lastAppendedId <= durableId) {
        return;
      }
    }
    try {
      sync();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "disk buffer " + dir + ": background fsync failed", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // appending

  /** See {@link #onAppend}. */
  private volatile Runnable appendListener = () -> { };

  /**
   * Appends one record. The bytes are handed to the OS before this returns; they are durable after
   * the next {@link #sync()} (immediately with {@link FsyncPolicy.Always}, which fsyncs before
   * returning). When the record does not fit and fully acknowledged segments exist, they are
   * reclaimed first (this may write a checkpoint).
   *
   * @param record the payload; not retained (copied to disk)
   * @return the record id: starts at 1, increases by one per append, continues after the highest
   *     id on disk (and the last checkpoint) after a restart. Only the id of a record that never
   *     became durable (lost to a power loss before its fsync, or torn by a crash mid-write) can
   *     be assigned again
   * @throws BufferFullException if the buffer would exceed {@link BufferConfig#maxBytes()}, or
   *     ({@link DiskFullException}) its disk has no space left even after giving back a segment Kafka
   *     acknowledged entirely; nothing was written and the buffer stays usable
   * @throws RecordTooLargeException if the record could never fit, not even in an empty buffer
   * @throws IOException on an I/O error; a failed fsync leaves the buffer failed (every later
   *     append and sync throws) because the kernel may have dropped the unsynced pages: reopen it
   * @throws IllegalStateException if the buffer is closed
   */
  public long append(byte[] record) throws IOException, BufferFullException {
    Objects.requireNonNull(record, "record");
    long maxPayload = Math.min(MAX_PAYLOAD_BYTES, config.maxBytes() - SEGMENT_HEADER_BYTES - FRAME_HEADER_BYTES);
    if (record.length > maxPayload) {
      throw new RecordTooLargeException(record.length, Math.max(0, maxPayload));
    }
    long frame = RecordFormat.frameBytes(record.length);
    long id;
    synchronized (lock) {
      ensureWritable();
      boolean roll = needsRoll(frame);
      long required = frame + (roll ? SEGMENT_HEADER_BYTES : 0);
      if (bytesOnDisk + required > config.maxBytes()) {
        reclaimForAppend(roll);
        roll = needsRoll(frame);
        required = frame + (roll ? SEGMENT_HEADER_BYTES : 0);
        if (bytesOnDisk + required > config.maxBytes()) {
          throw new BufferFullException(bytesOnDisk, required, config.maxBytes());
        }
      }
      try {
        if (activeEmptied) {
          replaceAcknowledgedActive(); // an earlier attempt freed the space but could not finish
        }
        if (roll) {
          roll();
        }
        id = writeFrame(record);
      } catch (IOException e) {
        id = appendOnFullDisk(record, required, e);
      }
      diskFull = false;
    }
    if (config.fsyncPolicy() instanceof FsyncPolicy.Always) {
      sync();
    }
    try {
      appendListener.run();
    } catch (RuntimeException e) {
      // The record is stored: a failing listener must not make the append look failed (the caller would offer the
      // same lines again). The reader still finds the record at its next look.
      LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": append listener failed: " + e);
    }
    return id;
  }

  /**
   * Runs {@code listener} after every successful {@link #append}, on the appending thread and outside the buffer's
   * lock, so it must be quick and never block (e.g. wake the reader instead of having it poll). One listener: a
   * later call replaces the earlier one.
   */
  public void onAppend(Runnable listener) {
    appendListener = Objects.requireNonNull(listener, "listener");
  }

  private boolean needsRoll(long frame) {
    return active.size > SEGMENT_HEADER_BYTES && active.size + frame > config.segmentBytes();
  }

  /**
   * After a failed roll or write: when the disk has no space left, gives back the active segment if Kafka
   * acknowledged all of it and writes once more; else {@link DiskFullException}. Any other failure is rethrown.
   */
  private long appendOnFullDisk(byte[] record, long required, IOException cause) throws IOException, DiskFullException {
    if (failure != null || !outOfSpace(cause, required)) {
      throw cause;
    }
    try {
      long before = bytesOnDisk;
      if (replaceAcknowledgedActive()) {
        long freed = before - bytesOnDisk;
        LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": its disk is full; gave back " + Bytes.human(freed) + " of records "
            + "Kafka had all acknowledged (" + Bytes.human(usableSpace()) + " free now)");
        return writeFrame(record);
      }
    } catch (IOException e) {
      if (failure != null || !outOfSpace(e, required)) {
        throw e;
      }
      cause.addSuppressed(e);
    }
    diskFull = true;
    diskFullRefusals++;
    throw new DiskFullException(dir, usableSpace(), bytesOnDisk, required, config.maxBytes(), cause);
  }

  /** Whether {@code e} means the file system is out of space (or quota) for {@code needed} more bytes. */
  private boolean outOfSpace(IOException e, long needed) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("No space left") || message.contains("quota")) {
      return true;
    }
    long usable = usableSpace();
    return usable >= 0 && usable < needed + SPACE_SLACK_BYTES;
  }

  private long usableSpace() {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * On a full disk, when Kafka acknowledged every record: the active segment holds nothing still needed (older ones
   * are deleted at every checkpoint), so it is emptied (truncated to its header), which frees its space first —
   * on a disk with no space at all not even a checkpoint can be written — then a checkpoint that covers it is
   * written, an empty segment takes its place and it is deleted. If the checkpoint or the new segment cannot be
   * written, the emptied segment stays active but unused ({@code activeEmptied}) and the next append completes the
   * replacement before it writes anything. Called under the lock.
   *
   * <p>A crash after the truncation and before that checkpoint makes the next open count the emptied records as
   * missing (they are in Kafka: only the count is wrong) and the file sources fall back to their checkpoints
   * (duplicates, never a loss).
   *
   * @return false when there is nothing to give back
   * @throws IOException if the replacement could not be completed (the buffer stays usable)
   */
  private boolean replaceAcknowledgedActive() throws IOException {
    if (!activeEmptied) {
      if (!activeFullyAcked()) {
        return false;
      }
      active.channel().truncate(SEGMENT_HEADER_BYTES);
      activeEmptied = true;
      bytesOnDisk -= active.size - SEGMENT_HEADER_BYTES;
      active.size = SEGMENT_HEADER_BYTES;
      active.validEnd = SEGMENT_HEADER_BYTES;
      active.forcedAtSeal = true; // nothing in it needs an fsync: a concurrent sync() tolerates its closed channel
      durableId = Math.max(durableId, lastAppendedId);
      reader.invalidate();
      if (readSegment == active) {
        readPos = SEGMENT_HEADER_BYTES;
      }
    }
    checkpointLocked(true); // persists ackedThrough >= every id the emptied segment held, and nextId
    Segment emptied = active;
    active = createSegment(nextId);
    activeEmptied = false;
    segments.add(active);
    bytesOnDisk += active.size;
    if (readSegment == emptied) {
      readSegment = active;
      readPos = active.size;
      readExpectedId = nextId;
    }
    emptied.closeChannel();
    Files.deleteIfExists(emptied.path);
    segments.remove(emptied);
    bytesOnDisk -= emptied.size;
    return true;
  }

  /** Whether the active segment holds records and Kafka acknowledged every one of them. Under the lock. */
  private boolean activeFullyAcked() {
    return active.size > SEGMENT_HEADER_BYTES && acks.ackedThrough() >= nextId - 1;
  }

  private void reclaimForAppend(boolean roll) throws IOException {
    if (roll && activeFullyAcked()) {
      roll(); // the old active segment becomes deletable below
    }
    if (segments.size() > 1 && segments.get(1).firstId - 1 <= acks.ackedThrough()) {
      checkpointLocked(false);
    }
  }

  private long writeFrame(byte[] payload) throws IOException {
    long id = nextId;
    long now = System.currentTimeMillis();
    int length = payload.length;
    RecordFormat.crcPrefix(crcScratch, length, id, now);
    writeCrc.reset();
    writeCrc.update(crcScratch, 0, crcScratch.length);
    writeCrc.update(payload, 0, length);
    int crc = (int) writeCrc.getValue();
    long frame = RecordFormat.frameBytes(length);
    long pos = active.size;
    FileChannel ch = active.channel();
    try {
      if (frame <= MAX_REUSED_FRAME_BUFFER) {
        ByteBuffer b = frameBuffer((int) frame);
        b.putInt(length).putInt(crc).putLong(id).putLong(now).put(payload).flip();
        writeFully(ch, b, pos);
      } else {
        ByteBuffer b = frameBuffer(FRAME_HEADER_BYTES);
        b.putInt(length).putInt(crc).putLong(id).putLong(now).flip();
        writeFully(ch, b, pos);
        writeFully(ch, ByteBuffer.wrap(payload), pos + FRAME_HEADER_BYTES);
      }
    } catch (IOException e) {
      undoPartialWrite(pos, e);
      throw e;
    }
    active.size += frame;
    active.validEnd = active.size;
    active.lastValidId = id;
    bytesOnDisk += frame;
    nextId = id + 1;
    lastAppendedId = id;
    return id;
  }

  private ByteBuffer frameBuffer(int needed) {
    if (frameBuffer.capacity() < needed) {
      int capacity = (int) Math.min(MAX_REUSED_FRAME_BUFFER, Math.max(needed, frameBuffer.capacity() * 2L));
      frameBuffer = ByteBuffer.allocateDirect(capacity);
    }
    frameBuffer.clear();
    return frameBuffer;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long pos = position;
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }

  /** Cuts a partially written frame so the segment stays well-formed; fails the buffer if impossible. */
  private void undoPartialWrite(long pos, IOException cause) {
    boolean interrupted = Thread.interrupted();
    try {
      active.channel().truncate(pos);
    } catch (IOException t) {
      cause.addSuppressed(t);
      fail(cause);
    } finally {
      reader.invalidate();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void roll() throws IOException {
    Segment old = active;
    force(old);
    syncListener.segmentSynced(old.path, old.size);
    Segment seg = createSegment(nextId);
    old.forcedAtSeal = true;
    if (lastAppendedId > durableId) {
      durableId = lastAppendedId;
    }
    segments.add(seg);
    active = seg;
    bytesOnDisk += seg.size;
    releaseIfIdle(old);
  }

  private void force(Segment seg) throws IOException {
    try {
      seg.channel().force(true);
    } catch (ClosedChannelException e) {
      throw e; // interrupted: nothing is lost, the channel is reopened on next use
    } catch (IOException e) {
      fail(e);
      throw e;
    }
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
      LOG.log(Level.ERROR, "disk buffer " + dir + " failed; appends are refused until it is reopened", e);
    }
  }

  /**
   * Fsyncs the active segment (group commit: one fsync covers every append before it). Afterwards
   * {@link #durableId()} &gt;= every id appended before the call. Runs the fsync outside the
   * buffer lock, so concurrent appends and reads continue.
   *
   * @throws IOException if the fsync fails; the buffer is then failed (see {@link #append})
   */
  public void sync() throws IOException {
    Segment seg;
    long target;
    long targetEnd; // where record target ends in seg: it is in the active segment (a roll makes everything before durable)
    FileChannel ch;
    synchronized (lock) {
      ensureWritable();
      target = lastAppendedId;
      if (target <= durableId) {
        return;
      }
      seg = active;
      targetEnd = seg.size;
      ch = seg.channel();
    }
    try {
      ch.force(true);
    } catch (ClosedChannelException e) {
      synchronized (lock) {
        if (!seg.forcedAtSeal) {
          throw e; // closed by an interrupt: retry later
        }
      }
    } catch (IOException e) {
      synchronized (lock) {
        fail(e);
      }
      throw e;
    }
    synchronized (lock) {
      if (target > durableId) { // else a roll or a concurrent sync covered it (and reported it)
        syncListener.segmentSynced(seg.path, targetEnd);
        durableId = target;
      }
    }
  }

  /** @return the highest id known to be fsynced; every id &lt;= it survives a power loss */
  public long durableId() {
    synchronized (lock) {
      return durableId;
    }
  }

  /** @return the highest id returned by {@link #append(byte[])} (or found on disk at open), 0 if none */
  public long lastAppendedId() {
    synchronized (lock) {
      return lastAppendedId;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // reading and acknowledging

  /**
   * Returns the next records not yet handed out since open (or since {@link #rewind()}), in id
   * order, CRC-verified. Never waits for data: returns an empty list when nothing is available.
   * Records may be returned before they are durable ({@link #durableId()}). Reads stream from the
   * segment files through a bounded read-ahead window; a record found corrupt is skipped, counted
   * and treated as acknowledged.
   *
   * @param maxRecords at most this many records (&gt;= 1)
   * @param maxBytes stop before the payload total would exceed this; the first record is always
   *     returned even if it alone is bigger
   * @return fresh records (payload arrays owned by the caller)
   * @throws IOException on an I/O error before any record was read (after one, the records read
   *     so far are returned)
   */
  public List<BufferRecord> read(int maxRecords, long maxBytes) throws IOException {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be >= 1 (got " + maxRecords + ")");
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0 (got " + maxBytes + ")");
    }
    synchronized (lock) {
      ensureOpen();
      List<BufferRecord> out = new ArrayList<>(Math.min(maxRecords, 256));
      long bytes = 0;
      try {
        while (out.size() < maxRecords && positionCursor()) {
          Segment seg = readSegment;
          FileChannel ch = seg.channel();
          long end = seg.validEnd;
          if (!reader.readHeader(ch, readPos, end, readExpectedId, readExpectedId)) {
            handleCorruptionAtCursor(seg, ch, end);
            continue;
          }
          int length = reader.payloadLength;
          long id = reader.id;
          if (id <= lastHandedOut && acks.isAcked(id)) { // after rewind(): acked after a gap
            readPos += FRAME_HEADER_BYTES + (long) length;
            readExpectedId = id + 1;
            continue;
          }
          if (!out.isEmpty() && bytes + length > maxBytes) {
            break;
          }
          long appendedAt = reader.appendedAt;
          byte[] payload = reader.readPayload(ch, readPos, end);
          if (payload == null) {
            handleCorruptionAtCursor(seg, ch, end);
            continue;
          }
          out.add(new BufferRecord(id, appendedAt, payload));
          bytes += length;
          readPos += FRAME_HEADER_BYTES + (long) length;
          readExpectedId = id + 1;
          lastHandedOut = Math.max(lastHandedOut, id);
          inflight.add(id, appendedAt);
        }
      } catch (IOException e) {
        if (out.isEmpty()) {
          throw e;
        }
        // the cursor already moved past these records: hand them out rather than strand them
        LOG.log(Level.WARNING, "disk buffer " + dir + ": read stopped early", e);
      }
      return out;
    }
  }

  /**
   * Makes every record that is not acknowledged readable again, in id order, starting at
   * {@link #ackedThroughId()} + 1 (records acknowledged after a gap are skipped). For a consumer
   * that gave up on records it had read: without this they would only come back after a restart
   * and the acknowledged prefix would stall behind them.
   *
   * @throws IOException on an I/O error while locating the first unacknowledged record
   */
  public void rewind() throws IOException {
    synchronized (lock) {
      ensureOpen();
      long target = acks.ackedThrough() + 1;
      Segment start = segments.get(0);
      for (Segment s : segments) {
        if (s.firstId > target) {
          break;
        }
        start = s;
      }
      Segment previous = readSegment;
      readSegment = start;
      readPos = SEGMENT_HEADER_BYTES;
      readExpectedId = start.firstId;
      if (previous != start) {
        releaseIfIdle(previous);
      }
      while (readExpectedId < target && positionCursor()) { // walk headers up to the target
        Segment seg = readSegment;
        FileChannel ch = seg.channel();
        if (reader.readHeader(ch, readPos, seg.validEnd, readExpectedId, readExpectedId)) {
          readPos += FRAME_HEADER_BYTES + (long) reader.payloadLength;
          readExpectedId = reader.id + 1;
        } else {
          handleCorruptionAtCursor(seg, ch, seg.validEnd);
        }
      }
    }
  }

  /**
   * Moves the read cursor over known corrupt regions and segment ends.
   *
   * @return true when a frame is expected at the cursor, false when everything was read
   */
  private boolean positionCursor() {
    while (true) {
      long[] skip = readSegment.skips.get(readPos);
      if (skip != null) {
        markLost(readExpectedId, skip[1] - 1, true, "corrupt bytes in " + readSegment + " at " + readPos);
        readPos = skip[0];
        readExpectedId = skip[1];
        continue;
      }
      if (readPos < readSegment.validEnd) {
        return true;
      }
      int index = segments.indexOf(readSegment);
      if (index == segments.size() - 1) {
        return false;
      }
      Segment next = segments.get(index + 1);
      if (readExpectedId < next.firstId) {
        markLost(readExpectedId, next.firstId - 1, readSegment.corruptTail,
            "records between " + readSegment + " and " + next + " unreadable");
      }
      Segment previous = readSegment;
      readSegment = next;
      readPos = SEGMENT_HEADER_BYTES;
      readExpectedId = Math.max(readExpectedId, next.firstId);
      releaseIfIdle(previous);
    }
  }

  /** A frame at the cursor failed validation after open (e.g. media corruption): skip it. */
  private void handleCorruptionAtCursor(Segment seg, FileChannel ch, long end) throws IOException {
    long from = readPos;
    long resume = reader.resync(ch, from, end, readExpectedId);
    if (resume >= 0) {
      seg.skips.put(from, new long[] {resume, reader.id});
    } else if (seg == active) {
      seg.skips.put(from, new long[] {end, nextId});
    } else {
      seg.validEnd = from;
      seg.corruptTail = true;
    }
    LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": corrupt record in " + seg + " at " + from
        + " detected while reading; skipping to " + (resume >= 0 ? resume : end));
  }

  private void releaseIfIdle(Segment seg) {
    if (seg != active && seg != readSegment) {
      try {
        seg.closeChannel();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "disk buffer " + dir + ": closing " + seg + " failed", e);
      }
    }
  }

  /**
   * Marks a record as delivered. Acknowledgements may arrive in any order; only the contiguous
   * prefix ({@link #ackedThroughId()}) is persisted by {@link #checkpoint()}. Idempotent. Ignored
   * after close (the record is then re-delivered after the next open).
   *
   * @param id an id handed out by {@link #read(int, long)} since open
   * @throws IllegalArgumentException if {@code id} was never handed out since open or is &lt;= 0
   */
  public void ack(long id) {
    if (id <= 0) {
      throw new IllegalArgumentException("record ids start at 1 (got " + id + ")");
    }
    synchronized (lock) {
      if (closed || id <= acks.ackedThrough()) {
        return;
      }
      if (id > lastHandedOut) {
        throw new IllegalArgumentException("record " + id + " was not handed out by read() since open"
            + " (highest handed out: " + lastHandedOut + ")");
      }
      long before = acks.ackedThrough();
      if (acks.ackRange(id, id) > 0) {
        inflight.dropThrough(acks.ackedThrough());
      }
      if (acks.ackedThrough() > before) {
        requestAckMark();
      }
    }
  }

  /**
   * Whether record {@code id}, appended before this buffer was opened, is still deliverable or was already
   * delivered: it was acknowledged, or it survived intact together with every unacknowledged record before it.
   * A source may then resume after the lines that record holds, even if its own checkpoint is older. False for
   * anything lost or torn by the crash (and for ids assigned since open). Cheap; no I/O.
   */
  public boolean survivedRestart(long id) {
    synchronized (lock) {
      return id > 0 && (id <= openedAckedThrough || (id <= lastRecoveredId && id < firstLostAtOpen));
    }
  }

  /** Has the mark rewritten soon (coalesced: one pending write at a time). Called under the lock. */
  private void requestAckMark() {
    if (ackMarkWriter != null && ackMarkRequested.compareAndSet(false, true)) {
      try {
        ackMarkWriter.execute(this::writeAckMark);
      } catch (RejectedExecutionException e) {
        ackMarkRequested.set(false); // closing
      }
    }
  }

  private void writeAckMark() {
    ackMarkRequested.set(false);
    AckMark mark;
    CrashHintFile file;
    synchronized (lock) {
      file = ackMarkFile;
      if (closed || closing || file == null) {
        return;
      }
      mark = new AckMark(lastGoodCheckpointSequence, acks.ackedThrough());
      if (mark.equals(lastAckMark)) {
        return;
      }
      lastAckMark = mark;
    }
    try {
      file.write(mark.encode());
    } catch (IOException | RuntimeException e) {
      // Only a hint: without it a crash replays more, nothing is lost.
      LOG.log(Level.DEBUG, () -> "disk buffer " + dir + ": could not write " + AckMark.FILE_NAME + ": " + e);
    }
  }

  /** Waits until every ack mark requested so far is written (tests). */
  void awaitAckMarkForTesting() throws Exception {
    ackMarkWriter.submit(() -> { }).get();
  }

  /** @return the highest id such that every id &lt;= it is acknowledged (or lost to corruption) */
  public long ackedThroughId() {
    synchronized (lock) {
      return acks.ackedThrough();
    }
  }

  private void markLost(long from, long to, boolean corrupt, String why) {
    if (from > to) {
      return;
    }
    if (recovering && to > openedAckedThrough) {
      firstLostAtOpen = Math.min(firstLostAtOpen, Math.max(from, openedAckedThrough + 1));
    }
    long n = acks.ackRange(from, to);
    if (n > 0) {
      if (corrupt) {
        corruptSkipped += n;
      } else {
        missingSkipped += n;
      }
      inflight.dropThrough(acks.ackedThrough());
      LOG.log(Level.WARNING, () -> "disk buffer " + dir + ": " + n + " record(s) with ids in [" + from + ", "
          + to + "] cannot be delivered (" + why + "); counted as acknowledged");
    }
  }

  /**
   * Persists {@link #ackedThroughId()} (versioned, checksummed checkpoint file: temp file, fsync,
   * atomic rename, directory fsync; the previous checkpoint is kept as a fallback) and then deletes
   * segments whose records are all acknowledged, freeing capacity. Does nothing when neither has
   * changed. Call it periodically (about every second) from a worker thread.
   *
   * @throws IOException if the checkpoint cannot be written; the previous one stays valid
   */
  public void checkpoint() throws IOException {
    synchronized (lock) {
      ensureOpen();
      checkpointLocked(false);
    }
  }

  /** @param persistNextId also write when only nextId changed (at close: keeps ids unique) */
  private void checkpointLocked(boolean persistNextId) throws IOException {
    long acked = acks.ackedThrough();
    if (acked != persistedAcked || (persistNextId && nextId != persistedNextId)) {
      long sequence = checkpointSequence + 1;
      BufferCheckpoint.write(dir, new BufferCheckpoint(sequence, acked, nextId, System.currentTimeMillis()));
      long previous = lastGoodCheckpointSequence;
      checkpointSequence = sequence;
      lastGoodCheckpointSequence = sequence;
      persistedAcked = acked;
      persistedNextId = nextId;
      try {
        BufferCheckpoint.deleteOthers(dir, sequence, previous);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "disk buffer " + dir + ": could not delete old checkpoints", e);
      }
    }
    while (segments.size() > 1 && segments.get(1).firstId - 1 <= persistedAcked) {
      Segment head = segments.get(0);
      head.closeChannel();
      Files.deleteIfExists(head.path);
      segments.remove(0);
      bytesOnDisk -= head.size;
      if (readSegment == head) {
        Segment next = segments.get(0);
        readSegment = next;
        readPos = SEGMENT_HEADER_BYTES;
        readExpectedId = Math.max(readExpectedId, next.firstId);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // state

  /** @return a consistent snapshot of sizes, counters and ids; cheap (at most one small read) */
  public BufferStats stats() {
    synchronized (lock) {
      long unacked = Math.max(0, lastAppendedId - acks.ackedThrough() - acks.ackedAbove());
      long oldest = 0;
      if (unacked > 0 && !closed) {
        long first = acks.ackedThrough() + 1;
        oldest = first <= lastHandedOut ? inflight.get(first) : peekNextAppendedAt();
      }
      return new BufferStats(bytesOnDisk, unacked, oldest, corruptSkipped, tornTails, segments.size(),
          missingSkipped, lastAppendedId, durableId, acks.ackedThrough(), persistedAcked, invalidCheckpoints,
          diskFull, diskFullRefusals);
    }
  }

  private long peekNextAppendedAt() {
    try {
      if (positionCursor()) {
        FileChannel ch = readSegment.channel();
        if (reader.readHeader(ch, readPos, readSegment.validEnd, readExpectedId, readExpectedId)) {
          return reader.appendedAt;
        }
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "disk buffer " + dir + ": could not read the oldest record's time", e);
    }
    return 0;
  }

  /** @return the configuration this buffer was opened with */
  public BufferConfig config() {
    return config;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("disk buffer " + dir + " is closed");
    }
  }

  private void ensureWritable() throws IOException {
    ensureOpen();
    if (failure != null) {
      throw new IOException("disk buffer " + dir + " failed earlier and must be reopened", failure);
    }
  }

  /**
   * Syncs, checkpoints the acknowledged prefix and closes every file. Never acknowledges anything:
   * records read but not acknowledged are delivered again after the next open. Idempotent; stops
   * the fsync thread. Other methods throw {@link IllegalStateException} afterwards ({@link #ack}
   * is ignored).
   */
  @Override
  public void close() throws IOException {
    ScheduledExecutorService executor;
    synchronized (lock) {
      if (closed || closing) {
        return;
      }
      closing = true;
      executor = scheduler;
      scheduler = null;
    }
    stopAckMarkWriter(false);
    if (executor != null) {
      executor.shutdown();
      awaitStopped(executor, 30, "fsync");
    }
    IOException error = null;
    boolean failed;
    synchronized (lock) {
      failed = failure != null;
    }
    if (!failed) {
      try {
        sync();
      } catch (IOException e) {
        error = e;
      }
    }
    try {
      synchronized (lock) {
        checkpointLocked(true);
      }
    } catch (IOException e) {
      if (error == null) {
        error = e;
      } else {
        error.addSuppressed(e);
      }
    }
    synchronized (lock) {
      if (lastAppendedId <= durableId) {
        active.forcedAtSeal = true;
      }
      closed = true;
      for (Segment s : segments) {
        try {
          s.closeChannel();
        } catch (IOException e) {
          if (error == null) {
            error = e;
          } else {
            error.addSuppressed(e);
          }
        }
      }
      releaseDirectoryLock();
    }
    if (error != null) {
      throw error;
    }
  }

  /**
   * Simulates a process crash for tests: closes every file without syncing or checkpointing.
   * Appended bytes stay in the OS page cache, as after {@code kill -9}.
   */
  void crashForTesting() {
    ScheduledExecutorService executor;
    synchronized (lock) {
      closed = true;
      executor = scheduler;
      scheduler = null;
      for (Segment s : segments) {
        try {
          s.closeChannel();
        } catch (IOException e) {
          // ignored: simulated crash
        }
      }
      releaseDirectoryLock();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    stopAckMarkWriter(true);
  }

  /** Waits (bounded) for a shut-down executor's thread to end; a warning when it does not. */
  private void awaitStopped(ExecutorService executor, long seconds, String what) {
    try {
      if (!executor.awaitTermination(seconds, TimeUnit.SECONDS)) {
        LOG.log(Level.WARNING, "disk buffer " + dir + ": " + what + " thread did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the ack mark's thread (waiting for a write in progress unless {@code now}) and closes its file. */
  private void stopAckMarkWriter(boolean now) {
    ExecutorService writer;
    CrashHintFile file;
    synchronized (lock) {
      writer = ackMarkWriter;
      file = ackMarkFile;
      ackMarkWriter = null;
      ackMarkFile = null;
    }
    if (writer == null) {
      return;
    }
    if (now) {
      writer.shutdownNow();
    } else {
      writer.shutdown();
    }
    awaitStopped(writer, 10, "ack mark");
    try {
      file.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, () -> "disk buffer " + dir + ": closing " + AckMark.FILE_NAME + ": " + e);
    }
  }
}
