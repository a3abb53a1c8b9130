package foundation.foxlight.skulklogs.agent.buffer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * In-memory state of one segment file. Guarded by the buffer's lock. The file channel is opened
 * lazily and closed when the segment is neither active nor being read, so a buffer with many
 * small segments does not hold many file handles; a channel closed by a thread interrupt is
 * reopened on next use.
 */
final class Segment {
  final Path path;
  final long firstId;
  /** Bytes of the file as accounted in bytesOnDisk. */
  long size;
  /** Readers stop here: end of the last valid frame (== size for the active segment). */
  long validEnd;
  /** False when the header was damaged (frames are still scanned, the segment is never appended to). */
  boolean headerValid = true;
  /** The scan found bytes after the last valid frame with no valid frame in them. */
  boolean corruptTail;
  /** Highest valid record id seen in this segment, 0 if none. */
  long lastValidId;
  /** The segment was fsynced when it stopped being the active one (or at close). */
  boolean forcedAtSeal;
  /** Known corrupt regions: start position -&gt; {resume position, id of the frame there}. */
  final Map<Long, long[]> skips = new HashMap<>();

  private FileChannel channel;
  private boolean writable;

  Segment(Path path, long firstId) {
    this.path = path;
    this.firstId = firstId;
  }

  /** @return an open channel (read-write once {@link #makeWritable()} was called) */
  FileChannel channel() throws IOException {
    if (channel == null || !channel.isOpen()) {
      channel = writable
          ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
          : FileChannel.open(path, StandardOpenOption.READ);
    }
    return channel;
  }

  /** Takes over a freshly created read-write channel. */
  void adoptWritable(FileChannel ch) {
    writable = true;
    channel = ch;
  }

  /** Reopens the channel for writing if needed. */
  void makeWritable() throws IOException {
    if (!writable) {
      writable = true;
      closeChannel();
    }
  }

  /** @return the channel if currently open, else null (used by sync outside the lock) */
  FileChannel openChannelOrNull() {
    FileChannel ch = channel;
    return ch != null && ch.isOpen() ? ch : null;
  }

  void closeChannel() throws IOException {
    FileChannel ch = channel;
    channel = null;
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}
