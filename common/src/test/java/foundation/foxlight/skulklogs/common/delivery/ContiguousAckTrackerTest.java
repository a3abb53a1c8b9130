package foundation.foxlight.skulklogs.common.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ContiguousAckTrackerTest {

    @Test
    void beforeAnythingIsTrackedTheStartIsCommittable() {
        ContiguousAckTracker t = new ContiguousAckTracker(42);
        assertThat(t.committable()).isEqualTo(42);
        assertThat(t.pending()).isZero();
    }

    @Test
    void inOrderAcksMoveThePrefixOneByOne() {
        ContiguousAckTracker t = new ContiguousAckTracker(10);
        t.track(10);
        t.track(11);
        t.track(12);
        assertThat(t.committable()).isEqualTo(10);
        assertThat(t.pending()).isEqualTo(3);
        t.ack(10);
        assertThat(t.committable()).isEqualTo(11);
        t.ack(11);
        assertThat(t.committable()).isEqualTo(12);
        t.ack(12);
        assertThat(t.committable()).isEqualTo(13);
        assertThat(t.pending()).isZero();
    }

    @Test
    void outOfOrderAcksWaitForTheOldestUnacknowledged() {
        ContiguousAckTracker t = new ContiguousAckTracker(0);
        for (long p = 0; p < 5; p++) {
            t.track(p);
        }
        t.ack(3);
        t.ack(1);
        assertThat(t.committable()).isZero();
        assertThat(t.pending()).isEqualTo(3);
        t.ack(0);
        assertThat(t.committable()).as("0 and 1 acked, 2 not").isEqualTo(2);
        t.ack(2);
        assertThat(t.committable()).as("3 was acked before").isEqualTo(4);
        t.ack(4);
        assertThat(t.committable()).isEqualTo(5);
        assertThat(t.pending()).isZero();
    }

    @Test
    void gapsBetweenPositionsAreNeverWaitedFor() {
        ContiguousAckTracker t = new ContiguousAckTracker(0);
        t.track(5); // 0..4 compacted away
        t.track(8);
        t.track(20);
        assertThat(t.committable()).as("the oldest unacknowledged tracked position").isEqualTo(5);
        t.ack(8);
        assertThat(t.committable()).isEqualTo(5);
        t.ack(5);
        assertThat(t.committable()).as("6, 7 and 9..19 were never handed out").isEqualTo(20);
        t.ack(20);
        assertThat(t.committable()).isEqualTo(21);
        t.track(30);
        assertThat(t.committable()).isEqualTo(30);
    }

    @Test
    void acknowledgingUntrackedPositionsIsIgnored() {
        ContiguousAckTracker t = new ContiguousAckTracker(0);
        t.ack(0); // nothing tracked yet
        assertThat(t.committable()).isZero();
        t.track(5);
        t.track(8);
        t.ack(6);
        t.ack(7);
        t.ack(4);
        t.ack(9);
        t.ack(-1);
        t.ack(Long.MAX_VALUE);
        t.ack(Long.MIN_VALUE);
        t.ack((1L << 31) + 5); // far beyond anything tracked: ignored, not an error
        assertThat(t.committable()).isEqualTo(5);
        assertThat(t.pending()).isEqualTo(2);
    }

    @Test
    void acknowledgingTwiceOrAfterCommitIsIgnored() {
        ContiguousAckTracker t = new ContiguousAckTracker(0);
        t.track(1);
        t.track(2);
        t.track(3);
        t.ack(3);
        t.ack(3);
        assertThat(t.pending()).isEqualTo(2);
        t.ack(1);
        t.ack(1); // already committed
        assertThat(t.committable()).isEqualTo(2);
        assertThat(t.pending()).isEqualTo(1);
        t.ack(2);
        t.ack(2);
        t.ack(1);
        assertThat(t.committable()).isEqualTo(4);
        assertThat(t.pending()).isZero();
    }

    @Test
    void trackRejectsPositionsThatAreNotIncreasing() {
        ContiguousAckTracker t = new ContiguousAckTracker(10);
        assertThatThrownBy(() -> t.track(9)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9");
        t.track(10);
        assertThatThrownBy(() -> t.track(10)).isInstanceOf(IllegalArgumentException.class);
        t.track(12);
        assertThatThrownBy(() -> t.track(11)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12");
        t.ack(10);
        t.ack(12);
        assertThatThrownBy(() -> t.track(12)).as("even once committed").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.track(5)).isInstanceOf(IllegalArgumentException.class);
        t.track(13);
        assertThat(t.committable()).isEqualTo(13);
        assertThat(t.pending()).isEqualTo(1);
    }

    @Test
    void negativeAndHugePositionsWork() {
        ContiguousAckTracker t = new ContiguousAckTracker(-5);
        t.track(-5);
        t.track(Long.MAX_VALUE - 1);
        t.ack(Long.MAX_VALUE - 1);
        assertThat(t.committable()).isEqualTo(-5);
        t.ack(-5);
        assertThat(t.committable()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void manyOutstandingPositionsGrowAndShrinkTheRing() {
        ContiguousAckTracker t = new ContiguousAckTracker(0);
        // wrap the ring around before it grows: track and ack in a sliding window
        for (long p = 0; p < 1000; p++) {
            t.track(p * 3);
            if (p >= 10) {
                t.ack((p - 10) * 3);
            }
        }
        assertThat(t.committable()).isEqualTo(990 * 3);
        assertThat(t.pending()).isEqualTo(10);
        for (long p = 1000; p < 5000; p++) {
            t.track(p * 3);
        }
        for (long p = 4999; p >= 991; p--) {
            t.ack(p * 3);
        }
        assertThat(t.committable()).isEqualTo(990 * 3);
        t.ack(990 * 3);
        assertThat(t.committable()).isEqualTo(5000 * 3 - 2);
        assertThat(t.pending()).isZero();
    }

    // ------------------------------------------------------------------ performance sanity

    @Test
    void hundredThousandOutstandingAckedInOrderIsFast() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int round = 0; round < 5; round++) {
                ContiguousAckTracker t = new ContiguousAckTracker(0);
                int n = 100_000;
                for (int i = 0; i < n; i++) {
                    t.track(i);
                }
                for (int i = 0; i < n; i++) {
                    t.ack(i);
                    if (t.committable() != i + 1) {
                        throw new AssertionError("committable " + t.committable() + " after ack " + i);
                    }
                }
                assertThat(t.pending()).isZero();
            }
        });
    }

    /** A quadratic implementation needs minutes here; a linear one a few tens of milliseconds. */
    @Test
    void aMillionOutstandingInOrderAndReverseIsNotQuadratic() {
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            int n = 1_000_000;
            ContiguousAckTracker inOrder = new ContiguousAckTracker(0);
            ContiguousAckTracker reverse = new ContiguousAckTracker(0);
            for (int i = 0; i < n; i++) {
                inOrder.track(2L * i);
                reverse.track(2L * i);
            }
            for (int i = 0; i < n; i++) {
                inOrder.ack(2L * i);
                reverse.ack(2L * (n - 1 - i));
            }
            assertThat(inOrder.committable()).isEqualTo(2L * n - 1);
            assertThat(reverse.committable()).isEqualTo(2L * n - 1);
        });
    }

    // ------------------------------------------------------------------ model-based

    sealed interface Op permits Track, Ack {
    }

    /** Track the position {@code gap} after the highest tracked one (or after start). */
    record Track(int gap) implements Op {
    }

    /** Ack: an outstanding position ({@code pick >= 0}, by index) or any position near the tracked range. */
    record Ack(int pick) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> track = Arbitraries.integers().between(0, 6).map(Track::new);
        Arbitrary<Op> ack = Arbitraries.integers().between(-40, 1000).map(Ack::new);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, track),
                        net.jqwik.api.Tuple.of(4, ack))
                .list().ofMinSize(0).ofMaxSize(400);
    }

    @Property(tries = 500)
    void matchesATreeSetModel(@ForAll("ops") List<Op> ops, @ForAll @LongRange(min = -1000, max = 1_000_000) long start) {
        ContiguousAckTracker t = new ContiguousAckTracker(start);
        TreeSet<Long> unacked = new TreeSet<>();
        Long highest = null;
        List<String> trace = new ArrayList<>();
        for (Op op : ops) {
            if (op instanceof Track tr) {
                long p = (highest == null ? start : highest + 1) + tr.gap();
                if (tr.gap() == 0 && highest != null) {
                    // gap 0 means "the same position again": must be refused and change nothing
                    long again = highest;
                    assertThatThrownBy(() -> t.track(again)).isInstanceOf(IllegalArgumentException.class);
                    trace.add("track " + again + " refused");
                    continue;
                }
                t.track(p);
                unacked.add(p);
                highest = p;
                trace.add("track " + p);
            } else if (op instanceof Ack a) {
                long p;
                if (a.pick() >= 0 && !unacked.isEmpty()) {
                    p = new ArrayList<>(unacked).get(a.pick() % unacked.size());
                } else {
                    long base = highest == null ? start : highest;
                    p = base + 3 + a.pick() % 40; // before, inside and after the tracked range
                }
                t.ack(p);
                unacked.remove(p);
                trace.add("ack " + p);
            }
            long expected = !unacked.isEmpty() ? unacked.first() : highest != null ? highest + 1 : start;
            assertThat(t.committable()).as("committable after %s", trace).isEqualTo(expected);
            assertThat(t.pending()).as("pending after %s", trace).isEqualTo(unacked.size());
        }
    }
}
