package foundation.foxlight.skulklogs.agent.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Helpers shared by the buffer tests: tiny configurations, payloads, file surgery. */
final class BufferTestSupport {
  static final int SEGMENT_HEADER = RecordFormat.SEGMENT_HEADER_BYTES;
  static final int FRAME_HEADER = RecordFormat.FRAME_HEADER_BYTES;

  private BufferTestSupport() {}

  /** Tiny segments, generous cap, no background fsync. */
  static BufferConfig tiny(Path dir) {
    return new BufferConfig(dir, 1024 * 1024, 1024, FsyncPolicy.never());
  }

  static BufferConfig single(Path dir) {
    return new BufferConfig(dir, 1024 * 1024, 1024 * 1024, FsyncPolicy.never());
  }

  /** Deterministic payload for (seed, length). */
  static byte[] payload(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed * 7919 + length).nextBytes(b);
    return b;
  }

  static byte[] payload(long seed) {
    return payload(seed, 10 + (int) (Math.abs(seed * 31) % 90));
  }

  static List<BufferRecord> readAll(DiskBuffer buffer) throws IOException {
    List<BufferRecord> all = new ArrayList<>();
    while (true) {
      List<BufferRecord> batch = buffer.read(7, 10_000);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
    }
  }

  static List<Long> ids(List<BufferRecord> records) {
    return records.stream().map(BufferRecord::id).toList();
  }

  static List<Long> range(long fromInclusive, long toInclusive) {
    List<Long> out = new ArrayList<>();
    for (long i = fromInclusive; i <= toInclusive; i++) {
      out.add(i);
    }
    return out;
  }

  static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  static List<Path> checkpointFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".ckpt")).sorted().toList();
    }
  }

  /** Position of a frame in a healthy segment. */
  record Frame(long position, int payloadLength, long id) {
    long end() {
      return position + FRAME_HEADER + payloadLength;
    }

    long payloadPosition() {
      return position + FRAME_HEADER;
    }
  }

  /** Parses the frames of a healthy segment (no validation). */
  static List<Frame> frames(Path segment) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    List<Frame> out = new ArrayList<>();
    long pos = SEGMENT_HEADER;
    while (pos + FRAME_HEADER <= bytes.length) {
      int len = b.getInt((int) pos);
      long id = b.getLong((int) pos + 8);
      if (len < 0 || pos + FRAME_HEADER + len > bytes.length) {
        break;
      }
      out.add(new Frame(pos, len, id));
      pos += FRAME_HEADER + len;
    }
    return out;
  }

  static void flipByte(Path file, long position) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, position);
      one.flip();
      byte v = one.get(0);
      one.put(0, (byte) (v ^ 0x5A));
      ch.write(one, position);
    }
  }

  static void writeAt(Path file, long position, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b, position + b.position());
      }
    }
  }

  static void writeIntAt(Path file, long position, int value) throws IOException {
    writeAt(file, position, ByteBuffer.allocate(4).putInt(value).array());
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  static void appendZeros(Path file, int count) throws IOException {
    Files.write(file, new byte[count], StandardOpenOption.APPEND);
  }

  static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
  }

  /** Name -&gt; (content, mtime) of every file, to prove read-only access. */
  static TreeMap<String, Object> snapshot(Path dir) {
    TreeMap<String, Object> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        FileTime mtime = Files.getLastModifiedTime(p);
        out.put(p.getFileName().toString(), List.of(java.util.HexFormat.of().formatHex(Files.readAllBytes(p)),
            mtime.toMillis()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Open file descriptors of this process (Linux), or -1. */
  static long openFileDescriptors() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (Stream<Path> s = Files.list(fds)) {
      return s.count();
    } catch (IOException e) {
      return -1;
    }
  }
}
