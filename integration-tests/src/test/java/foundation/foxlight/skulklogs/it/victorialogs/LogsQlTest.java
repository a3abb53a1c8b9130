package foundation.foxlight.skulklogs.it.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LogsQlTest {
    private static final long NOW = 1_750_000_000_000_000_000L;

    private static StoredRow row(String msg, Map<String, String> tags, Map<String, String> fields) {
        return row(msg, tags, fields, NOW - 1_000_000_000L);
    }

    private static StoredRow row(String msg, Map<String, String> tags, Map<String, String> fields, long time) {
        StringBuilder stream = new StringBuilder("{");
        new java.util.TreeMap<>(tags).forEach((k, v) -> stream.append(stream.length() > 1 ? "," : "").append(k).append('=').append(GoQuote.quote(v)));
        stream.append('}');
        Map<String, String> all = new java.util.HashMap<>(tags);
        all.putAll(fields);
        all.put("_msg", msg);
        return new StoredRow(Tenant.DEFAULT, time, stream.toString(), JsonLineIngest.streamId(Tenant.DEFAULT, stream.toString()), tags, all);
    }

    private static final List<StoredRow> ROWS = List.of(
            row("an error happened", Map.of("node_id", "laptop-1", "component", "worker"), Map.of("level", "ERROR", "user", "ann")),
            row("multiple errors occurred", Map.of("node_id", "laptop-10", "component", "worker"), Map.of("level", "WARN")),
            row("error: cannot open file", Map.of("node_id", "laptop-1", "component", "api"), Map.of("level", "ERROR", "code", "")),
            row("ERROR in caps", Map.of("node_id", "laptop-2"), Map.of("level", "error", "path", "/var/log")),
            row("ssh: login fail for user", Map.of(), Map.of("level", "info", "node_id", "laptop-1")));

    private static List<String> select(String query) {
        LogsQl.Filter f = LogsQl.parse(query, NOW);
        return ROWS.stream().filter(f::matches).map(r -> r.value("_msg")).collect(Collectors.toList());
    }

    @Test
    void starMatchesEverything() {
        assertThat(select("*")).hasSize(ROWS.size());
    }

    @Test
    void wordsMatchWholeWordsCaseSensitively() {
        assertThat(select("error")).containsExactly("an error happened", "error: cannot open file");
        assertThat(select("\"error\"")).containsExactly("an error happened", "error: cannot open file");
        assertThat(select("ERROR")).containsExactly("ERROR in caps");
    }

    @Test
    void phrasesMatchOnWordBoundaries() {
        assertThat(select("\"ssh: login fail\"")).containsExactly("ssh: login fail for user");
        assertThat(select("\"cannot open\"")).containsExactly("error: cannot open file");
        assertThat(select("'login fail for'")).containsExactly("ssh: login fail for user");
        assertThat(select("\"login fai\"")).isEmpty();
    }

    @Test
    void prefixes() {
        assertThat(select("err*")).containsExactly("an error happened", "multiple errors occurred", "error: cannot open file");
        assertThat(select("\"login f\"*")).containsExactly("ssh: login fail for user");
    }

    @Test
    void fieldFilters() {
        assertThat(select("level:ERROR")).containsExactly("an error happened", "error: cannot open file");
        assertThat(select("level:=error")).containsExactly("ERROR in caps");
        assertThat(select("level:=\"ERR\"*")).containsExactly("an error happened", "error: cannot open file");
        assertThat(select("level:!=ERROR")).hasSize(3);
        assertThat(select("user:*")).containsExactly("an error happened");
        assertThat(select("user:\"\"")).hasSize(4);
        assertThat(select("code:*")).as("empty values are not stored, so not 'any value'").isEmpty();
        assertThat(select("level:in(WARN, info)")).containsExactly("multiple errors occurred", "ssh: login fail for user");
        assertThat(select("level:i(error)")).hasSize(3);
        assertThat(select("path:\"/var/log\"")).containsExactly("ERROR in caps");
    }

    @Test
    void compoundWordsNeedNoQuotes() {
        assertThat(select("node_id:laptop-1")).containsExactly("an error happened", "error: cannot open file", "ssh: login fail for user");
        assertThat(select("node_id:\"laptop-1\"")).containsExactly("an error happened", "error: cannot open file", "ssh: login fail for user");
    }

    @Test
    void streamFilters() {
        assertThat(select("_stream:{node_id=\"laptop-1\"}")).containsExactly("an error happened", "error: cannot open file");
        assertThat(select("{node_id=\"laptop-1\", component=\"api\"}")).containsExactly("error: cannot open file");
        assertThat(select("{node_id!=\"laptop-1\"}")).containsExactly("multiple errors occurred", "ERROR in caps", "ssh: login fail for user");
        assertThat(select("{node_id=~\"laptop-1.*\"}")).hasSize(3);
        assertThat(select("{node_id!~\"laptop-.*\"}")).containsExactly("ssh: login fail for user");
        assertThat(select("{}")).hasSize(ROWS.size());
    }

    @Test
    void logicalOperatorsAndPriorities() {
        assertThat(select("level:ERROR AND {component=\"worker\"}")).containsExactly("an error happened");
        assertThat(select("level:ERROR {component=\"worker\"}")).containsExactly("an error happened");
        assertThat(select("level:WARN OR level:info")).containsExactly("multiple errors occurred", "ssh: login fail for user");
        assertThat(select("error -cannot")).containsExactly("an error happened");
        assertThat(select("error NOT cannot")).containsExactly("an error happened");
        assertThat(select("error !cannot")).containsExactly("an error happened");
        assertThat(select("error -happened OR ssh")).containsExactly("error: cannot open file", "ssh: login fail for user");
        assertThat(select("error -(happened OR ssh)")).containsExactly("error: cannot open file");
        assertThat(select("level:(WARN OR info)")).containsExactly("multiple errors occurred", "ssh: login fail for user");
        assertThat(select("-level:(WARN OR info) # a comment")).hasSize(3);
        assertThat(select("error and not cannot")).containsExactly("an error happened");
    }

    @Test
    void regexps() {
        assertThat(select("~\"err.r\"")).containsExactly("an error happened", "multiple errors occurred", "error: cannot open file");
        assertThat(select("level:!~\"^E\"")).containsExactly("multiple errors occurred", "ERROR in caps", "ssh: login fail for user");
    }

    @Test
    void timeDurations() {
        assertThat(select("_time:5m")).hasSize(ROWS.size());
        LogsQl.Filter old = LogsQl.parse("_time:5m", NOW + 10L * 60 * 1_000_000_000L);
        assertThat(ROWS.stream().filter(old::matches)).isEmpty();
    }

    @Test
    void streamIdFilter() {
        StoredRow first = ROWS.get(0);
        assertThat(select("_stream_id:" + first.streamId())).containsExactly("an error happened");
    }

    @Test
    void syntaxErrorsAreRefused() {
        assertThatThrownBy(() -> LogsQl.parse("", NOW)).isInstanceOf(LogsQlException.class).hasMessageContaining("missing query");
        assertThatThrownBy(() -> LogsQl.parse("error AND (", NOW)).isInstanceOf(LogsQlException.class);
        assertThatThrownBy(() -> LogsQl.parse("(error", NOW)).isInstanceOf(LogsQlException.class);
        assertThatThrownBy(() -> LogsQl.parse("error)", NOW)).isInstanceOf(LogsQlException.class);
        assertThatThrownBy(() -> LogsQl.parse("\"unterminated", NOW)).isInstanceOf(LogsQlException.class);
        assertThatThrownBy(() -> LogsQl.parse("{a=\"b\"", NOW)).isInstanceOf(LogsQlException.class);
        assertThatThrownBy(() -> LogsQl.parse("foo(bar)", NOW)).isInstanceOf(LogsQlException.class).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> LogsQl.parse("limit", NOW)).isInstanceOf(LogsQlException.class).hasMessageContaining("pipe keyword");
    }

    @Test
    void unsupportedSyntaxIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> LogsQl.parse("error | stats count()", NOW)).isInstanceOf(LogsQlException.class)
                .hasMessageContaining("pipes").hasMessageContaining("stand-in");
        assertThatThrownBy(() -> LogsQl.parse("size:>10", NOW)).hasMessageContaining("not supported by the VictoriaLogs stand-in");
        assertThatThrownBy(() -> LogsQl.parse("seq(a, b)", NOW)).hasMessageContaining("seq()");
        assertThatThrownBy(() -> LogsQl.parse("_time:[2024-01-01Z, 2024-02-01Z)", NOW)).hasMessageContaining("_time");
        assertThatThrownBy(() -> LogsQl.parse("_time:1h offset 1h", NOW)).hasMessageContaining("offset");
        assertThatThrownBy(() -> LogsQl.parse("{app in (\"a\",\"b\")}", NOW)).hasMessageContaining("'in'");
        assertThatThrownBy(() -> LogsQl.parse("user:in(* | fields user)", NOW)).isInstanceOf(LogsQlException.class);
    }

    @Test
    void phraseMatchingRules() {
        assertThat(LogsQl.matchPhrase("laptop-10", "laptop-1")).isFalse();
        assertThat(LogsQl.matchPhrase("a laptop-1,b", "laptop-1")).isTrue();
        assertThat(LogsQl.matchPhrase("foo: (bar,\"тест\")!", "тест")).isTrue();
        assertThat(LogsQl.matchPhrase("тесты", "тест")).isFalse();
        assertThat(LogsQl.matchPhrase("errors error", "error")).isTrue();
        assertThat(LogsQl.matchPrefix("fooerror", "err")).isFalse();
        assertThat(LogsQl.matchPrefix("foo-error", "err")).isTrue();
    }
}
