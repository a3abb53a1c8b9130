package foundation.foxlight.skulklogs.relay.status;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import foundation.foxlight.skulklogs.common.kafka.KafkaClients;
import foundation.foxlight.skulklogs.relay.source.kafka.KafkaSourceConfig;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet, visible: reads every agent heartbeat from the status topic (from the beginning, with a group of
 * its own, committing nothing — each relay instance sees the whole fleet) into a {@link FleetView}, and serves
 * it at {@code GET /status.json} and as a page at {@code GET /status}.
 *
 * <p>Runs on the event loop of the relay's context. Lifecycle: {@link #start}, {@link #close}.
 */
public final class FleetStatus {
    private static final Logger LOG = LoggerFactory.getLogger(FleetStatus.class);

    private static final long GAUGE_REFRESH_MILLIS = 5_000;

    private final Vertx vertx;
    private final FleetView view = new FleetView();
    private final Map<String, AtomicLong> nodesByStatus = Map.of(FleetView.OK, new AtomicLong(), FleetView.SILENT, new AtomicLong(),
            FleetView.STOPPED, new AtomicLong());
    private KafkaConsumer<String, byte[]> consumer;
    private long gaugeTimer = -1;

    /** Registers {@code skulk_relay_fleet_nodes{status="ok|silent|stopped"}} (refreshed every 5 s on the event loop, read from atomics by the scrape). */
    public FleetStatus(Vertx vertx, MeterRegistry registry) {
        this.vertx = vertx;
        nodesByStatus.forEach((status, value) -> Gauge.builder("skulk_relay_fleet_nodes", value, AtomicLong::get)
                .tag("status", status).description("nodes of the fleet by status; silent = no heartbeat nor line for three heartbeat intervals, "
                        + "stopped = the agent said it stopped cleanly")
                .register(registry));
    }

    public FleetView view() {
        return view;
    }

    /** Mounts {@code /status} and {@code /status.json}. */
    public void mount(Router router) {
        router.get("/status.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end(view.toJson(System.currentTimeMillis()).encodePrettily()));
        router.get("/status").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(StatusPage.HTML));
    }

    /** Starts following the status topic, from its beginning, in a group of its own that commits nothing. */
    public Future<Void> start(KafkaSourceConfig kafka, String clientId) {
        Map<String, String> p = KafkaClients.manualCommitConsumer(kafka.bootstrapServers(), clientId,
                "skulk-logs-fleet-" + UUID.randomUUID(), Map.of("auto.offset.reset", "earliest"), kafka.security(),
                kafka.properties());
        consumer = KafkaConsumer.create(vertx, p);
        consumer.handler(r -> {
            try {
                view.heartbeat(new JsonObject(new String(r.value(), StandardCharsets.UTF_8)), System.currentTimeMillis());
            } catch (RuntimeException e) {
                LOG.debug("ignoring a status record that is not a heartbeat: {}", e.toString());
            }
        });
        consumer.exceptionHandler(t -> LOG.debug("status topic: {}", t.toString()));
        gaugeTimer = vertx.setPeriodic(0, GAUGE_REFRESH_MILLIS, id -> refreshGauges(System.currentTimeMillis()));
        return consumer.subscribe(kafka.statusTopic());
    }

    /** Copies the node counts for the metrics scrape; on the event loop that owns the view. */
    void refreshGauges(long now) {
        view.countByStatus(now).forEach((status, n) -> nodesByStatus.get(status).set(n));
    }

    public Future<Void> close() {
        if (gaugeTimer >= 0) {
            vertx.cancelTimer(gaugeTimer);
        }
        return consumer == null ? Future.succeededFuture() : consumer.close();
    }
}
