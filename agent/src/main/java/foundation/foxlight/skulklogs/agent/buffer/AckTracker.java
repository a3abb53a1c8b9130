package foundation.foxlight.skulklogs.agent.buffer;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Contiguous-prefix acknowledgement tracking: {@link #ackedThrough()} is the highest id such that
 * every id &lt;= it is acknowledged; acknowledgements above a gap are kept as merged ranges, so
 * memory is proportional to the number of gaps, not of records. Not thread-safe (guarded by the
 * buffer's lock).
 */
final class AckTracker {
  private long ackedThrough;
  /** start -&gt; end (inclusive); disjoint, non-adjacent, all starts &gt; ackedThrough + 1. */
  private final TreeMap<Long, Long> ranges = new TreeMap<>();
  private long ackedAbove;

  AckTracker(long ackedThrough) {
    this.ackedThrough = ackedThrough;
  }

  long ackedThrough() {
    return ackedThrough;
  }

  /** @return acknowledged ids above the contiguous prefix */
  long ackedAbove() {
    return ackedAbove;
  }

  int gapCount() {
    return ranges.size();
  }

  boolean isAcked(long id) {
    if (id <= ackedThrough) {
      return true;
    }
    Map.Entry<Long, Long> e = ranges.floorEntry(id);
    return e != null && e.getValue() >= id;
  }

  /**
   * Acknowledges every id in [from, to].
   *
   * @return how many of them were not acknowledged before
   */
  long ackRange(long from, long to) {
    long start = Math.max(from, ackedThrough + 1);
    if (start > to) {
      return 0;
    }
    long mergedStart = start;
    long mergedEnd = to;
    long alreadyAcked = 0;
    Long firstKey = ranges.floorKey(start);
    if (firstKey == null || ranges.get(firstKey) < start - 1) {
      firstKey = ranges.ceilingKey(start);
    }
    if (firstKey != null && firstKey <= to + 1) {
      NavigableMap<Long, Long> touching = ranges.subMap(firstKey, true, to + 1, true);
      for (Iterator<Map.Entry<Long, Long>> it = touching.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Long, Long> e = it.next();
        long s = e.getKey();
        long en = e.getValue();
        alreadyAcked += Math.max(0, Math.min(en, to) - Math.max(s, start) + 1);
        mergedStart = Math.min(mergedStart, s);
        mergedEnd = Math.max(mergedEnd, en);
        ackedAbove -= en - s + 1;
        it.remove();
      }
    }
    if (mergedStart == ackedThrough + 1) {
      ackedThrough = mergedEnd;
    } else {
      ranges.put(mergedStart, mergedEnd);
      ackedAbove += mergedEnd - mergedStart + 1;
    }
    return (to - start + 1) - alreadyAcked;
  }
}
