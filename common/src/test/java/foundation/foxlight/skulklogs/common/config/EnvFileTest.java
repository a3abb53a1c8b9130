package foundation.foxlight.skulklogs.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {
    @TempDir
    Path dir;

    private Map<String, String> read(String content) throws Exception {
        Path f = dir.resolve("skulk.env");
        Files.writeString(f, content);
        return EnvFile.read(f);
    }

    @Test
    void plainKeyValueLines() throws Exception {
        assertThat(read("""
                SKULK_LOGGING_EXTERNAL=1
                SKULK_LOGGING_INGEST_URL=http://h:9428/insert/jsonline?_stream_fields=node_id,component&_msg_field=msg&_time_field=ts
                SKULK_VECTOR_DATA_DIR=~/.skulk/vector
                """)).containsExactly(
                Map.entry("SKULK_LOGGING_EXTERNAL", "1"),
                Map.entry("SKULK_LOGGING_INGEST_URL",
                        "http://h:9428/insert/jsonline?_stream_fields=node_id,component&_msg_field=msg&_time_field=ts"),
                Map.entry("SKULK_VECTOR_DATA_DIR", "~/.skulk/vector"));
    }

    @Test
    void quotes() throws Exception {
        assertThat(read("""
                A="double quoted # not a comment"
                B='single $quoted "inner"'
                C=""
                D="esc \\"q\\" \\\\ \\$HOME \\n"
                E='no \\escapes'
                F="unterminated
                G=mixed"quo ted"'x'
                """)).containsExactly(
                Map.entry("A", "double quoted # not a comment"),
                Map.entry("B", "single $quoted \"inner\""),
                Map.entry("C", ""),
                Map.entry("D", "esc \"q\" \\ $HOME \\n"),
                Map.entry("E", "no \\escapes"),
                Map.entry("F", "\"unterminated"),
                Map.entry("G", "mixedquo tedx"));
    }

    @Test
    void exportAndBlanks() throws Exception {
        assertThat(read("export A=1\n  export\tB = 2  \nexported=3\nexport=4\n")).containsExactly(
                Map.entry("A", "1"), Map.entry("B", "2"), Map.entry("exported", "3"), Map.entry("export", "4"));
    }

    @Test
    void comments() throws Exception {
        assertThat(read("""
                # a comment
                   # an indented comment
                A=value # a trailing comment
                B=a#b
                C="quoted" # comment after quotes
                D= # nothing but a comment
                E=two words
                """)).containsExactly(
                Map.entry("A", "value"),
                Map.entry("B", "a#b"),
                Map.entry("C", "quoted"),
                Map.entry("D", ""),
                Map.entry("E", "two words"));
    }

    @Test
    void linesThatAreNotAssignmentsAreSkipped() throws Exception {
        assertThat(read("no equals sign\n=no key\n\nA=1\r\nB=2\r\n")).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"));
    }

    @Test
    void theLastAssignmentWins() throws Exception {
        assertThat(read("A=1\nA=2\n")).containsExactly(Map.entry("A", "2"));
    }

    @Test
    void invalidUtf8DoesNotLoseTheFile() throws Exception {
        Path f = dir.resolve("skulk.env");
        byte[] bad = "A=caf\u00e9\nB=".getBytes(StandardCharsets.ISO_8859_1); // é as a lone 0xE9 byte
        byte[] rest = "ok\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bad.length + rest.length];
        System.arraycopy(bad, 0, all, 0, bad.length);
        System.arraycopy(rest, 0, all, bad.length, rest.length);
        Files.write(f, all);
        assertThat(EnvFile.read(f)).containsEntry("A", "caf\uFFFD").containsEntry("B", "ok");
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws Exception {
        Path f = dir.resolve("skulk.env");
        Files.writeString(f, "A=file\nB=file\nC=file\n");
        Function<String, String> env = EnvFile.layered(Map.of("A", "env", "C", ""), f);
        assertThat(env.apply("A")).isEqualTo("env");
        assertThat(env.apply("B")).isEqualTo("file");
        assertThat(env.apply("C")).as("set but empty in the environment still wins").isEmpty();
        assertThat(env.apply("D")).isNull();
    }

    @Test
    void aMissingFileIsNoFile() {
        Function<String, String> env = EnvFile.layered(Map.of("A", "env"), dir.resolve("absent.env"));
        assertThat(env.apply("A")).isEqualTo("env");
        assertThat(env.apply("B")).isNull();
        assertThat(EnvFile.layered(Map.of(), null).apply("A")).isNull();
    }

    @Test
    void aDirectoryInsteadOfAFileIsIgnored() {
        Function<String, String> env = EnvFile.layered(Map.of(), dir);
        assertThat(env.apply("A")).isNull();
    }
}
