package foundation.foxlight.skulklogs.agent.buffer;

import java.util.Arrays;

/**
 * One record handed out by {@link DiskBuffer#read(int, long)}. Deliver it, then
 * {@link DiskBuffer#ack(long) ack} its id. The payload array is owned by the caller (a fresh copy
 * per read); equality compares payload contents.
 *
 * @param id the record id assigned by {@link DiskBuffer#append(byte[])}
 * @param appendedAtMillis wall-clock time of the append (epoch millis)
 * @param payload the bytes given to append, byte-identical
 */
public record BufferRecord(long id, long appendedAtMillis, byte[] payload) {

  @Override
  public boolean equals(Object o) {
    return o instanceof BufferRecord r
        && r.id == id
        && r.appendedAtMillis == appendedAtMillis
        && Arrays.equals(r.payload, payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "BufferRecord[id=" + id + ", appendedAtMillis=" + appendedAtMillis + ", payload="
        + (payload == null ? "null" : payload.length + " bytes") + "]";
  }
}
