package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.RecordFormat.FRAME_HEADER_BYTES;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Walks the frames of one segment, validating each, and reports valid records, corrupt regions
 * (skipped, scanning resumes at the next valid frame) and an invalid tail (no valid frame until
 * the end). Streaming: memory use is the reader's window. Read-only.
 */
final class SegmentScanner {
  private SegmentScanner() {}

  /** Receives scan events in file order. */
  interface Listener {
    /** A valid record. */
    void record(long id, long position, int payloadLength, long appendedAt) throws IOException;

    /**
     * Bytes [position, resumePosition) hold no valid frame; ids [firstLostId, resumeId) are lost
     * (the range may be empty).
     */
    void corrupt(long position, long resumePosition, long firstLostId, long resumeId) throws IOException;
  }

  /** @param validEnd where the last valid frame ends; @param nextExpectedId id expected next */
  record Result(long validEnd, long nextExpectedId) {}

  static Result scan(FrameReader reader, FileChannel ch, long start, long end, long expectedId,
      Listener listener) throws IOException {
    long pos = start;
    long expected = expectedId;
    while (pos < end) {
      if (reader.readHeader(ch, pos, end, expected, expected) && reader.verify(ch, pos, end)) {
        long id = reader.id;
        int length = reader.payloadLength;
        listener.record(id, pos, length, reader.appendedAt);
        pos += FRAME_HEADER_BYTES + (long) length;
        expected = id + 1;
        continue;
      }
      long resume = reader.resync(ch, pos, end, expected);
      if (resume < 0) {
        return new Result(pos, expected);
      }
      long resumeId = reader.id;
      listener.corrupt(pos, resume, expected, resumeId);
      pos = resume;
      expected = resumeId;
    }
    return new Result(pos, expected);
  }
}
