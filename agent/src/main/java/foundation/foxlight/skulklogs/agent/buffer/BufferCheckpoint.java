package foundation.foxlight.skulklogs.agent.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The persisted acknowledgement state: {@code checkpoint-<20-digit sequence>.ckpt}, 44 bytes,
 * big-endian: magic "SKCP" (u32), format version (u16), flags (u16), sequence (u64),
 * ackedThroughId (u64), nextId (u64), writtenAtMillis (u64), CRC32C of the preceding 40 bytes (u32).
 *
 * <p>Written to {@code <name>.tmp}, fsynced, atomically renamed, then the directory is fsynced.
 * The newest valid file wins at load; the previous one is kept as a fallback.
 *
 * @param sequence increases with every write
 * @param ackedThroughId every id &lt;= it was acknowledged when written
 * @param nextId the next id the buffer would assign; a floor so ids are never reused
 * @param writtenAtMillis wall-clock time of the write
 */
record BufferCheckpoint(long sequence, long ackedThroughId, long nextId, long writtenAtMillis) {
  static final int MAGIC = 0x534B4350; // "SKCP"
  static final int VERSION = 1;
  static final int BYTES = 44;

  byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.putInt(MAGIC).putShort((short) VERSION).putShort((short) 0)
        .putLong(sequence).putLong(ackedThroughId).putLong(nextId).putLong(writtenAtMillis);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, BYTES - 4);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** One checkpoint file as found on disk: either {@code checkpoint} or {@code error} is set. */
  record Entry(Path path, long sequence, int version, BufferCheckpoint checkpoint, String error) {
    boolean valid() {
      return checkpoint != null;
    }
  }

  /**
   * All checkpoint files, newest first, and the one to use.
   *
   * @param selected the newest valid checkpoint, or null ("nothing acknowledged")
   * @param maxSequence highest sequence among all files (valid or not), 0 if none
   */
  record Loaded(List<Entry> entries, BufferCheckpoint selected, long maxSequence) {
    int invalidNewerThanSelected() {
      int n = 0;
      for (Entry e : entries) {
        if (e.valid()) {
          break;
        }
        n++;
      }
      return n;
    }
  }

  static Entry decode(Path path, long sequence, byte[] bytes) {
    if (bytes.length != BYTES) {
      return new Entry(path, sequence, 0, null, "size " + bytes.length + " bytes, expected " + BYTES);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int version = Short.toUnsignedInt(b.getShort(4));
    if (b.getInt(0) != MAGIC) {
      return new Entry(path, sequence, version, null, "bad magic");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, BYTES - 4);
    if ((int) crc.getValue() != b.getInt(BYTES - 4)) {
      return new Entry(path, sequence, version, null, "checksum mismatch");
    }
    if (version != VERSION) {
      return new Entry(path, sequence, version, null, "unsupported version " + version);
    }
    long storedSequence = b.getLong(8);
    if (storedSequence != sequence) {
      return new Entry(path, sequence, version, null,
          "sequence " + storedSequence + " does not match the file name");
    }
    BufferCheckpoint cp = new BufferCheckpoint(storedSequence, b.getLong(16), b.getLong(24), b.getLong(32));
    if (cp.ackedThroughId() < 0 || cp.nextId() < 1) {
      return new Entry(path, sequence, version, null, "implausible ids " + cp);
    }
    return new Entry(path, sequence, version, cp, null);
  }

  /** Reads every checkpoint file in {@code dir}. Read-only. */
  static Loaded load(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
        SegmentFiles.CHECKPOINT_PREFIX + "*" + SegmentFiles.CHECKPOINT_SUFFIX)) {
      for (Path p : ds) {
        long seq = SegmentFiles.parseNumber(p.getFileName().toString(),
            SegmentFiles.CHECKPOINT_PREFIX, SegmentFiles.CHECKPOINT_SUFFIX);
        if (seq < 0) {
          continue;
        }
        byte[] bytes;
        try {
          long size = Files.size(p);
          if (size != BYTES) {
            entries.add(new Entry(p, seq, 0, null, "size " + size + " bytes, expected " + BYTES));
            continue;
          }
          bytes = Files.readAllBytes(p);
        } catch (IOException e) {
          entries.add(new Entry(p, seq, 0, null, "unreadable: " + e));
          continue;
        }
        entries.add(decode(p, seq, bytes));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::sequence).reversed());
    BufferCheckpoint selected = null;
    for (Entry e : entries) {
      if (e.valid()) {
        selected = e.checkpoint();
        break;
      }
    }
    long max = entries.isEmpty() ? 0 : entries.get(0).sequence();
    return new Loaded(entries, selected, max);
  }

  /** Durably writes {@code cp}: temp file, fsync, atomic rename, fsync of the directory. */
  static void write(Path dir, BufferCheckpoint cp) throws IOException {
    Path target = dir.resolve(SegmentFiles.checkpointName(cp.sequence()));
    Path temp = dir.resolve(target.getFileName() + SegmentFiles.TEMP_SUFFIX);
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(cp.encode());
      while (b.hasRemaining()) {
        ch.write(b, b.position());
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    SegmentFiles.fsyncDirectory(dir);
  }

  /** Deletes checkpoint files other than {@code keepA} and {@code keepB} (sequences). */
  static void deleteOthers(Path dir, long keepA, long keepB) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
        SegmentFiles.CHECKPOINT_PREFIX + "*" + SegmentFiles.CHECKPOINT_SUFFIX)) {
      for (Path p : ds) {
        long seq = SegmentFiles.parseNumber(p.getFileName().toString(),
            SegmentFiles.CHECKPOINT_PREFIX, SegmentFiles.CHECKPOINT_SUFFIX);
        if (seq >= 0 && seq != keepA && seq != keepB) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
