package foundation.foxlight.skulklogs.it.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineFieldsTest {
    private static Map<String, String> parse(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonLineFields.parse(line).forEach(f -> m.put(f.name(), f.value()));
        return m;
    }

    @Test
    void flattensAndStringifies() {
        Map<String, String> m = parse("{\"_msg\":\"hi\",\"n\":42,\"f\":1.50,\"e\":1e3,\"neg\":-7,\"ok\":true,\"no\":false,"
                + "\"nil\":null,\"ctx\":{\"b\":{\"c\":\"x\",\"d\":2}},\"arr\":[1, \"a\", {\"k\" : null}, [true]],\"empty\":\"\"}");
        assertThat(m).containsExactly(
                Map.entry("_msg", "hi"), Map.entry("n", "42"), Map.entry("f", "1.50"), Map.entry("e", "1e3"),
                Map.entry("neg", "-7"), Map.entry("ok", "true"), Map.entry("no", "false"),
                Map.entry("ctx.b.c", "x"), Map.entry("ctx.b.d", "2"),
                Map.entry("arr", "[1,\"a\",{\"k\":null},[true]]"), Map.entry("empty", ""));
    }

    @Test
    void arraysKeepStringEscapesAsWritten() {
        assertThat(parse("{\"a\":[\"x y\", \"q\\\"uote\", \"\\u00e9\"]}")).containsEntry("a", "[\"x y\",\"q\\\"uote\",\"\\u00e9\"]");
    }

    @Test
    void emptyTopLevelKeyIsTheMessage() {
        assertThat(parse("{\"\":\"the message\"}")).containsEntry("_msg", "the message");
    }

    @Test
    void refusesWhatIsNotOneObject() {
        assertThatThrownBy(() -> JsonLineFields.parse("[1,2]")).hasMessageContaining("array");
        assertThatThrownBy(() -> JsonLineFields.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonLineFields.parse("{\"a\":1} {\"b\":2}")).hasMessageContaining("tail");
        assertThatThrownBy(() -> JsonLineFields.parse("{\"a\":1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonLineFields.parse("   ")).isInstanceOf(IllegalArgumentException.class);
    }
}
