package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import org.junit.jupiter.api.Test;

class AnsiStripperTest {
    @Test
    void colourCursorAndTitleSequencesAreRemoved() {
        assertThat(AnsiStripper.strip("\u001B[31mred\u001B[0m and \u001B[1;32mbold green\u001B[m")).isEqualTo("red and bold green");
        assertThat(AnsiStripper.strip("\u001B[2K\u001B[1Gprogress 50%")).isEqualTo("progress 50%");
        assertThat(AnsiStripper.strip("\u001B]0;window title\u0007text")).isEqualTo("text");
        assertThat(AnsiStripper.strip("a\u001B=b\u001B>c")).isEqualTo("abc");
    }

    @Test
    void textWithoutEscapesIsReturnedAsIs() {
        String plain = "no escapes here [31m";
        assertThat(AnsiStripper.strip(plain)).isSameAs(plain);
    }

    @Test
    void theEnricherStripsMsgOnlyWhenAskedAndFlagsTheLine() {
        LogEvent e = LogEvent.builder().put("ts", "t").put("node_id", "n").put("component", "c").put("msg", "\u001B[33mwarn\u001B[0m")
                .put("other", "\u001B[33mkept\u001B[0m").build();
        LogEvent stripped = new EventEnricher("n", true).enrich(e, 0);
        assertThat(stripped.get("msg")).isEqualTo("warn");
        assertThat(stripped.get(PipelineFields.ANSI_STRIPPED)).isEqualTo(Boolean.TRUE);
        assertThat(stripped.get("other")).isEqualTo("\u001B[33mkept\u001B[0m");
        assertThat(new EventEnricher("n", false).enrich(e, 0)).isEqualTo(e);
        LogEvent clean = LogEvent.builder().put("ts", "t").put("node_id", "n").put("component", "c").put("msg", "fine").build();
        assertThat(new EventEnricher("n", true).enrich(clean, 0)).isSameAs(clean);
    }
}
