package foundation.foxlight.skulklogs.agent.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * On-disk layout of segment files (all integers big-endian).
 *
 * <pre>
 * segment header (20 bytes)
 *   magic   u32  "SKLS"
 *   version u16  1
 *   flags   u16  0
 *   firstId u64  id of the first record in the segment (also in the file name)
 *   crc     u32  CRC32C of the 16 bytes above
 * record frame (24 bytes + payload), repeated
 *   length  u32  payload length
 *   crc     u32  CRC32C of length, id, appendedAt and payload (everything except the crc itself)
 *   id      u64  record id; ids inside a segment are contiguous, starting at firstId
 *   time    u64  append time, epoch millis
 *   payload length bytes
 * </pre>
 *
 * <p>The CRC covers the length and the id, so a torn frame, a tail of zeros (length 0, id 0: id 0 is
 * never valid) or a frame from another position cannot validate; the expected id is checked too.
 */
final class RecordFormat {
  static final int SEGMENT_MAGIC = 0x534B4C53; // "SKLS"
  static final int FORMAT_VERSION = 1;
  static final int SEGMENT_HEADER_BYTES = 20;
  static final int FRAME_HEADER_BYTES = 24;
  /** Largest payload a frame can describe (bounded by Java arrays). */
  static final long MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 64;

  private RecordFormat() {}

  static long frameBytes(long payloadLength) {
    return FRAME_HEADER_BYTES + payloadLength;
  }

  static byte[] segmentHeader(long firstId) {
    ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
    b.putInt(SEGMENT_MAGIC).putShort((short) FORMAT_VERSION).putShort((short) 0).putLong(firstId);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 16);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** Result of reading a segment header. */
  enum HeaderStatus {
    VALID("valid"),
    TOO_SHORT("file shorter than the segment header"),
    BAD_MAGIC("bad magic (not a skulk-logs buffer segment)"),
    BAD_CRC("header checksum mismatch"),
    UNSUPPORTED_VERSION("unsupported format version"),
    ID_MISMATCH("first id in header differs from the file name");

    final String description;

    HeaderStatus(String description) {
      this.description = description;
    }
  }

  /** A parsed header; {@code version} is meaningful for VALID and UNSUPPORTED_VERSION. */
  record SegmentHeader(HeaderStatus status, int version, long firstId) {
    boolean valid() {
      return status == HeaderStatus.VALID;
    }
  }

  static SegmentHeader readSegmentHeader(FileChannel ch, long fileSize, long expectedFirstId)
      throws IOException {
    if (fileSize < SEGMENT_HEADER_BYTES) {
      return new SegmentHeader(HeaderStatus.TOO_SHORT, 0, expectedFirstId);
    }
    ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
    while (b.hasRemaining()) {
      if (ch.read(b, b.position()) < 0) {
        return new SegmentHeader(HeaderStatus.TOO_SHORT, 0, expectedFirstId);
      }
    }
    int magic = b.getInt(0);
    int version = Short.toUnsignedInt(b.getShort(4));
    long firstId = b.getLong(8);
    int storedCrc = b.getInt(16);
    if (magic != SEGMENT_MAGIC) {
      return new SegmentHeader(HeaderStatus.BAD_MAGIC, version, expectedFirstId);
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 16);
    if ((int) crc.getValue() != storedCrc) {
      return new SegmentHeader(HeaderStatus.BAD_CRC, version, expectedFirstId);
    }
    if (version != FORMAT_VERSION) {
      return new SegmentHeader(HeaderStatus.UNSUPPORTED_VERSION, version, firstId);
    }
    if (firstId != expectedFirstId) {
      return new SegmentHeader(HeaderStatus.ID_MISMATCH, version, expectedFirstId);
    }
    return new SegmentHeader(HeaderStatus.VALID, version, firstId);
  }

  /** Writes the CRC input (length, id, time) of a frame header into {@code scratch[0..20)}. */
  static void crcPrefix(byte[] scratch, int length, long id, long appendedAt) {
    putInt(scratch, 0, length);
    putLong(scratch, 4, id);
    putLong(scratch, 12, appendedAt);
  }

  private static void putInt(byte[] a, int off, int v) {
    a[off] = (byte) (v >>> 24);
    a[off + 1] = (byte) (v >>> 16);
    a[off + 2] = (byte) (v >>> 8);
    a[off + 3] = (byte) v;
  }

  private static void putLong(byte[] a, int off, long v) {
    putInt(a, off, (int) (v >>> 32));
    putInt(a, off + 4, (int) v);
  }
}
