package foundation.foxlight.skulklogs.agent.buffer;

/**
 * Append times of records handed out but not yet covered by the acknowledged prefix, indexed by
 * id (a ring of primitive longs; no boxing). Used for {@link BufferStats#oldestUnackedAppendMillis()}.
 * Not thread-safe.
 */
final class InflightTimes {
  private long[] times = new long[64];
  private int head;
  private int size;
  private long baseId = 1;

  void reset(long newBaseId) {
    head = 0;
    size = 0;
    baseId = newBaseId;
  }

  /** Records the time of {@code id}; ids must increase; skipped ids get time 0. */
  void add(long id, long time) {
    if (id < baseId + size) {
      return;
    }
    while (baseId + size < id) {
      push(0);
    }
    push(time);
  }

  private void push(long value) {
    if (size == times.length) {
      long[] grown = new long[times.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = times[(head + i) % times.length];
      }
      times = grown;
      head = 0;
    }
    times[(head + size) % times.length] = value;
    size++;
  }

  /** Forgets every id &lt;= {@code ackedThrough}. */
  void dropThrough(long ackedThrough) {
    long drop = ackedThrough - baseId + 1;
    if (drop <= 0) {
      return;
    }
    if (drop >= size) {
      reset(ackedThrough + 1);
      return;
    }
    head = (int) ((head + drop) % times.length);
    size -= (int) drop;
    baseId += drop;
  }

  /** @return the time recorded for {@code id}, or 0 when unknown */
  long get(long id) {
    long index = id - baseId;
    if (index < 0 || index >= size) {
      return 0;
    }
    return times[(int) ((head + index) % times.length)];
  }
}
