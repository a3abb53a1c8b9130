package foundation.foxlight.skulklogs.common.delivery;

import java.util.Arrays;

/**
 * Tracks the acknowledgement of a sequence of positions (Kafka offsets of one partition, disk buffer
 * record ids) that are handed out in increasing order and acknowledged in any order, and tells the
 * highest position below which everything is acknowledged — the only safe place to commit
 * (Kafka Connect's "contiguous acked prefix").
 *
 * <p>Positions may have gaps (Kafka offsets are not dense: compacted or transaction markers); a gap is
 * never waited for, only positions that were {@link #track tracked} are.
 *
 * <p>Cost: {@link #track} amortized O(1), {@link #ack} O(log n) in the number of outstanding positions
 * (amortized O(1) to advance the prefix), memory 9 bytes per outstanding position whatever the gaps
 * between them.
 *
 * <p>Not thread-safe: confine to one thread (the relay's event loop, the buffer's lock).
 */
public final class ContiguousAckTracker {
    private static final int MIN_CAPACITY = 16;

    private final long start;
    // Outstanding positions: from the oldest tracked-unacked one to the newest tracked one, in increasing
    // order, in a ring buffer (capacity a power of two); acked[i] tells whether positions[i] was acknowledged.
    private long[] positions = new long[MIN_CAPACITY];
    private boolean[] acked = new boolean[MIN_CAPACITY];
    private int head;
    private int size;
    private int pending;
    private long highestTracked;
    private boolean anyTracked;

    /** @param start the first position that may be tracked (e.g. the committed offset) */
    public ContiguousAckTracker(long start) {
        this.start = start;
    }

    /**
     * A position was handed out for delivery; must be at least {@code start} and greater than every
     * position tracked before.
     *
     * @throws IllegalArgumentException when it is not
     */
    public void track(long position) {
        if (position < start || (anyTracked && position <= highestTracked)) {
            throw new IllegalArgumentException("position " + position + " not after "
                    + (anyTracked ? highestTracked : start - 1));
        }
        if (size == positions.length) {
            resize(positions.length * 2);
        }
        int i = (head + size) & (positions.length - 1);
        positions[i] = position;
        acked[i] = false;
        size++;
        pending++;
        highestTracked = position;
        anyTracked = true;
    }

    /** A tracked position was delivered. Acknowledging an untracked, already acknowledged or committed position is ignored. */
    public void ack(long position) {
        if (size == 0 || position < positions[head] || position > highestTracked) {
            return;
        }
        int logical = find(position);
        if (logical < 0) {
            return;
        }
        int mask = positions.length - 1;
        int i = (head + logical) & mask;
        if (acked[i]) {
            return;
        }
        acked[i] = true;
        pending--;
        if (logical == 0) {
            while (size > 0 && acked[head]) {
                head = (head + 1) & mask;
                size--;
            }
            if (positions.length > 4 * MIN_CAPACITY && size < positions.length / 4) {
                resize(positions.length / 2);
            }
        }
    }

    /**
     * The next position to commit: every tracked position below it is acknowledged. It is the oldest
     * tracked position not yet acknowledged; when every tracked position is acknowledged, the one after
     * the highest tracked; before anything was tracked, {@code start}. For Kafka this is exactly the
     * offset to commit ("the offset of the next record to read").
     */
    public long committable() {
        if (size > 0) {
            return positions[head];
        }
        return anyTracked ? highestTracked + 1 : start;
    }

    /** Positions handed out and not yet acknowledged. */
    public int pending() {
        return pending;
    }

    /** Logical index (0 = head) of {@code position} among the outstanding positions, or -1. */
    private int find(long position) {
        int mask = positions.length - 1;
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long p = positions[(head + mid) & mask];
            if (p < position) {
                lo = mid + 1;
            } else if (p > position) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private void resize(int capacity) {
        if (capacity < 0) {
            throw new IllegalStateException("more than 2^30 positions outstanding");
        }
        long[] p = new long[capacity];
        boolean[] a = new boolean[capacity];
        int mask = positions.length - 1;
        for (int k = 0; k < size; k++) {
            int i = (head + k) & mask;
            p[k] = positions[i];
            a[k] = acked[i];
        }
        positions = p;
        acked = a;
        head = 0;
    }

    @Override
    public String toString() {
        return "ContiguousAckTracker[committable=" + committable() + ", pending=" + pending + ", outstanding=" + size
                + (size > 0 ? " " + Arrays.toString(new long[] {positions[head], highestTracked}) : "") + "]";
    }
}
