package foundation.foxlight.skulklogs.relay.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RelayMetrics metrics = new RelayMetrics(registry);

    private double inFlight() {
        return registry.get("skulk_relay_deliveries_in_flight").gauge().value();
    }

    private double inFlightSeconds() {
        return registry.get("skulk_relay_deliveries_in_flight_seconds_total").functionCounter().count();
    }

    @Test
    void deliveriesInFlightAreCountedAndIntegratedOverTime() {
        assertThat(inFlight()).isZero();
        assertThat(inFlightSeconds()).isZero();
        metrics.deliveryStarted();
        metrics.deliveryStarted();
        assertThat(inFlight()).isEqualTo(2);
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> inFlightSeconds() >= 0.1);
        metrics.deliveryFinished();
        metrics.deliveryFinished();
        double afterBoth = inFlightSeconds();
        double elapsed = (System.nanoTime() - started) / 1e9;
        assertThat(inFlight()).isZero();
        // Two deliveries outstanding the whole time: the integral grows twice as fast as the clock.
        assertThat(afterBoth).isBetween(0.1, 2 * elapsed + 0.01);
        assertThat(inFlightSeconds()).as("nothing outstanding: the integral stands still").isEqualTo(afterBoth);
    }

    @Test
    void revokedPartitionsAreShownFromZero() {
        assertThat(registry.get("skulk_relay_partitions_revoked_total").counter().count()).isZero();
        metrics.partitionsRevoked(3);
        assertThat(registry.get("skulk_relay_partitions_revoked_total").counter().count()).isEqualTo(3);
        assertThat(metrics.partitionsRevokedTotal()).isEqualTo(3);
    }
}
