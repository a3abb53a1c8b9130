package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps lines to VictoriaLogs tenants: a line sent to the relay's ingest with tenant headers goes to that tenant
 * ({@link PipelineFields#TENANT}, as VictoriaLogs itself would store it); otherwise the first route whose glob
 * ({@code *}, {@code ?}) matches the line's {@code node_id} gives its {@code AccountID}/{@code ProjectID}; lines of
 * other nodes go to the sink's default tenant. Immutable and thread-safe.
 */
public final class TenantRouter {
    /** A tenant: VictoriaLogs' {@code AccountID} and {@code ProjectID} (uint32 each). */
    public record Tenant(long accountId, long projectId) {
        private static final long MAX_ID = 0xFFFF_FFFFL;

        /**
         * Parses {@code "AccountID:ProjectID"}.
         *
         * @throws NumberFormatException unless it is two numbers 0-4294967295 separated by a colon
         */
        public static Tenant parse(String text) {
            String[] parts = text.trim().split(":");
            if (parts.length != 2) {
                throw new NumberFormatException("not AccountID:ProjectID: " + text);
            }
            long account = Long.parseLong(parts[0].trim());
            long project = Long.parseLong(parts[1].trim());
            if (account < 0 || project < 0 || account > MAX_ID || project > MAX_ID) {
                throw new NumberFormatException("not uint32: " + text);
            }
            return new Tenant(account, project);
        }
    }

    private record Route(String glob, Pattern pattern, Tenant tenant) {
    }

    private final List<Route> routes;

    private TenantRouter(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** No routes: every line goes to the default tenant. */
    public static TenantRouter none() {
        return new TenantRouter(List.of());
    }

    /**
     * Parses {@code glob -> "account:project"} routes, in order; every malformed one is added to {@code problems}
     * (with {@code victorialogs.tenants.<glob>} as its key).
     */
    public static TenantRouter parse(Map<String, String> routes, List<String> problems) {
        List<Route> out = new ArrayList<>();
        routes.forEach((glob, value) -> {
            try {
                out.add(new Route(glob, toRegex(glob), Tenant.parse(value)));
            } catch (NumberFormatException e) {
                problems.add("victorialogs.tenants." + glob + ": must be \"AccountID:ProjectID\" (two numbers 0-4294967295), got '"
                        + value + "'");
            }
        });
        return new TenantRouter(out);
    }

    /**
     * The tenant of a line: the one named in its {@link PipelineFields#TENANT} (a malformed value, which the ingest
     * never writes, is ignored), else the one its node's route gives; null for the default tenant.
     */
    public Tenant tenantOf(LogEvent line) {
        if (line.get(PipelineFields.TENANT) instanceof String named) {
            try {
                return Tenant.parse(named);
            } catch (NumberFormatException e) {
                // not written by the ingest (which validates the headers): route the line like any other
            }
        }
        return tenantOfNode(line.get(LogEvent.NODE_ID) instanceof String s ? s : null);
    }

    /** The tenant of a node by the routes, or null for the default tenant. */
    public Tenant tenantOfNode(String nodeId) {
        if (nodeId != null) {
            for (Route r : routes) {
                if (r.pattern().matcher(nodeId).matches()) {
                    return r.tenant();
                }
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /** The routes, for logs and docs. */
    public Map<String, Tenant> routes() {
        Map<String, Tenant> m = new LinkedHashMap<>();
        routes.forEach(r -> m.put(r.glob(), r.tenant()));
        return m;
    }

    private static Pattern toRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }
}
