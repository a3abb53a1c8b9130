package foundation.foxlight.skulklogs.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy;
import foundation.foxlight.skulklogs.agent.source.FileTailer.ReadFrom;
import foundation.foxlight.skulklogs.common.config.ConfigException;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.common.config.Interpolation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigLoaderTest {
    private static final Path HOME = Path.of(System.getProperty("user.home"));
    private static final Map<String, String> SKULK_ENV = Map.of(
            "SKULK_LOG_FILE", "/var/skulk/logs/skulk.stdout.log",
            "SKULK_VECTOR_DATA_DIR", "/var/skulk/vector",
            "SKULK_LOGS_KAFKA", "k1:9092,k2:9093",
            "HOSTNAME", "mac-mini-7");

    private static AgentConfig load(String yaml, Map<String, String> env) {
        Function<String, String> e = Interpolation.env(env);
        return AgentConfigLoader.load(ConfigReader.parse(yaml, e, "agent.yaml"), e);
    }

    private static List<String> problems(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml, env));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    @Test
    void defaultsComeFromSkulksEnvironment() {
        AgentConfig c = load("", SKULK_ENV);
        assertThat(c.nodeId()).isEqualTo("mac-mini-7");
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/skulk/vector/skulk-logs"));
        assertThat(c.files().include()).containsExactly("/var/skulk/logs/skulk.stdout.log");
        assertThat(c.kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9093");
        assertThat(c.buffer().directory()).isEqualTo(Path.of("/var/skulk/vector/skulk-logs/buffer"));
    }

    @Test
    void builtInDefaults() {
        AgentConfig c = load("", Map.of("HOSTNAME", "h"));
        assertThat(c.stateDir()).isEqualTo(HOME.resolve(".skulk/skulk-logs"));
        assertThat(c.files().include()).containsExactly(HOME.resolve(".skulk/logs/skulk.stdout.log").toString());
        assertThat(c.files().readFrom()).isEqualTo(ReadFrom.BEGINNING);
        assertThat(c.files().maxLineBytes()).isEqualTo(FileSourceConfig.DEFAULT_MAX_LINE_BYTES);
        assertThat(c.files().maxBatchBytes()).isEqualTo(256 * 1024);
        assertThat(c.files().partialLineTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.files().pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.buffer().maxBytes()).isEqualTo(BufferConfig.DEFAULT_MAX_BYTES);
        assertThat(c.buffer().segmentBytes()).isEqualTo(BufferConfig.DEFAULT_SEGMENT_BYTES);
        assertThat(c.buffer().fsyncPolicy()).isEqualTo(new FsyncPolicy.Interval(Duration.ofMillis(500)));
        assertThat(c.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.kafka().topic()).isEqualTo("skulk-logs");
        assertThat(c.kafka().compression()).isEqualTo("zstd");
        assertThat(c.kafka().maxInFlight()).isEqualTo(16);
        assertThat(c.kafka().properties()).isEmpty();
        assertThat(c.kafka().retryBackoffMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
        assertThat(c.httpPort()).isEqualTo(8687);
    }

    @Test
    void rotatedCopiesAreExcludedUnlessConfiguredOtherwise() {
        assertThat(load("", SKULK_ENV).files().exclude()).contains("*.[0-9]", "*.gz");
        assertThat(load("sources:\n  files:\n    exclude: ['*.bak']\n", SKULK_ENV).files().exclude()).containsExactly("*.bak");
        assertThat(load("sources:\n  files:\n    exclude: []\n", SKULK_ENV).files().exclude()).isEmpty();
        assertThat(problems("sources:\n  files:\n    exclude: ['a/*.1', '*.[0-9']\n", SKULK_ENV))
                .anyMatch(p -> p.contains("sources.files.exclude") && p.contains("without '/'"))
                .anyMatch(p -> p.contains("sources.files.exclude") && p.contains("not a glob"));
    }

    @Test
    void withoutHostnameTheNodeIdIsTheMachinesName() {
        AgentConfig c = load("", Map.of());
        assertThat(c.nodeId()).isNotBlank();
        assertThat(load("", Map.of("HOSTNAME", " ")).nodeId()).isNotBlank();
    }

    @Test
    void blankEnvironmentValuesFallBackToTheDefaults() {
        AgentConfig c = load("", Map.of("SKULK_LOG_FILE", "", "SKULK_VECTOR_DATA_DIR", " ", "SKULK_LOGS_KAFKA", "", "HOSTNAME", "h"));
        assertThat(c.stateDir()).isEqualTo(HOME.resolve(".skulk/skulk-logs"));
        assertThat(c.files().include()).containsExactly(HOME.resolve(".skulk/logs/skulk.stdout.log").toString());
        assertThat(c.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void tildeIsTheHomeDirectory() {
        AgentConfig c = load("sources:\n  files:\n    include: ['~/logs/a.log', /abs/b.log, '~other/c.log']\n",
                Map.of("SKULK_VECTOR_DATA_DIR", "~/.skulk/vector", "HOSTNAME", "h"));
        assertThat(c.stateDir()).isEqualTo(HOME.resolve(".skulk/vector/skulk-logs"));
        assertThat(c.files().include()).containsExactly(HOME.resolve("logs/a.log").toString(), "/abs/b.log", "~other/c.log");
        assertThat(load("state_dir: '~'", Map.of("HOSTNAME", "h")).stateDir()).isEqualTo(HOME);
        assertThat(load("", Map.of("SKULK_LOG_FILE", "~/x.log", "HOSTNAME", "h")).files().include())
                .containsExactly(HOME.resolve("x.log").toString());
    }

    @Test
    void theFileWinsOverTheEnvironment() {
        AgentConfig c = load("""
                node_id: configured
                state_dir: /srv/state
                kafka:
                  bootstrap_servers: file:9092
                sources:
                  files:
                    include: /srv/a.log, /srv/b.log
                    read_from: end
                """, SKULK_ENV);
        assertThat(c.nodeId()).isEqualTo("configured");
        assertThat(c.stateDir()).isEqualTo(Path.of("/srv/state"));
        assertThat(c.buffer().directory()).isEqualTo(Path.of("/srv/state/buffer"));
        assertThat(c.kafka().bootstrapServers()).isEqualTo("file:9092");
        assertThat(c.files().include()).containsExactly("/srv/a.log", "/srv/b.log");
        assertThat(c.files().readFrom()).isEqualTo(ReadFrom.END);
    }

    @Test
    void everySetting() {
        AgentConfig c = load("""
                sources:
                  files:
                    max_line_bytes: 64KiB
                    max_batch_bytes: 1MiB
                    partial_line_timeout: 2s
                    poll_interval: 100ms
                buffer:
                  max_bytes: 1GiB
                  segment_bytes: 32MiB
                  fsync: always
                kafka:
                  topic: logs
                  compression: LZ4
                  max_in_flight: 4
                  retry_backoff_max: 1m
                  properties:
                    security.protocol: SSL
                http:
                  listen: 0.0.0.0:0
                """, SKULK_ENV);
        assertThat(c.files().maxLineBytes()).isEqualTo(64 * 1024);
        assertThat(c.files().maxBatchBytes()).isEqualTo(1 << 20);
        assertThat(c.files().partialLineTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.files().pollInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.buffer().maxBytes()).isEqualTo(1L << 30);
        assertThat(c.buffer().segmentBytes()).isEqualTo(32L << 20);
        assertThat(c.buffer().fsyncPolicy()).isEqualTo(new FsyncPolicy.Always());
        assertThat(c.kafka().topic()).isEqualTo("logs");
        assertThat(c.kafka().compression()).isEqualTo("lz4");
        assertThat(c.kafka().maxInFlight()).isEqualTo(4);
        assertThat(c.kafka().retryBackoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.kafka().properties()).containsExactly(Map.entry("security.protocol", "SSL"));
        assertThat(c.httpHost()).isEqualTo("0.0.0.0");
        assertThat(c.httpPort()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "ALWAYS", "never", "250ms", "1s", "PT0.1S"})
    void fsyncPolicies(String text) {
        FsyncPolicy p = load("buffer:\n  fsync: " + text, SKULK_ENV).buffer().fsyncPolicy();
        switch (text.toLowerCase()) {
            case "always" -> assertThat(p).isEqualTo(new FsyncPolicy.Always());
            case "never" -> assertThat(p).isEqualTo(new FsyncPolicy.Never());
            case "250ms" -> assertThat(p).isEqualTo(new FsyncPolicy.Interval(Duration.ofMillis(250)));
            case "1s" -> assertThat(p).isEqualTo(new FsyncPolicy.Interval(Duration.ofSeconds(1)));
            default -> assertThat(p).isEqualTo(new FsyncPolicy.Interval(Duration.ofMillis(100)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "OFF", "'off'", "\"Off\""})
    void httpCanBeSwitchedOff(String off) {
        // unquoted, YAML 1.1 has off mean false: it must still reach the loader as "off"
        AgentConfig c = load("http:\n  listen: " + off, SKULK_ENV);
        assertThat(c.httpPort()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k:9092", "k1:9092,k2:9093", "[::1]:9092", "10.0.0.1:1", "kafka.example.org:65535"})
    void validKafkaAddresses(String address) {
        assertThat(load("kafka:\n  bootstrap_servers: '" + address + "'", SKULK_ENV).kafka().bootstrapServers()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "k:", ":9092", "k:9092,", "k:9092, k2:9092", "k:abc", "k:0", "k:65536", "k:99999999999",
            "http://k:9092"})
    void invalidKafkaAddresses(String address) {
        assertThat(problems("kafka:\n  bootstrap_servers: '" + address + "'", SKULK_ENV))
                .singleElement().asString().startsWith("kafka.bootstrap_servers: must be host:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8687", "host", ":8687", "h:-1", "h:65536", "h:port"})
    void invalidHttpListen(String listen) {
        assertThat(problems("http:\n  listen: '" + listen + "'", SKULK_ENV))
                .singleElement().asString().startsWith("http.listen: must be host:port");
    }

    @Test
    void allProblemsAtOnceWithTheirKeys() {
        List<String> problems = problems("""
                node_id: ''
                sources:
                  files:
                    include: []
                    max_line_bytes: 1
                    read_from: middle
                buffer:
                  max_bytes: huge
                  fsync: sometimes
                  when_full: panic
                kafka:
                  bootstrap_servers: localhost
                  compression: brotli
                  topik: typo
                http:
                  listen: nowhere
                """, SKULK_ENV);
        assertThat(problems).containsExactlyInAnyOrder(
                "node_id: must not be empty",
                "sources: no source: name files in sources.files.include, or enable sources.stdin or sources.journald",
                "sources.files.max_line_bytes: must be between 1024 bytes and 2097152 bytes, got 1",
                "sources.files.read_from: must be one of [beginning, end], got 'middle'",
                "buffer.max_bytes: must be a size such as 512MiB, 64KiB or 1048576, got 'huge'",
                "buffer.fsync: must be always, never or an interval such as 500ms; got 'sometimes'",
                "buffer.when_full: not a setting: file and journald sources always wait when the buffer is full (their data "
                        + "stays in the file or the journal, nothing is lost); for stdin use sources.stdin.when_full",
                "kafka.bootstrap_servers: must be host:port[,host:port...] with ports 1-65535, got 'localhost'",
                "kafka.compression: must be one of zstd, lz4, gzip, snappy, none; got 'brotli'",
                "kafka.topik: unknown key",
                "http.listen: must be host:port (port 0-65535, 0 for any free port) or off, got 'nowhere'");
    }

    @Test
    void bufferConstraintsAreReportedUnderBuffer() {
        assertThat(problems("buffer:\n  max_bytes: 1MiB\n  segment_bytes: 2MiB\n  fsync: 2h", SKULK_ENV))
                .containsExactlyInAnyOrder(
                        "buffer.fsync: must be always, never or an interval such as 500ms; got '2h'",
                        "buffer: buffer maxBytes (1048576) must be >= segmentBytes (2097152)");
    }

    @Test
    void aSmallBufferGetsSegmentsThatFit() {
        AgentConfig c = load("buffer:\n  max_bytes: 1MiB", SKULK_ENV);
        assertThat(c.buffer().segmentBytes()).isEqualTo(1 << 20);
        assertThat(c.buffer().validate()).isEmpty();
    }

    @Test
    void anUnsetVariableInTheFileIsReportedWithTheOthers() {
        assertThat(problems("kafka:\n  bootstrap_servers: ${KAFKA}\n  topic: ${TOPIC:-t}\nnode: x", SKULK_ENV))
                .containsExactlyInAnyOrder(
                        "agent.yaml: line 2: environment variable KAFKA is not set (write ${KAFKA:-default} to give a default)",
                        // the unset variable leaves an empty value, which is reported too
                        "kafka.bootstrap_servers: must be host:port[,host:port...] with ports 1-65535, got ''",
                        "node: unknown key");
    }

    @Test
    void aSectionGivenAsAValueIsReported() {
        assertThat(problems("kafka: k:9092", SKULK_ENV)).singleElement().asString()
                .startsWith("kafka: must be a section of keys");
    }
}
