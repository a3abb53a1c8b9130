package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.agent.source.FileTailer.ReadFrom;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournaldConfigTest {
    private static final List<String> COMMON = List.of("journalctl", "--output=json", "--follow", "--no-pager", "--all",
            "--output-fields=MESSAGE,_HOSTNAME,__CURSOR,__REALTIME_TIMESTAMP,SYSLOG_IDENTIFIER,PRIORITY", "--user", "--unit=skulk");

    @Test
    void withoutACursorTheDefaultReadsTheWholeJournalOfTheUnit() {
        assertThat(JournaldConfig.defaults(true).arguments(null, null)).containsExactlyElementsOf(concat(COMMON, "--no-tail"));
    }

    @Test
    void aCursorWinsOverReadFromAndSince() {
        JournaldConfig c = with(JournaldConfig.defaults(true), ReadFrom.END, "-1h");
        assertThat(c.arguments("s=1;i=2", null)).containsExactlyElementsOf(concat(COMMON, "--after-cursor=s=1;i=2", "--no-tail"));
        assertThat(c.arguments("s=1;i=2", "@17")).containsExactlyElementsOf(concat(COMMON, "--after-cursor=s=1;i=2", "--no-tail"));
    }

    @Test
    void withoutACursorSinceOrEndApply() {
        JournaldConfig d = JournaldConfig.defaults(true);
        assertThat(with(d, ReadFrom.END, "").arguments(null, null)).containsExactlyElementsOf(concat(COMMON, "--lines=0"));
        assertThat(with(d, ReadFrom.END, "-1h").arguments(null, null)).containsExactlyElementsOf(concat(COMMON, "--since=-1h", "--no-tail"));
        assertThat(with(d, ReadFrom.BEGINNING, "-1h").arguments(null, "@1700000000"))
                .containsExactlyElementsOf(concat(COMMON, "--since=@1700000000", "--no-tail"));
    }

    @Test
    void systemJournalAndAllUnits() {
        JournaldConfig d = JournaldConfig.defaults(true);
        JournaldConfig c = new JournaldConfig(true, List.of("sudo", "journalctl"), false, "", "", ReadFrom.BEGINNING, "",
                d.maxLineBytes(), d.maxBatchBytes(), d.maxBatchLines(), d.restartBackoffInitial(), d.restartBackoffMax());
        assertThat(c.arguments(null, null)).startsWith("sudo", "journalctl").doesNotContain("--user")
                .noneMatch(a -> a.startsWith("--unit"));
    }

    @Test
    void readsItsKeysAndReportsProblems() {
        ConfigReader r = ConfigReader.parse("""
                sources:
                  journald:
                    enabled: true
                    command: [/usr/bin/journalctl, --quiet]
                    user: false
                    unit: skulk-dev
                    identifier: skulk
                    read_from: end
                    since: "-2h"
                    max_line_bytes: 64KiB
                    max_batch_lines: 10
                    restart_backoff_initial: 200ms
                    restart_backoff_max: 5s
                """, Map.<String, String>of()::get, "test.yaml");
        JournaldConfig c = JournaldConfig.read(r);
        assertThat(r.problems()).isEmpty();
        assertThat(c.enabled()).isTrue();
        assertThat(c.command()).containsExactly("/usr/bin/journalctl", "--quiet");
        assertThat(c.user()).isFalse();
        assertThat(c.unit()).isEqualTo("skulk-dev");
        assertThat(c.identifier()).isEqualTo("skulk");
        assertThat(c.readFrom()).isEqualTo(ReadFrom.END);
        assertThat(c.since()).isEqualTo("-2h");
        assertThat(c.maxLineBytes()).isEqualTo(64 * 1024);
        assertThat(c.maxBatchLines()).isEqualTo(10);
        assertThat(c.restartBackoffInitial()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.restartBackoffMax()).isEqualTo(Duration.ofSeconds(5));

        ConfigReader bad = ConfigReader.parse("""
                sources:
                  journald:
                    read_from: middle
                    restart_backoff_initial: 10s
                    restart_backoff_max: 1s
                """, Map.<String, String>of()::get, "bad.yaml");
        JournaldConfig.read(bad);
        assertThat(bad.problems()).anyMatch(p -> p.contains("sources.journald.read_from"))
                .anyMatch(p -> p.contains("restart_backoff"));
    }

    @Test
    void defaultsWhenAbsent() {
        ConfigReader r = ConfigReader.parse("", Map.<String, String>of()::get, "empty.yaml");
        JournaldConfig c = JournaldConfig.read(r);
        assertThat(r.problems()).isEmpty();
        assertThat(c).isEqualTo(JournaldConfig.defaults(false));
    }

    private static JournaldConfig with(JournaldConfig d, ReadFrom readFrom, String since) {
        return new JournaldConfig(true, d.command(), d.user(), d.unit(), d.identifier(), readFrom, since, d.maxLineBytes(),
                d.maxBatchBytes(), d.maxBatchLines(), d.restartBackoffInitial(), d.restartBackoffMax());
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
