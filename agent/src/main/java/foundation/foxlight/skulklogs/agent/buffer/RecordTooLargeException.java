package foundation.foxlight.skulklogs.agent.buffer;

/**
 * Thrown by {@link DiskBuffer#append(byte[])} for a record that could never fit, not even in an
 * empty buffer (segment header + frame header + payload &gt; {@link BufferConfig#maxBytes()}).
 * Retrying is pointless: the caller must split or drop the record.
 */
public class RecordTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final long payloadBytes;
  private final long maxPayloadBytes;

  /**
   * @param payloadBytes the size of the refused payload
   * @param maxPayloadBytes the largest payload this buffer accepts
   */
  public RecordTooLargeException(long payloadBytes, long maxPayloadBytes) {
    super("record of " + payloadBytes + " bytes can never fit in the disk buffer (largest possible payload: "
        + maxPayloadBytes + " bytes); split the batch or raise the buffer maxBytes");
    this.payloadBytes = payloadBytes;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** @return the size of the refused payload */
  public long payloadBytes() {
    return payloadBytes;
  }

  /** @return the largest payload this buffer accepts */
  public long maxPayloadBytes() {
    return maxPayloadBytes;
  }
}
