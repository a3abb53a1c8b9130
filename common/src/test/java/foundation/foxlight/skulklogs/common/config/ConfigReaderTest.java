package foundation.foxlight.skulklogs.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigReaderTest {
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    enum Mode { FAST, SAFE_AND_SOUND }

    private static ConfigReader parse(String yaml) {
        return parse(yaml, Map.of());
    }

    private static ConfigReader parse(String yaml, Map<String, String> env) {
        return ConfigReader.parse(yaml, Interpolation.env(env), "test.yaml");
    }

    @Nested
    class Interpolating {
        @Test
        void variablesAreReplacedBeforeParsing() {
            ConfigReader r = parse("""
                    kafka:
                      bootstrap_servers: ${KAFKA}
                      topic: ${TOPIC:-skulk-logs}
                      group: ${GROUP:-fallback}
                    price: $$5
                    """, Map.of("KAFKA", "k1:9092", "GROUP", "g1"));
            assertThat(r.string("kafka.bootstrap_servers", null)).isEqualTo("k1:9092");
            assertThat(r.string("kafka.topic", null)).isEqualTo("skulk-logs");
            assertThat(r.string("kafka.group", null)).isEqualTo("g1");
            assertThat(r.string("price", null)).isEqualTo("$5");
            assertThat(r.problems()).isEmpty();
        }

        @Test
        void anUnsetVariableIsReportedWithItsLineAndTheFile() {
            ConfigReader r = parse("""
                    a: 1
                    # a comment
                    b: ${NOT_SET}
                    c: ${ALSO_NOT_SET}
                    """);
            r.string("a", null);
            r.string("b", null);
            r.string("c", null);
            assertThat(r.problems()).containsExactly(
                    "test.yaml: line 3: environment variable NOT_SET is not set (write ${NOT_SET:-default} to give a default)",
                    "test.yaml: line 4: environment variable ALSO_NOT_SET is not set (write ${ALSO_NOT_SET:-default} to give a default)");
        }
    }

    @Nested
    class Sizes {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "512MiB|536870912",
                "64k|65536",
                "64KiB|65536",
                "64kb|65536",
                "1 GiB|1073741824",
                "2g|2147483648",
                "1048576|1048576",
                "10b|10",
                "10 B|10",
                "0|0",
                "' 3 m '|3145728",
        })
        void accepted(String text, long bytes) {
            assertThat(ConfigReader.parseBytes(text)).isEqualTo(bytes);
            ConfigReader r = parse("size: '" + text + "'");
            assertThat(r.bytes("size", 1, 0, Long.MAX_VALUE)).isEqualTo(bytes);
            assertThat(r.problems()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"12XB", "-1", "1.5GiB", "", "MiB", "5 TiB", "99999999999999999999", "8589934592GiB", "1 2"})
        void rejected(String text) {
            assertThat(ConfigReader.parseBytes(text)).isNull();
            ConfigReader r = parse("buffer:\n  max_bytes: '" + text + "'");
            assertThat(r.bytes("buffer.max_bytes", 7, 0, Long.MAX_VALUE)).isEqualTo(7);
            assertThat(r.problems()).singleElement().asString()
                    .startsWith("buffer.max_bytes: must be a size such as 512MiB")
                    .contains("'" + text + "'");
        }

        @Test
        void aYamlNumberIsBytes() {
            ConfigReader r = parse("size: 4096");
            assertThat(r.bytes("size", 0, 0, Long.MAX_VALUE)).isEqualTo(4096);
        }

        @Test
        void outOfRangeIsAProblemAndTheDefaultIsUsed() {
            ConfigReader r = parse("size: 1GiB\nsmall: 1k");
            assertThat(r.bytes("size", 5 * MIB, 64 * KIB, 512 * MIB)).isEqualTo(5 * MIB);
            assertThat(r.bytes("small", 5 * MIB, 64 * KIB, 512 * MIB)).isEqualTo(5 * MIB);
            assertThat(r.problems()).containsExactly(
                    "size: must be between 65536 bytes and 536870912 bytes, got " + GIB,
                    "small: must be between 65536 bytes and 536870912 bytes, got 1024");
        }

        @Test
        void absentMeansDefault() {
            assertThat(parse("").bytes("size", 123, 0, 1000)).isEqualTo(123);
        }
    }

    @Nested
    class Durations {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "500ms|PT0.5S",
                "2s|PT2S",
                "2 s|PT2S",
                "5m|PT5M",
                "1h|PT1H",
                "90d|PT2160H",
                "PT2S|PT2S",
                "pt0.25s|PT0.25S",
                "P1D|PT24H",
                "0ms|PT0S",
        })
        void accepted(String text, String iso) {
            assertThat(ConfigReader.parseDuration(text)).isEqualTo(Duration.parse(iso));
            ConfigReader r = parse("d: " + text);
            assertThat(r.duration("d", Duration.ZERO, Duration.ZERO, Duration.ofDays(365))).isEqualTo(Duration.parse(iso));
            assertThat(r.problems()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"2 weeks", "1.5s", "500", "-5s", "P", "PTxS", "5y", "s", "99999999999999999999d"})
        void rejected(String text) {
            assertThat(ConfigReader.parseDuration(text)).isNull();
            ConfigReader r = parse("sink:\n  timeout: '" + text + "'");
            assertThat(r.duration("sink.timeout", Duration.ofSeconds(5), Duration.ZERO, Duration.ofDays(365)))
                    .isEqualTo(Duration.ofSeconds(5));
            assertThat(r.problems()).singleElement().asString()
                    .startsWith("sink.timeout: must be a duration such as 500ms")
                    .contains("'" + text + "'");
        }

        @Test
        void outOfRange() {
            ConfigReader r = parse("a: 1ms\nb: 2h\nc: PT-1S");
            Duration def = Duration.ofSeconds(1);
            assertThat(r.duration("a", def, Duration.ofMillis(10), Duration.ofHours(1))).isEqualTo(def);
            assertThat(r.duration("b", def, Duration.ofMillis(10), Duration.ofHours(1))).isEqualTo(def);
            assertThat(r.duration("c", def, Duration.ZERO, Duration.ofHours(1))).isEqualTo(def);
            assertThat(r.problems()).containsExactly(
                    "a: must be between PT0.01S and PT1H, got PT0.001S",
                    "b: must be between PT0.01S and PT1H, got PT2H",
                    "c: must be between PT0S and PT1H, got PT-1S");
        }
    }

    @Nested
    class Scalars {
        @ParameterizedTest
        @CsvSource({"true,true", "yes,true", "on,true", "1,true", "TRUE,true", "false,false", "no,false", "off,false",
                "0,false", "'Off',false"})
        void booleans(String text, boolean value) {
            ConfigReader r = parse("flag: " + text);
            assertThat(r.bool("flag", !value)).isEqualTo(value);
            assertThat(r.problems()).isEmpty();
        }

        @Test
        void aBadBooleanIsAProblem() {
            ConfigReader r = parse("flag: maybe");
            assertThat(r.bool("flag", true)).isTrue();
            assertThat(r.problems()).containsExactly("flag: must be true or false, got 'maybe'");
        }

        @Test
        void enumsIgnoreCaseAndDashes() {
            ConfigReader r = parse("a: fast\nb: Safe-And-Sound\nc: SAFE_AND_SOUND\nd: slow");
            assertThat(r.enumValue("a", Mode.class, Mode.SAFE_AND_SOUND)).isEqualTo(Mode.FAST);
            assertThat(r.enumValue("b", Mode.class, Mode.FAST)).isEqualTo(Mode.SAFE_AND_SOUND);
            assertThat(r.enumValue("c", Mode.class, Mode.FAST)).isEqualTo(Mode.SAFE_AND_SOUND);
            assertThat(r.enumValue("d", Mode.class, Mode.FAST)).isEqualTo(Mode.FAST);
            assertThat(r.enumValue("e", Mode.class, Mode.FAST)).isEqualTo(Mode.FAST);
            assertThat(r.problems()).containsExactly("d: must be one of [fast, safe_and_sound], got 'slow'");
        }

        @Test
        void integersAndRanges() {
            ConfigReader r = parse("a: 16\nb: '32'\nc: 0\nd: 2000\ne: 1.5\nf: lots\ng: 99999999999999999999\nh: [1]");
            assertThat(r.integer("a", 1, 1, 1024)).isEqualTo(16);
            assertThat(r.integer("b", 1, 1, 1024)).isEqualTo(32);
            assertThat(r.integer("c", 1, 1, 1024)).isEqualTo(1);
            assertThat(r.integer("d", 1, 1, 1024)).isEqualTo(1);
            assertThat(r.integer("e", 1, 1, 1024)).isEqualTo(1);
            assertThat(r.integer("f", 1, 1, 1024)).isEqualTo(1);
            assertThat(r.longValue("g", 1, 1, Long.MAX_VALUE)).as("beyond a long: not wrapped around").isEqualTo(1);
            assertThat(r.integer("h", 1, 1, 1024)).isEqualTo(1);
            assertThat(r.problems()).containsExactly(
                    "c: must be between 1 and 1024, got 0",
                    "d: must be between 1 and 1024, got 2000",
                    "e: must be a whole number, got '1.5'",
                    "f: must be a whole number, got 'lots'",
                    "g: must be a whole number, got '99999999999999999999'",
                    "h: must be a whole number, not a list");
        }

        @Test
        void aStringMustNotBeASection() {
            ConfigReader r = parse("topic:\n  name: x");
            assertThat(r.string("topic", "dflt")).isEqualTo("dflt");
            assertThat(r.problems()).containsExactly("topic: must be a single value, not a mapping");
        }

        @Test
        void yaml11BooleanWordsStayTheWordsWritten() {
            // Jackson alone reads unquoted off/no/on/yes as booleans: "listen: off" would arrive as "false"
            ConfigReader r = parse("listen: off\nnode_id: no\ncountry: NO\nflag: on\nother: Yes\nfalse_flag: off");
            assertThat(r.string("listen", null)).isEqualTo("off");
            assertThat(r.string("node_id", null)).isEqualTo("no");
            assertThat(r.string("country", null)).isEqualTo("NO");
            assertThat(r.bool("flag", false)).isTrue();
            assertThat(r.string("other", null)).isEqualTo("Yes");
            assertThat(r.bool("false_flag", true)).isFalse();
            assertThat(r.problems()).isEmpty();
        }

        @Test
        void numbersKeepTheTextWritten() {
            ConfigReader r = parse("id: 0123\nversion: 1.10\nhex: 0x1F\nbig: 1e3");
            assertThat(r.string("id", null)).isEqualTo("0123");
            assertThat(r.string("version", null)).isEqualTo("1.10");
            assertThat(r.string("hex", null)).isEqualTo("0x1F");
            assertThat(r.string("big", null)).isEqualTo("1e3");
        }

        @Test
        void numbersAndBooleansReadAsStringsKeepTheirText() {
            ConfigReader r = parse("a: 9092\nb: true\nc: ''");
            assertThat(r.string("a", null)).isEqualTo("9092");
            assertThat(r.string("b", null)).isEqualTo("true");
            assertThat(r.string("c", null)).isEmpty();
            assertThat(r.string("d", "dflt")).isEqualTo("dflt");
        }
    }

    @Nested
    class Collections {
        @Test
        void aYamlList() {
            ConfigReader r = parse("include:\n  - /a.log\n  - /b.log");
            assertThat(r.stringList("include", List.of())).containsExactly("/a.log", "/b.log");
            assertThat(r.problems()).isEmpty();
        }

        @Test
        void aCommaSeparatedScalar() {
            ConfigReader r = parse("include: ' /a.log, /b.log,, '\none: /c.log");
            assertThat(r.stringList("include", List.of())).containsExactly("/a.log", "/b.log");
            assertThat(r.stringList("one", List.of())).containsExactly("/c.log");
            assertThat(r.stringList("absent", List.of("d"))).containsExactly("d");
        }

        @Test
        void aListOfSectionsIsAProblemPerElement() {
            ConfigReader r = parse("include:\n  - /a.log\n  - path: /b.log\n  - [x]");
            assertThat(r.stringList("include", List.of())).containsExactly("/a.log");
            assertThat(r.problems()).containsExactly(
                    "include[1]: must be a single value, not a mapping",
                    "include[2]: must be a single value, not a list");
        }

        @Test
        void aSectionWhereAListIsExpected() {
            ConfigReader r = parse("include:\n  path: /a.log");
            assertThat(r.stringList("include", List.of("d"))).containsExactly("d");
            assertThat(r.problems()).containsExactly("include: must be a list of strings");
        }

        @Test
        void stringMap() {
            ConfigReader r = parse("""
                    kafka:
                      properties:
                        security.protocol: SSL
                        linger.ms: 5
                        enable.idempotence: true
                    """);
            assertThat(r.stringMap("kafka.properties")).containsExactly(
                    Map.entry("security.protocol", "SSL"), Map.entry("linger.ms", "5"), Map.entry("enable.idempotence", "true"));
            assertThat(r.stringMap("kafka.absent")).isEmpty();
            assertThat(r.problems()).as("keys inside a string map are not unknown keys").isEmpty();
        }

        @Test
        void stringMapProblems() {
            ConfigReader r = parse("a: scalar\nb:\n  ok: 1\n  nested:\n    x: 1\n  list: [1, 2]");
            assertThat(r.stringMap("a")).isEmpty();
            assertThat(r.stringMap("b")).containsExactly(Map.entry("ok", "1"));
            assertThat(r.problems()).containsExactly(
                    "a: must be a mapping of keys to values",
                    "b.nested: must be a single value, not a mapping",
                    "b.list: must be a single value, not a list");
        }
    }

    @Nested
    class UnknownKeys {
        @Test
        void reportedWithTheirFullDottedPath() {
            ConfigReader r = parse("""
                    node_id: n1
                    nod_id: typo
                    kafka:
                      bootstrap_servers: k:9092
                      bootstrap_server: typo
                    sources:
                      files:
                        include: [/a]
                        includ: [/b]
                    extra:
                      deeper:
                        key: 1
                    """);
            r.string("node_id", null);
            r.string("kafka.bootstrap_servers", null);
            r.stringList("sources.files.include", List.of());
            assertThat(r.problems()).containsExactlyInAnyOrder(
                    "nod_id: unknown key",
                    "kafka.bootstrap_server: unknown key",
                    "sources.files.includ: unknown key",
                    "extra: unknown key");
        }

        @Test
        void keysReadButAbsentAreNotUnknown() {
            ConfigReader r = parse("a: 1");
            r.string("a", null);
            r.string("b.c.d", null);
            assertThat(r.problems()).isEmpty();
        }

        @Test
        void hasDoesNotHideUnknownKeysOfASection() {
            ConfigReader r = parse("kafka:\n  topik: x");
            assertThat(r.has("kafka")).isTrue();
            assertThat(r.has("kafka.topic")).isFalse();
            r.string("kafka.topic", "t");
            assertThat(r.problems()).containsExactly("kafka.topik: unknown key");
        }

        @Test
        void aSingleValueWhereASectionIsExpectedIsReported() {
            // "kafka: host:9092" instead of "kafka: {bootstrap_servers: host:9092}" must not be ignored silently
            ConfigReader r = parse("kafka: k1:9092\nsources: [a, b]\nempty:");
            assertThat(r.string("kafka.bootstrap_servers", "127.0.0.1:9092")).isEqualTo("127.0.0.1:9092");
            r.stringList("sources.files.include", List.of());
            r.string("empty.key", null);
            assertThat(r.problems()).containsExactly(
                    "kafka: must be a section of keys (such as kafka.bootstrap_servers), not a string",
                    "sources: must be a section of keys (such as sources.files.include), not a list");
        }
    }

    @Nested
    class Overrides {
        @Test
        void aKeyWithDotsCanBeOverriddenInAMapping() {
            ConfigReader r = parse("kafka:\n  properties:\n    linger.ms: \"5\"\n")
                    .overrideKey("kafka.properties", "max.poll.interval.ms", "4000")
                    .overrideKey("", "node_id", "n1");
            assertThat(r.stringMap("kafka.properties")).containsExactly(Map.entry("linger.ms", "5"), Map.entry("max.poll.interval.ms", "4000"));
            assertThat(r.string("node_id", "")).isEqualTo("n1");
        }

        @Test
        void overridesWinOverTheFile() {
            ConfigReader r = parse("kafka:\n  bootstrap_servers: file:9092\n  topic: t")
                    .override("kafka.bootstrap_servers", "cli:9092")
                    .override("kafka.topic", null)
                    .override("http.listen", "off")
                    .override("buffer.max_bytes", "1GiB");
            assertThat(r.string("kafka.bootstrap_servers", null)).isEqualTo("cli:9092");
            assertThat(r.string("kafka.topic", null)).as("a null override keeps the file's value").isEqualTo("t");
            assertThat(r.string("http.listen", null)).isEqualTo("off");
            assertThat(r.bytes("buffer.max_bytes", 0, 0, Long.MAX_VALUE)).isEqualTo(GIB);
            assertThat(r.problems()).isEmpty();
        }

        @Test
        void anOverrideReplacesAScalarOnTheWay() {
            ConfigReader r = parse("kafka: k:9092").override("kafka.topic", "t");
            assertThat(r.string("kafka.topic", null)).isEqualTo("t");
        }

        @Test
        void anOverrideIsValidatedLikeTheFile() {
            ConfigReader r = ConfigReader.empty().override("buffer.max_bytes", "lots");
            assertThat(r.bytes("buffer.max_bytes", 1, 0, Long.MAX_VALUE)).isEqualTo(1);
            assertThat(r.problems()).singleElement().asString().startsWith("buffer.max_bytes: must be a size");
        }
    }

    @Nested
    class Documents {
        @ParameterizedTest
        @ValueSource(strings = {"a: [1, 2", "a: 'unclosed", "a:\n  b: 1\n c: 2", "a: b: c", "\tkey: value", "{a: 1"})
        void invalidYamlIsReportedNotThrown(String yaml) {
            ConfigReader r = parse(yaml);
            assertThat(r.problems()).singleElement().asString().startsWith("test.yaml: not valid YAML: ");
            assertThat(r.string("a", "dflt")).isEqualTo("dflt");
            ConfigException e = catchThrowableOfType(ConfigException.class, r::throwIfProblems);
            assertThat(e.problems()).hasSize(1);
        }

        @Test
        void aDuplicateKeyIsReported() {
            ConfigReader r = parse("kafka:\n  topic: a\nkafka:\n  topic: b");
            assertThat(r.problems()).singleElement().asString()
                    .startsWith("test.yaml: not valid YAML: ")
                    .contains("kafka");
        }

        @Test
        void theTopLevelMustBeAMapping() {
            assertThat(parse("- a\n- b").problems())
                    .containsExactly("test.yaml: the top level must be a mapping of keys to values");
            assertThat(parse("just text").problems())
                    .containsExactly("test.yaml: the top level must be a mapping of keys to values");
        }

        @Test
        void emptyAndCommentOnlyDocumentsAreEmptyConfigurations() {
            for (String yaml : List.of("", "   \n", "# only a comment\n", "---\n", "~")) {
                ConfigReader r = parse(yaml);
                assertThat(r.string("a", "dflt")).as("%s", yaml).isEqualTo("dflt");
                assertThat(r.problems()).as("%s", yaml).isEmpty();
            }
        }

        @Test
        void loadReadsAFile(@TempDir Path dir) throws Exception {
            Path f = dir.resolve("agent.yaml");
            Files.writeString(f, "node_id: ${NODE}\n");
            ConfigReader r = ConfigReader.load(f, Interpolation.env(Map.of("NODE", "n7")));
            assertThat(r.string("node_id", null)).isEqualTo("n7");
            assertThat(r.problems()).isEmpty();
        }

        @Test
        void aMissingFileIsAProblemNotAnException(@TempDir Path dir) {
            Path f = dir.resolve("missing.yaml");
            ConfigReader r = ConfigReader.load(f, Interpolation.env(Map.of()));
            assertThat(r.problems()).singleElement().asString().startsWith(f + ": cannot read: ");
        }

        @Test
        void problemsOfAnInvalidFileNameTheFile(@TempDir Path dir) throws Exception {
            Path f = dir.resolve("agent.yaml");
            Files.writeString(f, "a: ${X}\nb: [\n");
            assertThat(ConfigReader.load(f, Interpolation.env(Map.of())).problems())
                    .hasSize(2)
                    .allSatisfy(p -> assertThat(p).startsWith(f + ": "));
        }
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigReader r = parse("""
                node_id: ${NODE_ID}
                buffer:
                  max_bytes: 12 parsecs
                  fsync_every: soon
                sources:
                  files:
                    follow: maybe
                kafka:
                  topics: skulk-logs
                """);
        r.string("node_id", "n");
        r.bytes("buffer.max_bytes", 1, 0, Long.MAX_VALUE);
        r.duration("buffer.fsync_every", Duration.ofMillis(500), Duration.ZERO, Duration.ofMinutes(1));
        r.bool("sources.files.follow", true);
        r.string("kafka.topic", "t");
        ConfigException e = catchThrowableOfType(ConfigException.class, r::throwIfProblems);
        assertThat(e).isNotNull();
        assertThat(e.problems()).containsExactly(
                "test.yaml: line 1: environment variable NODE_ID is not set (write ${NODE_ID:-default} to give a default)",
                "buffer.max_bytes: must be a size such as 512MiB, 64KiB or 1048576, got '12 parsecs'",
                "buffer.fsync_every: must be a duration such as 500ms, 2s, 5m or 90d, got 'soon'",
                "sources.files.follow: must be true or false, got 'maybe'",
                "kafka.topics: unknown key");
        assertThat(e.getMessage()).startsWith("invalid configuration (5 problems):")
                .contains("\n  - kafka.topics: unknown key");
    }

    @Test
    void noProblemsNoException() {
        ConfigReader r = parse("a: 1");
        r.integer("a", 0, 0, 10);
        r.throwIfProblems();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void explicitProblemsAreCollectedToo() {
        ConfigReader r = ConfigReader.empty();
        r.problem("buffer", "max_bytes must be >= segment_bytes");
        assertThatThrownBy(r::throwIfProblems).isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration (1 problem):\n  - buffer: max_bytes must be >= segment_bytes");
    }
}
