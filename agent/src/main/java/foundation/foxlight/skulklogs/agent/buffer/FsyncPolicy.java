package foundation.foxlight.skulklogs.agent.buffer;

import java.time.Duration;

/**
 * When the {@link DiskBuffer} forces appended records to stable storage.
 *
 * <ul>
 *   <li>{@link Always}: every {@link DiskBuffer#append(byte[])} fsyncs before it returns; the
 *       returned id is durable. Slowest, no window of loss.</li>
 *   <li>{@link Interval}: one daemon thread per buffer calls {@link DiskBuffer#sync()} at most
 *       every {@link Interval#every()} while there are unsynced appends (group commit). A power
 *       loss can lose the records appended during the last interval; a process crash loses
 *       nothing (the data is in the OS page cache).</li>
 *   <li>{@link Never}: fsync only on {@link DiskBuffer#sync()}, segment roll and
 *       {@link DiskBuffer#close()}. For tests and benchmarks.</li>
 * </ul>
 */
public sealed interface FsyncPolicy permits FsyncPolicy.Always, FsyncPolicy.Interval, FsyncPolicy.Never {

  /** The interval used by {@link Interval#Interval()}: 500 ms. */
  Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

  /** Fsync inside every append. */
  record Always() implements FsyncPolicy {}

  /**
   * Group commit: a background thread fsyncs at most every {@code every} while appends are unsynced.
   *
   * @param every the period; must be positive (checked by {@link BufferConfig#validate()})
   */
  record Interval(Duration every) implements FsyncPolicy {
    /** An interval policy with the default period of 500 ms. */
    public Interval() {
      this(DEFAULT_INTERVAL);
    }
  }

  /** Only explicit syncs, segment rolls and close. */
  record Never() implements FsyncPolicy {}

  /** @return {@link Always} */
  static FsyncPolicy always() {
    return new Always();
  }

  /** @return {@link Interval} with the given period */
  static FsyncPolicy interval(Duration every) {
    return new Interval(every);
  }

  /** @return {@link Never} */
  static FsyncPolicy never() {
    return new Never();
  }

  /** @return the default policy: {@link Interval} every 500 ms */
  static FsyncPolicy defaultPolicy() {
    return new Interval();
  }
}
