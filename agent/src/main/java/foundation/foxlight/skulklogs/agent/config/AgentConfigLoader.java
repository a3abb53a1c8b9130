package foundation.foxlight.skulklogs.agent.config;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy;
import foundation.foxlight.skulklogs.agent.source.FileDiscovery;
import foundation.foxlight.skulklogs.agent.source.FileTailer.ReadFrom;
import foundation.foxlight.skulklogs.agent.source.JournaldConfig;
import foundation.foxlight.skulklogs.agent.source.StdinConfig;
import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.common.kafka.KafkaSecurity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds an {@link AgentConfig} from a {@link ConfigReader} (YAML file + command-line overrides) and the
 * environment (process env layered over {@code ~/.skulk/skulk.env}), validating everything and reporting
 * every problem at once. Defaults follow an existing Skulk install:
 * {@code SKULK_LOG_FILE} is the file tailed, {@code SKULK_VECTOR_DATA_DIR}{@code /skulk-logs} the state
 * directory, {@code SKULK_LOGS_KAFKA} the Kafka address.
 */
public final class AgentConfigLoader {
    private AgentConfigLoader() {
    }

    public static AgentConfig load(ConfigReader r, Function<String, String> env) {
        String home = System.getProperty("user.home");
        String configuredNodeId = r.string("node_id", null);
        // Only look the host name up when needed: the lookup can be slow on a host with broken DNS.
        String nodeId = configuredNodeId != null ? configuredNodeId : defaultNodeId(env);
        if (nodeId == null || nodeId.isBlank()) {
            r.problem("node_id", "must not be empty");
        }
        String vectorDir = env.apply("SKULK_VECTOR_DATA_DIR");
        String defaultState = vectorDir != null && !vectorDir.isBlank() ? vectorDir + "/skulk-logs" : home + "/.skulk/skulk-logs";
        Path stateDir = expand(r.string("state_dir", defaultState), home);

        boolean stripAnsi = r.bool("sources.strip_ansi", false);
        StdinConfig stdin = StdinConfig.read(r);
        JournaldConfig journald = JournaldConfig.read(r);
        // Skulk's log file is tailed by default, unless the agent is set up for stdin or journald instead.
        String logFile = env.apply("SKULK_LOG_FILE");
        List<String> defaultFiles = stdin.enabled() || journald.enabled() ? List.of()
                : List.of(logFile != null && !logFile.isBlank() ? logFile : home + "/.skulk/logs/skulk.stdout.log");
        List<String> include = new ArrayList<>();
        for (String p : r.stringList("sources.files.include", defaultFiles)) {
            include.add(expand(p, home).toString());
        }
        if (include.isEmpty() && !stdin.enabled() && !journald.enabled()) {
            r.problem("sources", "no source: name files in sources.files.include, or enable sources.stdin or sources.journald");
        }
        List<String> exclude = r.stringList("sources.files.exclude", FileSourceConfig.DEFAULT_EXCLUDE);
        for (String glob : exclude) {
            String problem = FileDiscovery.globProblem(glob);
            if (problem != null) {
                r.problem("sources.files.exclude", problem);
            }
        }
        FileSourceConfig files = new FileSourceConfig(include, exclude,
                r.enumValue("sources.files.read_from", ReadFrom.class, ReadFrom.BEGINNING),
                (int) r.bytes("sources.files.max_line_bytes", FileSourceConfig.DEFAULT_MAX_LINE_BYTES, 1024, 2L << 20),
                (int) r.bytes("sources.files.max_batch_bytes", FileSourceConfig.DEFAULT_MAX_BATCH_BYTES, 1024, 4L << 20),
                r.duration("sources.files.partial_line_timeout", Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofHours(1)),
                r.duration("sources.files.poll_interval", Duration.ofMillis(250), Duration.ofMillis(1), Duration.ofMinutes(1)));

        Path bufferDir = stateDir.resolve("buffer");
        BufferConfig bufferDefaults = BufferConfig.defaults(bufferDir);
        long maxBytes = r.bytes("buffer.max_bytes", bufferDefaults.maxBytes(), 64 * 1024, Long.MAX_VALUE / 2);
        long segmentBytes = r.bytes("buffer.segment_bytes", Math.min(bufferDefaults.segmentBytes(), maxBytes), 4 * 1024,
                Long.MAX_VALUE / 2);
        FsyncPolicy fsync = fsync(r.string("buffer.fsync", "500ms"), r);
        BufferConfig buffer = new BufferConfig(bufferDir, maxBytes, segmentBytes, fsync);
        // A batch must fit (a batch too big is split, but a single line never can be).
        long largestBatch = 2L * (files.maxBatchBytes() + files.maxLineBytes());
        if (maxBytes < largestBatch) {
            r.problem("buffer.max_bytes", "must be at least 2 x (sources.files.max_batch_bytes + sources.files.max_line_bytes) = "
                    + largestBatch + " bytes, so that any batch fits");
        }
        for (String p : buffer.validate()) {
            r.problem("buffer", p);
        }
        if (r.has("buffer.when_full")) {
            r.string("buffer.when_full", null); // read, so it is not also reported as unknown
            r.problem("buffer.when_full", "not a setting: file and journald sources always wait when the buffer is full (their data "
                    + "stays in the file or the journal, nothing is lost); for stdin use sources.stdin.when_full");
        }

        String kafkaDefault = env.apply("SKULK_LOGS_KAFKA");
        String bootstrap = r.string("kafka.bootstrap_servers", kafkaDefault != null && !kafkaDefault.isBlank() ? kafkaDefault : "127.0.0.1:9092");
        if (!validAddresses(bootstrap)) {
            r.problem("kafka.bootstrap_servers", "must be host:port[,host:port...] with ports 1-65535, got '" + bootstrap + "'");
        }
        String compression = r.string("kafka.compression", "zstd").toLowerCase(Locale.ROOT);
        if (!List.of("zstd", "lz4", "gzip", "snappy", "none").contains(compression)) {
            r.problem("kafka.compression", "must be one of zstd, lz4, gzip, snappy, none; got '" + compression + "'");
        }
        Map<String, String> kafkaProperties = r.stringMap("kafka.properties");
        KafkaSinkConfig kafka = new KafkaSinkConfig(bootstrap, r.string("kafka.topic", "skulk-logs"), compression,
                r.integer("kafka.max_in_flight", 16, 1, 1024), kafkaProperties, KafkaSecurity.read(r, "kafka", kafkaProperties),
                r.duration("kafka.retry_backoff_max", Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofMinutes(10)),
                r.string("kafka.status_topic", "skulk-logs-status"),
                r.duration("heartbeat_interval", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1)));

