package foundation.foxlight.skulklogs.agent.buffer;

import foundation.foxlight.skulklogs.agent.checkpoint.CrashHintFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The acknowledged prefix as it was a moment ago, newer than the last checkpoint: {@code ack.mark}, a
 * {@link CrashHintFile} rewritten (no fsync) shortly after every advance of {@link DiskBuffer#ackedThroughId()}.
 * After a process crash it spares Kafka the records it acknowledged since the last checkpoint (up to the
 * checkpoint interval plus an fsync), which would otherwise be sent again as duplicates.
 *
 * <p>Content, big-endian: magic "SKAM" (u32), version (u16), flags (u16), the sequence of the checkpoint it
 * extends (u64, -1 before the first checkpoint), ackedThroughId (u64). It is used at open only when it
 * extends the checkpoint that was loaded: a mark written on top of a checkpoint that was since lost or
 * replaced says nothing reliable about the id space and is ignored (more replay, never a skipped record). Open
 * removes it after reading, so no later open can read it against a checkpoint it was not written on.
 *
 * @param checkpointSequence the checkpoint this mark was written on top of
 * @param ackedThroughId every id &lt;= it was acknowledged when the mark was written
 */
record AckMark(long checkpointSequence, long ackedThroughId) {
  static final String FILE_NAME = "ack.mark";
  static final int MAGIC = 0x534B414D; // "SKAM"
  static final int VERSION = 1;
  private static final int BYTES = 24;

  byte[] encode() {
    return ByteBuffer.allocate(BYTES).putInt(MAGIC).putShort((short) VERSION).putShort((short) 0)
        .putLong(checkpointSequence).putLong(ackedThroughId).array();
  }

  /**
   * The acknowledged prefix recovery uses: the loaded checkpoint's, or the mark's when it extends that very checkpoint
   * ({@code selected} null: no valid checkpoint, sequence -1) and is ahead of it.
   */
  static Optional<AckMark> extending(Path dir, BufferCheckpoint selected) throws IOException {
    long sequence = selected == null ? -1 : selected.sequence();
    long acked = selected == null ? 0 : selected.ackedThroughId();
    return read(dir).filter(m -> m.checkpointSequence() == sequence && m.ackedThroughId() > acked);
  }

  /** The mark in {@code dir}, if present, intact and of this version. */
  static Optional<AckMark> read(Path dir) throws IOException {
    return CrashHintFile.read(dir.resolve(FILE_NAME)).flatMap(bytes -> {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      if (bytes.length != BYTES || b.getInt(0) != MAGIC || b.getShort(4) != VERSION || b.getLong(16) < 0) {
        return Optional.empty();
      }
      return Optional.of(new AckMark(b.getLong(8), b.getLong(16)));
    });
  }
}
