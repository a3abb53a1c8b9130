package foundation.foxlight.skulklogs.relay.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FleetViewTest {
    private static JsonObject heartbeat(String node, long intervalMs) {
        return new JsonObject().put("node_id", node).put("agent_version", "1.2.3").put("interval_ms", intervalMs)
                .put("sources", new JsonArray().add("file /x")).put("buffer_bytes", 4096).put("oldest_unacked_age_ms", 1500)
                .put("lines_read", 10).put("lines_shipped", 9).put("lines_flagged", 2).put("lines_dropped", 1);
    }

    private static JsonObject node(JsonObject fleet, String id) {
        return fleet.getJsonArray("nodes").stream().map(JsonObject.class::cast).filter(n -> n.getString("node_id").equals(id))
                .findFirst().orElseThrow();
    }

    @Test
    void aNodeIsShownFromItsHeartbeatAndItsLines() {
        FleetView view = new FleetView();
        long t0 = 1_000_000_000L;
        view.heartbeat(heartbeat("mini-1", 30_000), t0);
        view.lines("mini-1", 100, t0 + 1000);
        view.lines("mini-1", 50, t0 + 20_000);
        JsonObject n = node(view.toJson(t0 + 21_000), "mini-1");
        assertThat(n.getString("status")).isEqualTo("ok");
        assertThat(n.getLong("lines_per_min")).isEqualTo(150);
        assertThat(n.getLong("last_line_at")).isEqualTo(t0 + 20_000);
        assertThat(n.getString("agent_version")).isEqualTo("1.2.3");
        assertThat(n.getLong("buffer_bytes")).isEqualTo(4096);
        assertThat(n.getLong("lines_dropped")).isEqualTo(1);
        assertThat(n.getLong("seconds_since_heartbeat")).isEqualTo(21);
    }

    @Test
    void linesOlderThanAMinuteLeaveTheRate_andANodeSilentForThreeIntervalsIsSilent() {
        FleetView view = new FleetView();
        long t0 = 2_000_000_000L;
        view.heartbeat(heartbeat("laptop-3", 10_000), t0);
        view.lines("laptop-3", 500, t0);
        assertThat(node(view.toJson(t0 + 29_000), "laptop-3").getString("status")).isEqualTo("ok");
        JsonObject later = node(view.toJson(t0 + 31_000), "laptop-3");
        assertThat(later.getString("status")).isEqualTo("silent");
        assertThat(node(view.toJson(t0 + 61_000), "laptop-3").getLong("lines_per_min")).isZero();
        assertThat(later.getLong("lines_relayed")).isEqualTo(500);
    }

    @Test
    void aNodeKnownOnlyFromItsLinesHasNoAgentDetails() {
        FleetView view = new FleetView();
        view.lines("via-ingest", 3, 5_000_000L);
        JsonObject n = node(view.toJson(5_000_100L), "via-ingest");
        assertThat(n.getString("status")).isEqualTo("ok");
        assertThat(n.getValue("agent_version")).isNull();
        assertThat(n.getValue("seconds_since_heartbeat")).isNull();
        assertThat(node(view.toJson(5_000_000L + 91_000), "via-ingest").getString("status")).isEqualTo("silent");
    }

    @Test
    void countsNodesByStatusForTheFleetGauge() {
        FleetView view = new FleetView();
        long t0 = 3_000_000_000L;
        assertThat(view.countByStatus(t0)).containsEntry("ok", 0L).containsEntry("silent", 0L);
        view.heartbeat(heartbeat("quiet", 10_000), t0);
        view.heartbeat(heartbeat("busy", 10_000), t0);
        view.lines("busy", 5, t0 + 35_000);
        assertThat(view.countByStatus(t0 + 36_000)).containsEntry("ok", 1L).containsEntry("silent", 1L);
    }

    @Test
    void anAgentThatStoppedCleanlyIsStopped_notSilent_untilItComesBack() {
        FleetView view = new FleetView();
        long t0 = 4_000_000_000L;
        view.heartbeat(heartbeat("laptop-1", 10_000), t0);
        view.lines("laptop-1", 100, t0 + 1_000);
        view.heartbeat(heartbeat("laptop-1", 10_000).put("stopped", true), t0 + 2_000);
        assertThat(node(view.toJson(t0 + 2_500), "laptop-1").getString("status")).isEqualTo("stopped");
        // its backlog, relayed after it stopped: ok while it comes, stopped (never silent) once it is through
        view.lines("laptop-1", 50, t0 + 5_000);
        assertThat(node(view.toJson(t0 + 6_000), "laptop-1").getString("status")).isEqualTo("ok");
        assertThat(node(view.toJson(t0 + 600_000), "laptop-1").getString("status")).isEqualTo("stopped");
        assertThat(view.countByStatus(t0 + 600_000)).containsEntry("stopped", 1L).containsEntry("silent", 0L);
        // started again: its first heartbeat says so
        view.heartbeat(heartbeat("laptop-1", 10_000).put("stopped", false), t0 + 700_000);
        assertThat(node(view.toJson(t0 + 701_000), "laptop-1").getString("status")).isEqualTo("ok");
        assertThat(node(view.toJson(t0 + 731_000), "laptop-1").getString("status")).isEqualTo("silent");
    }
}
