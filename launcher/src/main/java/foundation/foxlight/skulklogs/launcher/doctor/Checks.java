package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.agent.source.FileDiscovery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The doctor's checks, in the order they are reported: configuration, agent, log files, Kafka, Skulk's env,
 * buffer and disk, relay, VictoriaLogs, clock. Checks that need a valid agent configuration are reported as
 * SKIP when it is invalid. Listing the tailed files is blocking (a directory listing per glob).
 */
public final class Checks {
    private Checks() {
    }

    public static List<Check> all(DoctorContext ctx) {
        List<Check> checks = new ArrayList<>();
        AgentConfig agent = ctx.settings().agent();
        checks.add(new Fixed(agent == null
                ? CheckResult.fail("config", ctx.settings().configProblem(), "fix each key named; docs/configuration.md lists them all")
                : CheckResult.ok("config", "agent configuration valid: tails " + sources(agent) + ", ships to Kafka "
                        + agent.kafka().bootstrapServers() + " topic " + agent.kafka().topic() + ", state in " + agent.stateDir())));
        checks.add(new AgentRunningCheck(ctx));
        checks.add(new AgentServiceCheck(ctx));
        if (agent == null) {
            for (String n : List.of("logfile", "kafka.reachable", "kafka.advertised", "kafka.topic", "kafka.status_topic", "skulk.env",
                    "buffer", "disk")) {
                checks.add(new Fixed(CheckResult.skip(n, "the agent configuration is invalid (see config)")));
            }
        } else {
            Set<Path> tailed = new LinkedHashSet<>();
            checks.addAll(logFileChecks(ctx, agent, tailed));
            checks.add(new KafkaReachableCheck(ctx));
            checks.add(new KafkaAdvertisedCheck(ctx));
            checks.add(new KafkaTopicCheck(ctx, "kafka.topic", agent.kafka().topic(), true, 3));
            checks.add(new KafkaTopicCheck(ctx, "kafka.status_topic", agent.kafka().statusTopic(), false, 1));
            checks.add(new SkulkEnvCheck(ctx, tailed));
            checks.add(new BufferCheck(ctx));
            checks.add(new DiskSpaceCheck(ctx, List.copyOf(tailed)));
        }
        checks.add(new RelayHealthCheck(ctx));
        checks.add(new VictoriaLogsHealthCheck(ctx));
        checks.add(new ClockSkewCheck(ctx));
        return checks;
    }

    /**
     * {@code --skip} names: a name skips itself and, as a prefix, its dotted family ({@code kafka} skips
     * {@code kafka.topic}).
     */
    public static Predicate<String> skipping(List<String> names) {
        return check -> names.stream().map(String::strip).filter(s -> !s.isEmpty())
                .anyMatch(s -> check.equals(s) || check.startsWith(s + "."));
    }

    /** One check per file the agent tails now (globs expanded, as the agent does); {@code tailed} receives the files. */
    private static List<Check> logFileChecks(DoctorContext ctx, AgentConfig agent, Set<Path> tailed) {
        List<String> include = agent.files().include();
        if (include.isEmpty()) {
            return List.of(new Fixed(CheckResult.skip("logfile", "the agent tails no file (" + sources(agent) + ")")));
        }
        List<Check> out = new ArrayList<>();
        try {
            tailed.addAll(new FileDiscovery(include, agent.files().exclude()).discover());
        } catch (IOException e) {
            return List.of(new Fixed(CheckResult.fail("logfile", "sources.files.include cannot be listed: " + e.getMessage(),
                    "fix sources.files.include in the agent config")));
        }
        for (String pattern : include) {
            Path p = Path.of(pattern);
            boolean matched = tailed.contains(p) || tailed.stream().anyMatch(t -> p.getParent() != null && p.getParent().equals(t.getParent())
                    && p.getFileSystem().getPathMatcher("glob:" + p.getFileName()).matches(t.getFileName()));
            if (!matched) {
                out.add(new Fixed(CheckResult.fail("logfile", "no file matches " + pattern, "point sources.files.include at the files "
                        + "Skulk writes (SKULK_LOG_FILE in " + ctx.envFileName() + ")")));
            }
        }
        for (Path p : tailed) {
            out.add(new LogFileCheck(ctx, p));
        }
        return out;
    }

    private static String sources(AgentConfig agent) {
        List<String> s = new ArrayList<>(agent.files().include());
        if (agent.stdin().enabled()) {
            s.add("stdin");
        }
        if (agent.journald().enabled()) {
            s.add("journald");
        }
        return String.join(", ", s);
    }
}
