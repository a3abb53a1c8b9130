package foundation.foxlight.skulklogs.launcher;

import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.config.AgentConfigLoader;
import foundation.foxlight.skulklogs.common.config.ConfigException;
import foundation.foxlight.skulklogs.common.config.EnvFile;
import foundation.foxlight.skulklogs.launcher.doctor.Checks;
import foundation.foxlight.skulklogs.launcher.doctor.Doctor;
import foundation.foxlight.skulklogs.launcher.doctor.DoctorContext;
import foundation.foxlight.skulklogs.launcher.doctor.DoctorReport;
import foundation.foxlight.skulklogs.launcher.doctor.probe.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skulk-logs doctor}: runs every check of what commonly goes wrong, with the configuration the agent would
 * use (same {@code --config}, {@code --env-file}, {@code --file}, {@code --kafka}, {@code --state-dir}), and prints
 * one line per check with the fix. Exit 0 when nothing failed (warnings allowed), 1 when something did, 2 for a
 * bad option.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check this node (agent, log file, Kafka, skulk.env, buffer, disk) or the central host (relay, VictoriaLogs) "
                + "and print what is wrong with the exact fix.", "Exit status: 0 nothing failed (WARN allowed), 1 something failed, 2 bad options."})
final class DoctorCommand implements Callable<Integer> {
    static final String DEFAULT_RELAY = "http://127.0.0.1:8688";
    static final String DEFAULT_VICTORIALOGS = "http://127.0.0.1:9428";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Mixin
    AgentSourceOptions source;

    @Option(names = "--agent-http", paramLabel = "HOST:PORT", description = "The agent's /health and /metrics (default: its http.listen, 127.0.0.1:8687).")
    String agentHttp;

    @Option(names = "--relay", paramLabel = "URL", description = "The relay's HTTP base URL (default: $SKULK_LOGS_RELAY_URL or " + DEFAULT_RELAY + ").")
    String relay;

    @Option(names = "--victorialogs", paramLabel = "URL", description = "VictoriaLogs' base URL (default: $SKULK_LOGS_VICTORIALOGS_URL or " + DEFAULT_VICTORIALOGS + ").")
    String victoriaLogs;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5", description = "Bound of every network call (default ${DEFAULT-VALUE}); the whole run takes at most 3 times this.")
    int timeoutSeconds;

    @Option(names = "--skip", paramLabel = "NAME", split = ",", description = "Checks not to run, e.g. --skip relay,clock (a prefix skips its family: kafka = kafka.*).")
    List<String> skip = List.of();

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutSeconds < 1) {
            err.println("--timeout must be at least 1 second");
            return 2;
        }
        Function<String, String> env = options.env();
        AgentConfig agent = null;
        String problem = null;
        try {
            agent = AgentConfigLoader.load(source.applyTo(options.reader()), env);
        } catch (ConfigException e) {
            problem = e.getMessage();
        }
        String home = System.getProperty("user.home");
        Path envFile = options.envFilePath();
        HostPort agentAddress;
        URI relayUrl;
        URI vlUrl;
        try {
            agentAddress = agentHttp != null ? HostPort.parse(agentHttp) : agentAddress(agent);
            relayUrl = httpUrl("--relay", relay != null ? relay : orElse(env.apply("SKULK_LOGS_RELAY_URL"), DEFAULT_RELAY));
            vlUrl = httpUrl("--victorialogs", victoriaLogs != null ? victoriaLogs : orElse(env.apply("SKULK_LOGS_VICTORIALOGS_URL"), DEFAULT_VICTORIALOGS));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        boolean vlExplicit = victoriaLogs != null || env.apply("SKULK_LOGS_VICTORIALOGS_URL") != null;
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        DoctorContext ctx = new DoctorContext(new DoctorContext.Settings(Path.of(home), DoctorContext.Os.current(), agent, problem,
                envFile, readEnvFile(envFile), agentAddress, relayUrl, vlUrl, vlExplicit, timeout, Clock.systemUTC()));
        DoctorReport report = new Doctor(timeout.multipliedBy(3)).run(Checks.all(ctx), Checks.skipping(skip));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.json() : report.text());
        out.flush();
        return report.exitCode();
    }

    /** Where the agent's HTTP endpoint would listen by its configuration; null when it is off or unknown. */
    private static HostPort agentAddress(AgentConfig agent) {
        if (agent == null) {
            return HostPort.parse("127.0.0.1:8687");
        }
        if (agent.httpPort() <= 0) {
            return null;
        }
        String host = agent.httpHost().equals("0.0.0.0") || agent.httpHost().equals("::") ? "127.0.0.1" : agent.httpHost();
        return new HostPort(host, agent.httpPort());
    }

    private static URI httpUrl(String option, String text) {
        try {
            URI u = URI.create(text.strip());
            if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be an http(s) URL such as http://HOST:PORT, got '" + text + "'");
        }
    }

    private static String orElse(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value;
    }

    /** Skulk's env file as Skulk reads it (the file alone, not the process environment); null when absent. */
    private static Map<String, String> readEnvFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return EnvFile.read(file);
        } catch (IOException e) {
            return null;
        }
    }
}
