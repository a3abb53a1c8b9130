package foundation.foxlight.skulklogs.common.delivery;

import java.util.BitSet;

/**
 * Tracks the acknowledgement of a sequence of positions (Kafka offsets of one partition, disk buffer
 * record ids) that are handed out in increasing order and acknowledged in any order, and tells the
 * highest position below which everything is acknowledged — the only safe place to commit
 * (Kafka Connect's "contiguous acked prefix").
 *
 * <p>Positions may have gaps (Kafka offsets are not dense: compacted or transaction markers); a gap is
 * never waited for, only positions that were {@link #track tracked} are.
 *
 * <p>Not thread-safe: confine to one thread (the relay's event loop, the buffer's lock).
 */
public final class ContiguousAckTracker {
    private long base; // every tracked position < base is acknowledged
    private final BitSet tracked = new BitSet(); // bit i = position base+i handed out
    private final BitSet acked = new BitSet(); // bit i = position base+i acknowledged
    private long highestTracked = -1;

    /** @param start the first position that will be tracked (e.g. the committed offset) */
    public ContiguousAckTracker(long start) {
        this.base = start;
    }

    /** A position was handed out for delivery; must be greater than every position tracked before. */
    public void track(long position) {
        if (position < base || position <= highestTracked) {
            throw new IllegalArgumentException("position " + position + " not after " + Math.max(base - 1, highestTracked));
        }
        tracked.set(index(position));
        highestTracked = position;
    }

    /** A tracked position was delivered. Acknowledging an untracked or already committed position is ignored. */
    public void ack(long position) {
        if (position < base) {
            return;
        }
        int i = index(position);
        if (tracked.get(i)) {
            acked.set(i);
        }
        compact();
    }

    /**
     * The next position to commit: every tracked position below it is acknowledged. For Kafka this is
     * exactly the offset to commit ("the offset of the next record to read").
     */
    public long committable() {
        return base;
    }

    /** Positions handed out and not yet acknowledged. */
    public int pending() {
        return tracked.cardinality() - acked.cardinality();
    }

    private int index(long position) {
        long i = position - base;
        if (i > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("more than 2^31 positions outstanding");
        }
        return (int) i;
    }

    private void compact() {
        int firstUnacked = 0;
        // the first tracked-but-unacked bit bounds the prefix
        int t = tracked.nextSetBit(0);
        while (t >= 0 && acked.get(t)) {
            t = tracked.nextSetBit(t + 1);
        }
        if (t < 0) {
            // everything tracked is acked: the prefix reaches just past the highest tracked position
            firstUnacked = highestTracked < base ? 0 : (int) (highestTracked - base + 1);
        } else {
            firstUnacked = t;
        }
        if (firstUnacked > 0) {
            shift(tracked, firstUnacked);
            shift(acked, firstUnacked);
            base += firstUnacked;
        }
    }

    private static void shift(BitSet bits, int by) {
        BitSet shifted = bits.get(by, Math.max(by, bits.length()));
        bits.clear();
        bits.or(shifted);
    }
}
