package foundation.foxlight.skulklogs.agent.telemetry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The agent's periodic heartbeat, a JSON document on the status topic (key = node id) from which the
 * relay's fleet view shows each node. Field names are the contract with {@code relay.status.FleetView}.
 *
 * @param nodeId            the node
 * @param agentVersion      the agent's version
 * @param sentAtMillis      when it was sent
 * @param intervalMillis    how often heartbeats are sent (a node silent for 3 intervals is shown as silent)
 * @param sources           what the agent reads ({@code file /path}, {@code stdin}, {@code journald ...})
 * @param bufferBytes       disk buffer bytes on disk
 * @param oldestUnackedAgeMillis age of the oldest buffer record Kafka has not acknowledged (0 when none)
 * @param linesRead         lines read since start
 * @param linesShipped      lines acknowledged by Kafka since start
 * @param linesFlagged      lines changed on the way (not JSON, invalid UTF-8, split, partial)
 * @param linesDropped      lines not shipped, counted by reason
 * @param stopped           the last heartbeat of an agent stopping cleanly (the fleet view shows it stopped, not silent)
 */
public record Heartbeat(String nodeId, String agentVersion, long sentAtMillis, long intervalMillis, java.util.List<String> sources,
        long bufferBytes, long oldestUnackedAgeMillis, long linesRead, long linesShipped, long linesFlagged, long linesDropped, boolean stopped) {

    public JsonObject toJson() {
        return new JsonObject().put("node_id", nodeId).put("agent_version", agentVersion).put("sent_at", sentAtMillis)
                .put("interval_ms", intervalMillis).put("sources", new JsonArray(sources)).put("buffer_bytes", bufferBytes)
                .put("oldest_unacked_age_ms", oldestUnackedAgeMillis).put("lines_read", linesRead).put("lines_shipped", linesShipped)
                .put("lines_flagged", linesFlagged).put("lines_dropped", linesDropped).put("stopped", stopped);
    }
}
