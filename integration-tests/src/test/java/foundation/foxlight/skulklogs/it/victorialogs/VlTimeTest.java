package foundation.foxlight.skulklogs.it.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class VlTimeTest {
    private static final long NOW = 1_750_000_000_123_456_789L;

    private static long nanos(String rfc3339) {
        Instant i = Instant.parse(rfc3339);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void unixNumbersAreToldApartByMagnitude() {
        long t = nanos("2025-06-15T12:00:00Z");
        long secs = t / 1_000_000_000L;
        assertThat(VlTime.parseIngestTimestamp(Long.toString(secs), NOW)).isEqualTo(t);
        assertThat(VlTime.parseIngestTimestamp(Long.toString(secs * 1_000), NOW)).isEqualTo(t);
        assertThat(VlTime.parseIngestTimestamp(Long.toString(secs * 1_000_000), NOW)).isEqualTo(t);
        assertThat(VlTime.parseIngestTimestamp(Long.toString(t), NOW)).isEqualTo(t);
        assertThat(VlTime.parseIngestTimestamp(secs + ".5", NOW)).isEqualTo(t + 500_000_000L);
        assertThat(VlTime.parseIngestTimestamp(secs + ".123456", NOW)).isEqualTo(t + 123_456_000L);
        assertThat(VlTime.parseIngestTimestamp("1.75e9", NOW)).isEqualTo(1_750_000_000L * 1_000_000_000L);
    }

    @Test
    void rfc3339WithFractionsAndOffsets() {
        assertThat(VlTime.parseIngestTimestamp("2025-01-02T03:04:05Z", NOW)).isEqualTo(nanos("2025-01-02T03:04:05Z"));
        assertThat(VlTime.parseIngestTimestamp("2025-01-02T03:04:05.123456789Z", NOW)).isEqualTo(nanos("2025-01-02T03:04:05.123456789Z"));
        assertThat(VlTime.parseIngestTimestamp("2025-01-02T03:04:05.1Z", NOW)).isEqualTo(nanos("2025-01-02T03:04:05.100Z"));
        assertThat(VlTime.parseIngestTimestamp("2025-01-02T05:04:05+02:00", NOW)).isEqualTo(nanos("2025-01-02T03:04:05Z"));
        assertThat(VlTime.parseIngestTimestamp("2025-01-02T01:04:05.5-02:00", NOW)).isEqualTo(nanos("2025-01-02T03:04:05.5Z"));
    }

    @Test
    void emptyZeroAndDashMeanNow() {
        assertThat(VlTime.parseIngestTimestamp("", NOW)).isEqualTo(NOW);
        assertThat(VlTime.parseIngestTimestamp("0", NOW)).isEqualTo(NOW);
        assertThat(VlTime.parseIngestTimestamp("-", NOW)).isEqualTo(NOW);
    }

    @Test
    void badTimestampsAreRefused() {
        assertThatThrownBy(() -> VlTime.parseIngestTimestamp("yesterday", NOW)).hasMessageContaining("cannot parse unix timestamp");
        assertThatThrownBy(() -> VlTime.parseIngestTimestamp("2025-13-02T03:04:05Z", NOW)).hasMessageContaining("rfc3339");
        assertThatThrownBy(() -> VlTime.parseIngestTimestamp("2025-01-02 03:04:05Z", NOW)).hasMessageContaining("rfc3339");
        assertThatThrownBy(() -> VlTime.parseIngestTimestamp("2025-01-02T03:04:05.1234567890Z", NOW)).hasMessageContaining("rfc3339");
        assertThatThrownBy(() -> VlTime.parseIngestTimestamp("12abc", NOW)).hasMessageContaining("unix");
    }

    @Test
    void formatsLikeGoRfc3339Nano() {
        assertThat(VlTime.formatRfc3339Nano(nanos("2025-01-02T03:04:05Z"))).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(VlTime.formatRfc3339Nano(nanos("2025-01-02T03:04:05.120Z"))).isEqualTo("2025-01-02T03:04:05.12Z");
        assertThat(VlTime.formatRfc3339Nano(nanos("2025-01-02T03:04:05.000000001Z"))).isEqualTo("2025-01-02T03:04:05.000000001Z");
    }

    @Test
    void durations() {
        assertThat(VlTime.parseDurationNanos("5m")).isEqualTo(300_000_000_000L);
        assertThat(VlTime.parseDurationNanos("1h30m")).isEqualTo(5_400_000_000_000L);
        assertThat(VlTime.parseDurationNanos("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(VlTime.parseDurationNanos("250ms")).isEqualTo(250_000_000L);
        assertThat(VlTime.parseDurationNanos("2d")).isEqualTo(2 * 86_400_000_000_000L);
        assertThat(VlTime.parseDurationNanos("5x")).isEqualTo(-1);
        assertThat(VlTime.parseDurationNanos("m5")).isEqualTo(-1);
    }
}
