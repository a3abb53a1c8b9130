package foundation.foxlight.skulklogs.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {
    private final List<String> problems = new ArrayList<>();

    private String apply(String text, Map<String, String> env) {
        return Interpolation.apply(text, Interpolation.env(env), problems);
    }

    @Test
    void aSetVariableIsReplaced() {
        assertThat(apply("url: http://${HOST}:9428/x", Map.of("HOST", "vl"))).isEqualTo("url: http://vl:9428/x");
        assertThat(problems).isEmpty();
    }

    @Test
    void defaultsApplyWhenUnsetOrEmpty() {
        Map<String, String> env = new HashMap<>();
        env.put("EMPTY", "");
        env.put("SET", "v");
        assertThat(apply("${UNSET:-d1} ${EMPTY:-d2} ${SET:-d3} ${UNSET:-}", env)).isEqualTo("d1 d2 v ");
        assertThat(problems).isEmpty();
    }

    @Test
    void anEmptyVariableWithoutDefaultStaysEmpty() {
        assertThat(apply("a${EMPTY}b", Map.of("EMPTY", ""))).isEqualTo("ab");
        assertThat(problems).isEmpty();
    }

    @Test
    void aDefaultMayHoldColonsSlashesAndDollars() {
        assertThat(apply("${URL:-http://h:9428/insert?x=1&y=$z}", Map.of())).isEqualTo("http://h:9428/insert?x=1&y=$z");
    }

    @Test
    void doubleDollarIsALiteralDollar() {
        assertThat(apply("a $$ b $${NOT_A_VAR} $$$${X}", Map.of("X", "x"))).isEqualTo("a $ b ${NOT_A_VAR} $${X}");
        assertThat(problems).isEmpty();
    }

    @Test
    void aLoneDollarOrInvalidNameIsLeftAlone() {
        assertThat(apply("cost: $5, ${1X}, ${}, $HOME", Map.of("HOME", "/h"))).isEqualTo("cost: $5, ${1X}, ${}, $HOME");
        assertThat(problems).isEmpty();
    }

    @Test
    void unsetVariablesAreReportedWithTheirLines() {
        String out = apply("a: 1\nb: ${ONE}\n\nc: ${TWO} ${ONE}\n", Map.of());
        assertThat(out).isEqualTo("a: 1\nb: \n\nc:  \n");
        assertThat(problems).containsExactly(
                "line 2: environment variable ONE is not set (write ${ONE:-default} to give a default)",
                "line 4: environment variable TWO is not set (write ${TWO:-default} to give a default)",
                "line 4: environment variable ONE is not set (write ${ONE:-default} to give a default)");
    }

    @Test
    void lineNumbersCountCarriageReturnLineFeedLinesToo() {
        apply("a: 1\r\nb: 2\r\nc: ${X}\r\n", Map.of());
        assertThat(problems).singleElement().asString().startsWith("line 3: ");
    }

    @Test
    void commentedOutLinesAreNotInterpolated() {
        String text = "# kafka: ${SKULK_LOGS_KAFKA}\n  #  old: ${GONE}\nkey: ${SET}\n";
        assertThat(apply(text, Map.of("SET", "v"))).isEqualTo("# kafka: ${SKULK_LOGS_KAFKA}\n  #  old: ${GONE}\nkey: v\n");
        assertThat(problems).isEmpty();
    }

    @Test
    void aDefaultDoesNotSpanLines() {
        assertThat(apply("a: ${X:-one\nb: two}", Map.of())).isEqualTo("a: ${X:-one\nb: two}");
    }

    @Test
    void textWithoutVariablesIsUnchanged() {
        String text = "a: 1\n  b: [x, y]\n\n";
        assertThat(apply(text, Map.of())).isEqualTo(text);
        assertThat(apply("", Map.of())).isEmpty();
    }
}