        String listen = r.string("http.listen", "127.0.0.1:8687");
        String httpHost = "127.0.0.1";
        int httpPort = -1;
        if (!listen.trim().equalsIgnoreCase("off")) {
            int colon = listen.lastIndexOf(':');
            try {
                httpHost = listen.substring(0, colon);
                httpPort = Integer.parseInt(listen.substring(colon + 1));
                if (httpHost.isBlank() || httpPort < 0 || httpPort > 65535) {
                    throw new IllegalArgumentException();
                }
            } catch (RuntimeException e) {
                r.problem("http.listen", "must be host:port (port 0-65535, 0 for any free port) or off, got '" + listen + "'");
                httpHost = "127.0.0.1";
                httpPort = -1;
            }
        }
        r.throwIfProblems();
        return new AgentConfig(nodeId, stateDir, files, stdin, journald, buffer, kafka, stripAnsi, httpHost, httpPort);
    }

    private static FsyncPolicy fsync(String text, ConfigReader r) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("always")) {
            return new FsyncPolicy.Always();
        }
        if (t.equals("never")) {
            return new FsyncPolicy.Never();
        }
        ConfigReader probe = ConfigReader.empty().override("x", t);
        Duration d = probe.duration("x", null, Duration.ofMillis(1), Duration.ofMinutes(1));
        if (d == null || !probe.problems().isEmpty()) {
            r.problem("buffer.fsync", "must be always, never or an interval such as 500ms; got '" + text + "'");
            return new FsyncPolicy.Interval(Duration.ofMillis(500));
        }
        return new FsyncPolicy.Interval(d);
    }

    private static final String HOST_PORT = "(?:[A-Za-z0-9._-]+|\\[[0-9A-Za-z:.%]+\\]):\\d{1,5}";

    /** {@code host:port[,host:port...]} with ports 1-65535 (an IPv6 host in brackets: {@code [::1]:9092}). */
    static boolean validAddresses(String list) {
        if (!list.matches(HOST_PORT + "(?:," + HOST_PORT + ")*")) {
            return false;
        }
        for (String address : list.split(",")) {
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                return false;
            }
        }
        return true;
    }

    static String defaultNodeId(Function<String, String> env) {
        String h = env.apply("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-node";
        }
    }

    static Path expand(String p, String home) {
        if (p.equals("~")) {
            return Path.of(home);
        }
        if (p.startsWith("~/")) {
            return Path.of(home, p.substring(2));
        }
        return Path.of(p);
    }
}
