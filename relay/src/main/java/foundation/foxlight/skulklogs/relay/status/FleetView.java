package foundation.foxlight.skulklogs.relay.status;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the relay knows of every node: from the agents' heartbeats (version, buffer, counters) and from the
 * data itself (last line seen, lines per minute). A node is {@code silent} when neither a heartbeat nor a
 * line came for three heartbeat intervals (or 90 s when it never sent a heartbeat), and {@code stopped} instead when
 * its last heartbeat said it stopped cleanly (lines of its backlog relayed after that show it {@code ok} while they
 * come).
 *
 * <p>Confined to the relay's event loop (not thread-safe).
 */
public final class FleetView {
    private static final int BUCKETS = 12;
    private static final long BUCKET_MILLIS = 5_000;
    private static final long DEFAULT_SILENCE_MILLIS = 90_000;
    /** A node heard from within its silence window. */
    public static final String OK = "ok";
    /** A node neither a heartbeat nor a line came from for three heartbeat intervals. */
    public static final String SILENT = "silent";
    /** A node whose agent said, in its last heartbeat, that it stopped cleanly, and no line came since. */
    public static final String STOPPED = "stopped";

    private static final class Node {
        JsonObject heartbeat;
        long heartbeatAt;
        long lastLineAt;
        long linesTotal;
        final long[] buckets = new long[BUCKETS];
        final long[] bucketStart = new long[BUCKETS];
    }

    private final Map<String, Node> nodes = new TreeMap<>();

    /** A heartbeat document from the status topic, received at {@code now}. */
    public void heartbeat(JsonObject doc, long now) {
        String id = doc.getString("node_id");
        if (id == null || id.isBlank()) {
            return;
        }
        Node n = nodes.computeIfAbsent(id, k -> new Node());
        n.heartbeat = doc;
        n.heartbeatAt = now;
    }

    /** {@code count} lines of {@code nodeId} went through the relay at {@code now}. */
    public void lines(String nodeId, int count, long now) {
        Node n = nodes.computeIfAbsent(nodeId, k -> new Node());
        n.lastLineAt = now;
        n.linesTotal += count;
        long start = now - now % BUCKET_MILLIS;
        int i = (int) ((start / BUCKET_MILLIS) % BUCKETS);
        if (n.bucketStart[i] != start) {
            n.bucketStart[i] = start;
            n.buckets[i] = 0;
        }
        n.buckets[i] += count;
    }

    /** How many nodes are {@code ok}, {@code silent} and {@code stopped} at {@code now}. */
    public Map<String, Long> countByStatus(long now) {
        Map<String, Long> counts = new TreeMap<>(Map.of(OK, 0L, SILENT, 0L, STOPPED, 0L));
        nodes.values().forEach(n -> counts.merge(status(n, now), 1L, Long::sum));
        return counts;
    }

    private static String status(Node n, long now) {
        long lastSeen = Math.max(n.heartbeatAt, n.lastLineAt);
        long silence = n.heartbeat == null ? DEFAULT_SILENCE_MILLIS : 3 * n.heartbeat.getLong("interval_ms", 30_000L);
        if (n.heartbeat != null && n.heartbeat.getBoolean("stopped", false)) {
            return n.lastLineAt > n.heartbeatAt && now - n.lastLineAt <= silence ? OK : STOPPED;
        }
        return now - lastSeen > silence ? SILENT : OK;
    }

    /** The fleet as JSON: {@code {"generated_at": ms, "nodes": [...]}}, nodes sorted by id. */
    public JsonObject toJson(long now) {
        JsonArray out = new JsonArray();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Node n = e.getValue();
            long perMinute = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (now - n.bucketStart[i] < BUCKETS * BUCKET_MILLIS) {
                    perMinute += n.buckets[i];
                }
            }
            JsonObject node = new JsonObject().put("node_id", e.getKey())
                    .put("status", status(n, now))
                    .put("last_line_at", n.lastLineAt == 0 ? null : n.lastLineAt)
                    .put("lines_per_min", perMinute)
                    .put("lines_relayed", n.linesTotal)
                    .put("seconds_since_heartbeat", n.heartbeat == null ? null : (now - n.heartbeatAt) / 1000);
            if (n.heartbeat != null) {
                for (String k : new String[] {"agent_version", "sources", "buffer_bytes", "oldest_unacked_age_ms", "lines_read", "lines_shipped",
                        "lines_flagged", "lines_dropped"}) {
                    node.put(k, n.heartbeat.getValue(k));
                }
            }
            out.add(node);
        }
        return new JsonObject().put("generated_at", now).put("nodes", out);
    }
}
