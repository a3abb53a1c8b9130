package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.RecordFormat.FRAME_HEADER_BYTES;
import static foundation.foxlight.skulklogs.agent.buffer.RecordFormat.MAX_PAYLOAD_BYTES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads and validates frames through a bounded read-ahead window using positional reads, so a
 * segment is streamed rather than loaded. Not thread-safe: one instance per reading thread (the
 * buffer uses it under its lock). After {@link #readHeader} returned {@code true} the fields
 * {@link #payloadLength}, {@link #id} and {@link #appendedAt} describe the frame.
 */
final class FrameReader {
  private final byte[] array;
  private final ByteBuffer window;
  private final CRC32C crc = new CRC32C();
  private final byte[] crcScratch = new byte[20];
  private FileChannel windowChannel;
  private long windowStart;
  private int windowLength;

  int payloadLength;
  long id;
  long appendedAt;
  private int storedCrc;

  FrameReader(int readAheadBytes) {
    array = new byte[Math.max(readAheadBytes, FRAME_HEADER_BYTES * 2)];
    window = ByteBuffer.wrap(array);
  }

  /** Forgets cached bytes (call after a file was truncated). */
  void invalidate() {
    windowChannel = null;
    windowLength = 0;
  }

  /** Makes the window cover [pos, pos + n), n &lt;= capacity, never reading at or past end. */
  private boolean ensure(FileChannel ch, long pos, int n, long end) throws IOException {
    if (ch == windowChannel && pos >= windowStart && pos + n <= windowStart + windowLength) {
      return true;
    }
    long want = Math.min(array.length, end - pos);
    if (want < n) {
      return false;
    }
    window.clear().limit((int) want);
    int total = 0;
    while (total < want) {
      int r = ch.read(window, pos + total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    windowChannel = ch;
    windowStart = pos;
    windowLength = total;
    return total >= n;
  }

  private int offset(long pos) {
    return (int) (pos - windowStart);
  }

  /**
   * Reads the frame header at {@code pos} and checks it is plausible: it fits before {@code end}
   * and its id is within [minId, maxId]. Does not check the CRC.
   */
  boolean readHeader(FileChannel ch, long pos, long end, long minId, long maxId) throws IOException {
    if (end - pos < FRAME_HEADER_BYTES || !ensure(ch, pos, FRAME_HEADER_BYTES, end)) {
      return false;
    }
    int o = offset(pos);
    long length = Integer.toUnsignedLong(window.getInt(o));
    int crcValue = window.getInt(o + 4);
    long frameId = window.getLong(o + 8);
    long time = window.getLong(o + 16);
    if (length > MAX_PAYLOAD_BYTES || length > end - pos - FRAME_HEADER_BYTES) {
      return false;
    }
    if (frameId < minId || frameId > maxId || frameId <= 0) {
      return false;
    }
    payloadLength = (int) length;
    storedCrc = crcValue;
    id = frameId;
    appendedAt = time;
    return true;
  }

  /** Verifies the CRC of the frame whose header was just read at {@code pos}, streaming the payload. */
  boolean verify(FileChannel ch, long pos, long end) throws IOException {
    startCrc();
    long p = pos + FRAME_HEADER_BYTES;
    long remaining = payloadLength;
    while (remaining > 0) {
      int chunk = (int) Math.min(remaining, array.length);
      if (!ensure(ch, p, chunk, end)) {
        return false;
      }
      crc.update(array, offset(p), chunk);
      p += chunk;
      remaining -= chunk;
    }
    return (int) crc.getValue() == storedCrc;
  }

  /**
   * Copies the payload of the frame whose header was just read at {@code pos} and verifies the CRC.
   *
   * @return the payload, or {@code null} when the CRC does not match or bytes are missing
   */
  byte[] readPayload(FileChannel ch, long pos, long end) throws IOException {
    byte[] payload = new byte[payloadLength];
    long p = pos + FRAME_HEADER_BYTES;
    if (payloadLength <= array.length) {
      if (!ensure(ch, p, payloadLength, end)) {
        return null;
      }
      System.arraycopy(array, offset(p), payload, 0, payloadLength);
    } else {
      ByteBuffer target = ByteBuffer.wrap(payload);
      while (target.hasRemaining()) {
        if (ch.read(target, p + target.position()) < 0) {
          return null;
        }
      }
    }
    startCrc();
    crc.update(payload, 0, payloadLength);
    return (int) crc.getValue() == storedCrc ? payload : null;
  }

  private void startCrc() {
    crc.reset();
    RecordFormat.crcPrefix(crcScratch, payloadLength, id, appendedAt);
    crc.update(crcScratch, 0, crcScratch.length);
  }

  /**
   * Finds the next valid frame after an invalid one at {@code from} (resynchronisation).
   *
   * <p>Ids inside a segment are contiguous, so a frame found at {@code q} must carry an id in
   * [expectedId, expectedId + (q - from) / 24] (each skipped frame is at least 24 bytes). First
   * tries the frame right after the invalid one, trusting its length (the usual bit-flip case);
   * otherwise scans byte by byte. A candidate needs a plausible length, an id in range and a valid
   * CRC32C, so a false match needs both a matching id and a 1-in-2^32 checksum collision.
   *
   * @return the position of the next valid frame (its header is then loaded), or -1 if none
   */
  long resync(FileChannel ch, long from, long end, long expectedId) throws IOException {
    if (readHeader(ch, from, end, expectedId, expectedId)) {
      long next = from + FRAME_HEADER_BYTES + payloadLength;
      if (readHeader(ch, next, end, expectedId + 1, expectedId + 1) && verify(ch, next, end)) {
        return next;
      }
    }
    for (long q = from + 1; q + FRAME_HEADER_BYTES <= end; q++) {
      if (!ensure(ch, q, FRAME_HEADER_BYTES, end)) {
        return -1;
      }
      int o = offset(q);
      long candidateId = window.getLong(o + 8);
      long maxId = expectedId + (q - from) / FRAME_HEADER_BYTES;
      if (candidateId < expectedId || candidateId > maxId) {
        continue;
      }
      long length = Integer.toUnsignedLong(window.getInt(o));
      if (length > end - q - FRAME_HEADER_BYTES) {
        continue;
      }
      if (readHeader(ch, q, end, expectedId, maxId) && verify(ch, q, end)) {
        return q;
      }
    }
    return -1;
  }
}
