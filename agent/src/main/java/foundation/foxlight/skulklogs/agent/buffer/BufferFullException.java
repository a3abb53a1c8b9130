package foundation.foxlight.skulklogs.agent.buffer;

/**
 * Thrown by {@link DiskBuffer#append(byte[])} when the record would push the segment bytes over
 * {@link BufferConfig#maxBytes()}. Nothing was written. The caller decides: wait for
 * acknowledgements and retry ({@code block}) or drop the record ({@code drop_newest}).
 */
public class BufferFullException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long bytesOnDisk;
  private final long requiredBytes;
  private final long maxBytes;

  /**
   * @param bytesOnDisk the current segment bytes
   * @param requiredBytes the bytes the append needed (frame, plus a segment header if it rolls)
   * @param maxBytes the configured cap
   */
  public BufferFullException(long bytesOnDisk, long requiredBytes, long maxBytes) {
    super("disk buffer full: " + bytesOnDisk + " bytes on disk + " + requiredBytes
        + " needed > max " + maxBytes);
    this.bytesOnDisk = bytesOnDisk;
    this.requiredBytes = requiredBytes;
    this.maxBytes = maxBytes;
  }

  /** @return the segment bytes at the time of the refusal */
  public long bytesOnDisk() {
    return bytesOnDisk;
  }

  /** @return the bytes the refused append needed */
  public long requiredBytes() {
    return requiredBytes;
  }

  /** @return the configured cap */
  public long maxBytes() {
    return maxBytes;
  }
}
