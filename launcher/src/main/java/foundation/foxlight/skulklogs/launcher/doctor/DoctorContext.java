package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.launcher.doctor.probe.ClusterMetadata;
import foundation.foxlight.skulklogs.launcher.doctor.probe.HostPort;
import foundation.foxlight.skulklogs.launcher.doctor.probe.HttpProbe;
import foundation.foxlight.skulklogs.launcher.doctor.probe.KafkaMetadataSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the checks look at: the agent configuration as the agent would load it, Skulk's env file, the
 * addresses of the agent, relay and VictoriaLogs, the timeout, and the probes several checks share (each asked
 * at most once per run, see {@link Memo}). Immutable apart from those memos; thread-safe.
 */
public final class DoctorContext {
    /** Why checks that need {@link #kafkaIfAnswered()} are skipped when it is null. */
    static final String KAFKA_SILENT = "Kafka did not answer (see kafka.reachable)";

    /** The operating system, which decides how the agent is installed as a service. */
    public enum Os {
        MAC, LINUX, OTHER;

        public static Os current() {
            String n = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            return n.contains("mac") ? MAC : n.contains("linux") ? LINUX : OTHER;
        }
    }

    /**
     * The inputs.
     *
     * @param home                    the user's home directory (service files live under it)
     * @param os                      the operating system
     * @param agent                   the agent configuration, null when it is invalid
     * @param configProblem           why it is invalid (the loader's message), else null
     * @param envFile                 Skulk's env file ({@code ~/.skulk/skulk.env} unless {@code --env-file})
     * @param skulkEnv                its contents, null when it does not exist
     * @param agentHttp               the agent's /health address, null when its HTTP endpoint is off
     * @param relayUrl                the relay's HTTP base URL
     * @param victoriaLogsUrl         VictoriaLogs' base URL
     * @param victoriaLogsUrlExplicit whether the operator named VictoriaLogs' URL (else it is the default)
     * @param timeout                 bound of every network call
     * @param clock                   the local clock
     */
    public record Settings(Path home, Os os, AgentConfig agent, String configProblem, Path envFile, Map<String, String> skulkEnv,
            HostPort agentHttp, URI relayUrl, URI victoriaLogsUrl, boolean victoriaLogsUrlExplicit, Duration timeout, Clock clock) {
    }

    private final Settings settings;
    private final HttpProbe http;
    private final Memo<HttpProbe.Result> agentHealth;
    private final Memo<HttpProbe.Result> agentMetrics;
    private final Memo<HttpProbe.Result> relayHealth;
    private final Memo<HttpProbe.Result> victoriaLogsHealth;
    private final Memo<ClusterMetadata> kafka;

    public DoctorContext(Settings settings) {
        this.settings = settings;
        this.http = new HttpProbe(settings.timeout());
        URI agentBase = settings.agentHttp() == null ? null : URI.create("http://" + settings.agentHttp());
        this.agentHealth = new Memo<>(() -> http.get(agentBase.resolve("/health")));
        this.agentMetrics = new Memo<>(() -> http.get(agentBase.resolve("/metrics")));
        this.relayHealth = new Memo<>(() -> http.get(resolve(settings.relayUrl(), "health")));
        this.victoriaLogsHealth = new Memo<>(() -> http.get(resolve(settings.victoriaLogsUrl(), "health")));
        AgentConfig agent = settings.agent();
        this.kafka = new Memo<>(() -> KafkaMetadataSource.forClient(agent.kafka().bootstrapServers(), agent.kafka().security(), agent.kafka().properties(),
                settings.timeout()).fetch(List.of(agent.kafka().topic(), agent.kafka().statusTopic())));
    }

    /** {@code base} + {@code path}, keeping a path prefix of the base (a relay behind {@code /logs/}). */
    static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create(b.endsWith("/") ? b + path : b + "/" + path);
    }

    public Settings settings() {
        return settings;
    }

    /** The agent configuration; only called by checks that exist when it is valid. */
    AgentConfig agent() {
        return settings.agent();
    }

    HttpProbe.Result agentHealth() throws Exception {
        return agentHealth.get();
    }

    HttpProbe.Result agentMetrics() throws Exception {
        return agentMetrics.get();
    }

    HttpProbe.Result relayHealth() throws Exception {
        return relayHealth.get();
    }

    HttpProbe.Result victoriaLogsHealth() throws Exception {
        return victoriaLogsHealth.get();
    }

    /** The cluster's metadata for the log and status topics; throws when Kafka did not answer. */
    ClusterMetadata kafka() throws Exception {
        return kafka.get();
    }

    /** {@link #kafka()}, or null when Kafka did not answer ({@code kafka.reachable} reports why). */
    ClusterMetadata kafkaIfAnswered() {
        try {
            return kafka.get();
        } catch (Exception e) {
            return null;
        }
    }

    /** Where the agent's service definition lives on this OS, null where there is none. */
    Path serviceFile() {
        return switch (settings.os()) {
            case MAC -> settings.home().resolve("Library/LaunchAgents/foundation.foxlight.skulk-logs.plist");
            case LINUX -> settings.home().resolve(".config/systemd/user/skulk-logs-agent.service");
            case OTHER -> null;
        };
    }

    /** The command that installs the agent as a service on this OS. */
    String installCommand() {
        return switch (settings.os()) {
            case MAC -> "deployment/install/install-launchd.sh";
            case LINUX -> "deployment/install/install-systemd.sh";
            case OTHER -> "bin/skulk-logs agent (under your service manager)";
        };
    }

    /** The command that restarts an installed agent on this OS. */
    String restartCommand() {
        return switch (settings.os()) {
            case MAC -> "launchctl kickstart -k gui/$(id -u)/foundation.foxlight.skulk-logs";
            case LINUX -> "systemctl --user restart skulk-logs-agent";
            case OTHER -> "restart bin/skulk-logs agent";
        };
    }

    /** True when the agent is installed as a service here, or answers on its HTTP address. */
    boolean agentPresent() throws Exception {
        Path unit = serviceFile();
        if (unit != null && java.nio.file.Files.exists(unit)) {
            return true;
        }
        return settings.agentHttp() != null && agentHealth().answered();
    }

    /** The env file's name as the operator knows it ({@code ~/.skulk/skulk.env}). */
    String envFileName() {
        Path f = settings.envFile().toAbsolutePath();
        Path home = settings.home().toAbsolutePath();
        return f.startsWith(home) ? "~/" + home.relativize(f) : f.toString();
    }
}
