package foundation.foxlight.skulklogs.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureStreakTest {
    @Test
    void theFirstFailureOfAStreakIsLogged_theRestOnlyAfterTheInterval_andSuccessEndsIt() {
        FailureStreak streak = new FailureStreak(Duration.ofHours(1));
        assertThat(streak.succeeded()).as("no streak to end").isZero();
        assertThat(streak.failed("disk full")).isTrue();
        assertThat(streak.failed("still full")).as("within the interval").isFalse();
        assertThat(streak.count()).isEqualTo(2);
        assertThat(streak.reason()).isEqualTo("still full");
        assertThat(streak.succeeded()).isEqualTo(2);
        assertThat(streak.count()).isZero();
        assertThat(streak.reason()).isNull();
        assertThat(streak.failed("again")).as("a new streak is logged at once").isTrue();
    }

    @Test
    void aLastingStreakIsLoggedAgainOnceTheIntervalHasPassed() {
        FailureStreak streak = new FailureStreak(Duration.ZERO);
        assertThat(streak.failed("a")).isTrue();
        assertThat(streak.failed("b")).isTrue();
    }

    @Test
    void elapsedRunsFromTheStreaksFirstFailure() {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(5_000_000_000L);
        FailureStreak streak = new FailureStreak(Duration.ofHours(1), nanos::get);
        assertThat(streak.elapsed()).isZero();
        streak.failed("a");
        nanos.addAndGet(Duration.ofSeconds(7).toNanos());
        streak.failed("b");
        nanos.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(streak.elapsed()).isEqualTo(Duration.ofSeconds(10));
        streak.succeeded();
        assertThat(streak.elapsed()).isZero();
    }
}
