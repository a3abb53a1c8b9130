package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code skulk.env}: Skulk's env file agrees with the agent. Skulk prints JSON on stdout only with
 * {@code SKULK_LOGGING_EXTERNAL=1}, which the file and journald sources need; {@code SKULK_LOGGING_INGEST_URL}, when
 * set, carries {@code _stream_fields=node_id,component&_msg_field=msg&_time_field=ts} (else VictoriaLogs stores the
 * lines without message, time or streams) and, next to an installed agent, ships every line a second time;
 * {@code SKULK_LOG_FILE} is among the files the agent tails.
 *
 * @param tailed the files the agent tails now (its include list, globs expanded)
 */
record SkulkEnvCheck(DoctorContext ctx, Set<Path> tailed) implements Check {
    static final String INGEST_QUERY = "_stream_fields=node_id,component&_msg_field=msg&_time_field=ts";

    SkulkEnvCheck {
        tailed = Set.copyOf(tailed);
    }

    @Override
    public String name() {
        return "skulk.env";
    }

    @Override
    public CheckResult run() throws Exception {
        AgentConfig agent = ctx.agent();
        Map<String, String> env = ctx.settings().skulkEnv();
        String file = ctx.envFileName();
        boolean needsJson = !agent.files().include().isEmpty() || agent.journald().enabled();
        String externalFix = "set SKULK_LOGGING_EXTERNAL=1 in " + file + " and restart Skulk";
        if (env == null) {
            return needsJson ? CheckResult.fail(name(), file + " does not exist: Skulk prints no JSON on stdout for the agent to read",
                    "create " + file + " with the line SKULK_LOGGING_EXTERNAL=1 and restart Skulk")
                    : CheckResult.skip(name(), file + " does not exist");
        }
        Findings f = new Findings(name());
        String external = env.get("SKULK_LOGGING_EXTERNAL");
        if (needsJson) {
            if ("1".equals(external == null ? null : external.strip())) {
                f.fact("SKULK_LOGGING_EXTERNAL=1");
            } else {
                f.fail("SKULK_LOGGING_EXTERNAL is " + (external == null ? "not set" : "'" + external + "'") + " in " + file
                        + ": Skulk prints no JSON on stdout, so the agent reads nothing or plain text", externalFix);
            }
        }
        String ingest = env.get("SKULK_LOGGING_INGEST_URL");
        if (ingest != null && !ingest.isBlank()) {
            checkIngestUrl(f, ingest.strip(), file);
        }
        String logFile = env.get("SKULK_LOG_FILE");
        if (logFile != null && !logFile.isBlank() && !agent.files().include().isEmpty()) {
            Path p = expand(logFile.strip());
            if (!tailed.contains(p)) {
                f.warn("Skulk writes " + p + " (SKULK_LOG_FILE in " + file + ") but the agent tails " + agent.files().include(),
                        "add it to sources.files.include in the agent config, or remove sources.files.include so that the agent "
                                + "follows SKULK_LOG_FILE");
            }
        }
        if (f.status() == Status.OK && env.isEmpty()) {
            f.fact(file + " is empty");
        }
        return f.result();
    }

    private void checkIngestUrl(Findings f, String url, String file) throws Exception {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            f.fail("SKULK_LOGGING_INGEST_URL in " + file + " is not a URL: " + url, "fix it, or remove it and let the agent ship");
            return;
        }
        String base = uri.getScheme() + "://" + uri.getRawAuthority() + "/insert/jsonline?" + INGEST_QUERY;
        Map<String, String> q = query(uri.getRawQuery());
        boolean right = "/insert/jsonline".equals(uri.getPath())
                && set(q.get("_stream_fields")).equals(Set.of("node_id", "component"))
                && "msg".equals(q.get("_msg_field")) && "ts".equals(q.get("_time_field"));
        if (!right) {
            f.fail("SKULK_LOGGING_INGEST_URL in " + file + " is " + url + ": without /insert/jsonline?" + INGEST_QUERY
                    + " VictoriaLogs stores Skulk's lines without message, time or streams",
                    "set SKULK_LOGGING_INGEST_URL=" + base + " in " + file + " and restart Skulk");
        }
        if (ctx.agentPresent()) {
            String how = uri.getPort() == 9428 ? "straight into VictoriaLogs at " + uri.getRawAuthority() + ", bypassing Kafka,"
                    : "to " + uri.getRawAuthority();
            f.warn("Skulk ships its lines itself " + how + " (SKULK_LOGGING_INGEST_URL) and the agent ships the same lines: "
                    + "every line is stored twice", "remove SKULK_LOGGING_INGEST_URL from " + file + " (the agent ships the log "
                    + "file) and restart Skulk");
        } else {
            f.fact("Skulk ships to " + uri.getRawAuthority() + " itself (SKULK_LOGGING_INGEST_URL)");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Set<String> set(String commaList) {
        Set<String> out = new HashSet<>();
        if (commaList != null) {
            Arrays.stream(commaList.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private Path expand(String p) {
        return p.equals("~") ? ctx.settings().home() : p.startsWith("~/") ? ctx.settings().home().resolve(p.substring(2)) : Path.of(p);
    }
}
