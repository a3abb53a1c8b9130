package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.agent.config.AgentConfig.WhenFull;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StdinConfig}: its keys, defaults and validation. */
class StdinSourceConfigTest {
    @Test
    void defaultsWhenAbsent() {
        ConfigReader r = ConfigReader.parse("", Map.<String, String>of()::get, "empty.yaml");
        StdinConfig c = StdinConfig.read(r);
        assertThat(r.problems()).isEmpty();
        assertThat(c).isEqualTo(StdinConfig.defaults(false));
        assertThat(c.whenFull()).isEqualTo(WhenFull.DROP_NEWEST);
        assertThat(c.validate()).isEmpty();
    }

    @Test
    void readsItsKeys() {
        ConfigReader r = ConfigReader.parse("""
                sources:
                  stdin:
                    enabled: true
                    max_line_bytes: 64KiB
                    max_batch_bytes: 128KiB
                    max_batch_lines: 500
                    max_batch_delay: 20ms
                    partial_line_timeout: 2s
                    max_pending_bytes: 1MiB
                    when_full: block
                """, Map.<String, String>of()::get, "test.yaml");
        StdinConfig c = StdinConfig.read(r);
        assertThat(r.problems()).isEmpty();
        assertThat(c).isEqualTo(new StdinConfig(true, 64 * 1024, 128 * 1024, 500, Duration.ofMillis(20), Duration.ofSeconds(2),
                1024 * 1024, WhenFull.BLOCK));
    }

    @Test
    void reportsProblems() {
        ConfigReader r = ConfigReader.parse("""
                sources:
                  stdin:
                    when_full: sometimes
                    max_batch_lines: 0
                """, Map.<String, String>of()::get, "bad.yaml");
        StdinConfig.read(r);
        assertThat(r.problems()).anyMatch(p -> p.contains("sources.stdin.when_full")).anyMatch(p -> p.contains("sources.stdin.max_batch_lines"));
        assertThat(new StdinConfig(true, 0, 0, 0, Duration.ofMillis(-1), Duration.ZERO, 0, null).validate()).hasSize(7);
    }
}
