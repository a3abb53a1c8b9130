package foundation.foxlight.skulklogs.common.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final int SAMPLES = 2000;

    /** The ceiling of the n-th consecutive failure: initial * 2^(n-1), capped at max. */
    private static long ceiling(long initial, long max, int failure) {
        long c = initial;
        for (int i = 1; i < failure && c < max; i++) {
            c *= 2;
        }
        return Math.min(c, max);
    }

    @Test
    void eachDelayIsWithinHalfTheCeilingAndTheCeiling() {
        for (int sample = 0; sample < 200; sample++) {
            Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
            for (int failure = 1; failure <= 12; failure++) {
                long c = ceiling(100, 10_000, failure);
                long d = b.nextDelayMillis();
                assertThat(d).as("failure %d", failure).isBetween(c / 2, c);
                assertThat(b.failures()).isEqualTo(failure);
            }
        }
    }

    @Test
    void jitterCoversTheWholeRange() {
        // over many samples of the first failure both ends of [50, 100] show up, and more than a few values
        Set<Long> seen = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
            long d = b.nextDelayMillis();
            seen.add(d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isEqualTo(50);
        assertThat(max).isEqualTo(100);
        assertThat(seen).hasSizeGreaterThan(40);
    }

    @Test
    void delaysAreCappedAtMax() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1500));
        for (int i = 0; i < 10; i++) {
            b.nextDelayMillis();
        }
        for (int i = 0; i < SAMPLES; i++) {
            assertThat(b.nextDelayMillis()).isBetween(750L, 1500L);
        }
    }

    @Test
    void neverBelowOneMillisecond() {
        Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1));
        for (int i = 0; i < SAMPLES; i++) {
            assertThat(b.nextDelayMillis()).isEqualTo(1);
        }
    }

    @Test
    void subMillisecondDurationsDoNotBreakIt() {
        // 0.5 ms passes the "initial > 0" check but is 0 whole milliseconds
        Backoff b = new Backoff(Duration.ofNanos(500_000), Duration.ofNanos(900_000));
        for (int i = 0; i < 100; i++) {
            assertThat(b.nextDelayMillis()).isEqualTo(1);
        }
        Backoff c = new Backoff(Duration.ofNanos(1), Duration.ofMillis(8));
        for (int i = 0; i < 100; i++) {
            assertThat(c.nextDelayMillis()).isBetween(1L, 8L);
        }
    }

    @Test
    void resetStartsOverFromTheInitialDelay() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60));
        for (int i = 0; i < 20; i++) {
            b.nextDelayMillis();
        }
        assertThat(b.failures()).isEqualTo(20);
        b.reset();
        assertThat(b.failures()).isZero();
        assertThat(b.nextDelayMillis()).isBetween(50L, 100L);
        assertThat(b.failures()).isEqualTo(1);
    }

    @Test
    void noOverflowAfterAThousandFailures() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
        for (int i = 1; i <= 1000; i++) {
            long d = b.nextDelayMillis();
            assertThat(d).as("failure %d", i).isBetween(1L, 30_000L);
            if (i > 20) {
                assertThat(d).isBetween(15_000L, 30_000L);
            }
        }
    }

    @Test
    void failuresKeepCountingPastTheCap() {
        // KafkaSink logs when failures() % 20 == 1: a counter that stops (it used to stick at 62) silences that log
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
        for (int i = 0; i < 1000; i++) {
            b.nextDelayMillis();
        }
        assertThat(b.failures()).isEqualTo(1000);
    }

    @Test
    void hugeInitialAndMaxDoNotOverflow() {
        // initial << (failures - 1) overflows a long for large initial values well before failure 31
        Backoff b = new Backoff(Duration.ofDays(365), Duration.ofDays(365L * 1000));
        long max = Duration.ofDays(365L * 1000).toMillis();
        for (int i = 1; i <= 100; i++) {
            long d = b.nextDelayMillis();
            assertThat(d).as("failure %d", i).isPositive().isLessThanOrEqualTo(max);
        }
        Backoff longMax = new Backoff(Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE));
        for (int i = 1; i <= 200; i++) {
            assertThat(longMax.nextDelayMillis()).as("failure %d", i).isPositive();
        }
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
