package foundation.foxlight.skulklogs.agent.buffer;

/**
 * Thrown by {@link DiskBuffer#append(byte[])} when the record would push the segment bytes over
 * {@link BufferConfig#maxBytes()}, or ({@link DiskFullException}) when the disk holding the buffer has no
 * space left. Nothing was written. The caller decides: wait and retry ({@code block}) or drop the record
 * ({@code drop_newest}), and says {@link #reason()} in its log and {@link #metricReason()} on its metrics.
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
    this("disk buffer full: " + bytesOnDisk + " bytes on disk + " + requiredBytes + " needed > max " + maxBytes,
        bytesOnDisk, requiredBytes, maxBytes);
  }

  /** For subclasses with their own message; the sizes as in {@link #BufferFullException(long, long, long)}. */
  protected BufferFullException(String message, long bytesOnDisk, long requiredBytes, long maxBytes) {
    super(message);
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

  /** @return why there is no room and what brings it back, for an operator's log line */
  public String reason() {
    return "the disk buffer is full (Kafka is not taking data fast enough or is unreachable)";
  }

  /** @return the {@code reason} label of the lines this refusal makes a source drop */
  public String metricReason() {
    return "buffer_full";
  }
}
