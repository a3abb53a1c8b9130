package foundation.foxlight.skulklogs.agent.buffer;

import foundation.foxlight.skulklogs.common.config.Bytes;
import java.nio.file.Path;

/**
 * Thrown by {@link DiskBuffer#append(byte[])} when the file system holding the buffer has no space left for the
 * record, after the buffer gave back what it could (a segment whose records Kafka had all acknowledged). Nothing
 * was written and the buffer stays usable: the same append succeeds once space is freed. Sources treat it like a
 * full buffer ({@code block} or {@code drop_newest}); only the reason differs.
 */
public final class DiskFullException extends BufferFullException {
  private static final long serialVersionUID = 1L;

  private final transient Path directory;
  private final long usableBytes;

  /**
   * @param directory the buffer's directory
   * @param usableBytes the space left on its file system, -1 if it cannot be read
   * @param cause the failed write
   */
  DiskFullException(Path directory, long usableBytes, long bytesOnDisk, long requiredBytes, long maxBytes, Throwable cause) {
    super("no space left on the disk holding the disk buffer " + directory + " (" + describe(usableBytes) + ", "
        + Bytes.human(requiredBytes) + " needed): " + cause.getMessage(), bytesOnDisk, requiredBytes, maxBytes);
    initCause(cause);
    this.directory = directory;
    this.usableBytes = usableBytes;
  }

  private static String describe(long usableBytes) {
    return usableBytes < 0 ? "free space unknown" : Bytes.human(usableBytes) + " free";
  }

  /** @return the space left on the buffer's file system when the append was refused, -1 if unknown */
  public long usableBytes() {
    return usableBytes;
  }

  @Override
  public String reason() {
    return "the disk holding the disk buffer is full (" + describe(usableBytes) + " at " + directory
        + "): what Kafka acknowledged was given back, the rest waits for Kafka — free space there if this lasts";
  }

  @Override
  public String metricReason() {
    return "disk_full";
  }
}
