package foundation.foxlight.skulklogs.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthLogTest {
    private final HealthLog.Transitions t = new HealthLog.Transitions(600_000);

    @Test
    void onlyChangesAreLogged_andRemindersWhileDown() {
        assertThat(t.next("kafka", HealthCheck.Status.up("1 broker(s)"), 0)).isEmpty();
        assertThat(t.next("kafka", HealthCheck.Status.down("Kafka at k:9092 is not reachable"), 10_000))
                .contains("kafka is down: Kafka at k:9092 is not reachable (/health answers 503 until it is back)");
        assertThat(t.next("kafka", HealthCheck.Status.down("Kafka at k:9092 is not reachable"), 20_000)).isEmpty();
        assertThat(t.next("kafka", HealthCheck.Status.down("Kafka at k:9092 is not reachable"), 609_999)).isEmpty();
        assertThat(t.next("kafka", HealthCheck.Status.down("Kafka at k:9092 is not reachable"), 610_000))
                .contains("kafka is still down after 600 s: Kafka at k:9092 is not reachable");
        assertThat(t.next("kafka", HealthCheck.Status.up("1 broker(s)"), 700_000)).contains("kafka is up again after 690 s: 1 broker(s)");
        assertThat(t.next("kafka", HealthCheck.Status.up("1 broker(s)"), 710_000)).isEmpty();
    }

    @Test
    void checksAreTrackedApart() {
        assertThat(t.next("kafka", HealthCheck.Status.down("no kafka"), 0)).isPresent();
        assertThat(t.next("victorialogs", HealthCheck.Status.down("no store"), 1_000)).contains("victorialogs is down: no store (/health answers 503 until it is back)");
        assertThat(t.next("kafka", HealthCheck.Status.up("back"), 5_000)).contains("kafka is up again after 5 s: back");
        assertThat(t.next("victorialogs", HealthCheck.Status.down("no store"), 6_000)).isEmpty();
    }
}
