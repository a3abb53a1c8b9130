package foundation.foxlight.skulklogs.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HealthLogTest {
    private final AtomicLong nanos = new AtomicLong();
    private final HealthLog.Transitions transitions = new HealthLog.Transitions(Duration.ofMinutes(10), nanos::get);

    /** The line for {@code check}'s status with the clock at {@code millis}. */
    private Optional<String> next(String check, HealthCheck.Status status, long millis) {
        nanos.set(TimeUnit.MILLISECONDS.toNanos(millis));
        return transitions.next(check, status);
    }

    @Test
    void onlyChangesAreLogged_andRemindersWhileDown() {
        assertThat(next("kafka", HealthCheck.Status.up("1 broker(s)"), 0)).isEmpty();
        assertThat(next("kafka", HealthCheck.Status.down("Kafka at k:9092 is not reachable"), 10_000))
                .contains("kafka is down: Kafka at k:9092 is not reachable (/health answers 503 until it is back)");
        assertThat(next("kafka", HealthCheck.Status.down("Kafka at k:9092 is not reachable"), 20_000)).isEmpty();
        assertThat(next("kafka", HealthCheck.Status.down("Kafka at k:9092 is not reachable"), 609_999)).isEmpty();
        assertThat(next("kafka", HealthCheck.Status.down("Kafka at k:9092 is not reachable"), 610_000))
                .contains("kafka is still down after 600 s: Kafka at k:9092 is not reachable");
        assertThat(next("kafka", HealthCheck.Status.up("1 broker(s)"), 700_000)).contains("kafka is up again after 690 s: 1 broker(s)");
        assertThat(next("kafka", HealthCheck.Status.up("1 broker(s)"), 710_000)).isEmpty();
    }

    @Test
    void checksAreTrackedApart() {
        assertThat(next("kafka", HealthCheck.Status.down("no kafka"), 0)).isPresent();
        assertThat(next("victorialogs", HealthCheck.Status.down("no store"), 1_000)).contains("victorialogs is down: no store (/health answers 503 until it is back)");
        assertThat(next("kafka", HealthCheck.Status.up("back"), 5_000)).contains("kafka is up again after 5 s: back");
        assertThat(next("victorialogs", HealthCheck.Status.down("no store"), 6_000)).isEmpty();
    }
}
