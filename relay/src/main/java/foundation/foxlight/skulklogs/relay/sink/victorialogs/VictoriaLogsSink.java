package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import foundation.foxlight.skulklogs.common.delivery.Backoff;
import foundation.foxlight.skulklogs.relay.deadletter.DeadLetterQueue;
import foundation.foxlight.skulklogs.relay.sink.DeliveryLines;
import foundation.foxlight.skulklogs.relay.sink.EventSink;
import foundation.foxlight.skulklogs.relay.telemetry.RelayMetrics;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VictoriaLogs {@link EventSink}: the sink loop around the request builder (guards, gzip — run on a
 * worker), the service (one HTTP call, outcome as a value) and the rejected-line splitter.
 *
 * <ul>
 *   <li>{@link InsertOutcome.Delivered}: the delivery completes.</li>
 *   <li>{@link InsertOutcome.Retry} (store down, 429, 503, timeouts): the same events are sent again after
 *       a backoff with jitter (or the server's Retry-After), forever, until delivered or stopped. The request is
 *       built again from {@link DeliveryLines#read()} (so the time guards use the time of the resend); no decoded
 *       events are held while a request is in flight or waits.</li>
 *   <li>{@link InsertOutcome.Rejected} for content (400, 413, 422): the batch is bisected; accepted parts are
 *       delivered, each event refused alone is written to the dead-letter topic with the server's message,
 *       and only then does the delivery complete.</li>
 *   <li>{@link InsertOutcome.Rejected} otherwise (404, 401, ...: the relay is misconfigured): logged as such,
 *       retried with backoff; nothing is dead-lettered, since no line is at fault.</li>
 * </ul>
 *
 * <p>At most {@code maxRequests} insert requests are outstanding at once ({@link InsertSlots}, all tenants together;
 * the bisection after a 400 sends its own, one at a time). A delivery builds its request first and then waits for a
 * slot, so batches handed over beyond that limit have their requests ready when a slot frees.
 *
 * <p>Lines of several tenants ({@link TenantRouter}) in one delivery are split into one delivery per tenant, which
 * completes when all of them are.
 *
 * <p>Called on the relay's event loop; completes deliveries there. Lines are read and tenants grouped on worker
 * threads; requests are built on the shared worker pool {@value #BUILD_POOL} (at least 2 threads, half the CPUs), taken
 * in the order deliveries arrive: after a start the first requests are ready first, instead of every batch handed
 * over being built at once on the general worker pool.
 */
public final class VictoriaLogsSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(VictoriaLogsSink.class);

    /** The worker pool that builds requests (shared by name within a Vert.x instance, closed with it). */
    public static final String BUILD_POOL = "skulk-relay-request-build";

    private final Vertx vertx;
    private final InsertSlots slots;
    private final WorkerExecutor builders;
    /** What one tenant's requests go through: its own headers, same store. */
    private record Lane(VictoriaLogsRequestBuilder builder, VictoriaLogsService service, RejectedLineSplitter splitter) {
    }

    private final Lane defaultLane;
    private final Map<TenantRouter.Tenant, Lane> lanes = new java.util.concurrent.ConcurrentHashMap<>();
    private final TenantRouter tenants;
    private final WebClient client;
    private final VictoriaLogsSinkConfig config;
    private final DeadLetterQueue deadLetters;
    private final RelayMetrics metrics;
    /**
     * Between attempts while the store fails: 200 ms doubling up to 5 s (with jitter; a Retry-After hint wins). The cap
     * bounds how long a drained backlog waits after the store comes back (measured: 9 s of an 11 s catch-up with 30 s);
     * a store that is down costs at most {@code batch.max_in_flight} refused requests per 5 s.
     */
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    private final String url;
    private volatile boolean stopped;
    private boolean failing; // the store's last answer was not a success
    private long lastDownLog;

    /** One tenant, no limit on outstanding requests other than what the caller hands over. */
    public VictoriaLogsSink(Vertx vertx, WebClient client, VictoriaLogsSinkConfig config, DeadLetterQueue deadLetters,
            RelayMetrics metrics) {
        this(vertx, client, config, TenantRouter.none(), deadLetters, metrics, Integer.MAX_VALUE);
    }

    /**
     * @param tenants     which lines go to which tenant; the others go to {@code config}'s tenant
     * @param maxRequests insert requests outstanding at most ({@code batch.max_in_flight})
     */
    public VictoriaLogsSink(Vertx vertx, WebClient client, VictoriaLogsSinkConfig config, TenantRouter tenants,
            DeadLetterQueue deadLetters, RelayMetrics metrics, int maxRequests) {
        this.vertx = vertx;
        this.slots = new InsertSlots(maxRequests);
        this.builders = vertx.createSharedWorkerExecutor(BUILD_POOL, Math.max(2, Runtime.getRuntime().availableProcessors() / 2));
        this.client = client;
        this.config = config;
        this.tenants = tenants;
        this.defaultLane = lane(config);
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.url = config.url();
    }

    private Lane lane(VictoriaLogsSinkConfig c) {
        VictoriaLogsRequestBuilder builder = new VictoriaLogsRequestBuilder(c);
        VictoriaLogsService service = new VictoriaLogsService(client, c);
        return new Lane(builder, service, new RejectedLineSplitter(vertx, builder, service, Instant::now));
    }

    private Lane laneOf(LogEvent e) {
        TenantRouter.Tenant t = tenants.tenantOf(e);
        return t == null ? defaultLane : lanes.computeIfAbsent(t, k -> lane(config.withTenant(k.accountId(), k.projectId())));
    }

    /** What a delivery's lines became on a build worker: one request for its lane, or its lines split by tenant. */
    private record Prepared(VictoriaLogsRequest request, Map<Lane, List<LogEvent>> byLane) {
    }

    @Override
    public Future<Void> deliver(DeliveryLines lines) {
        Promise<Void> done = Promise.promise();
        attempt(defaultLane, lines, done);
        return done.future();
    }

    /**
     * Reads the lines (on a build worker). On the default lane, lines of other tenants split the delivery: each
     * tenant's lines are then held decoded and delivered on their lane, and the delivery completes when all are.
     * Otherwise it builds the lane's request.
     */
    private Prepared prepare(Lane lane, DeliveryLines lines) {
        List<LogEvent> events = lines.read();
        if (lane == defaultLane && events.stream().anyMatch(e -> laneOf(e) != defaultLane)) {
            Map<Lane, List<LogEvent>> byLane = new java.util.LinkedHashMap<>();
            for (LogEvent e : events) {
                byLane.computeIfAbsent(laneOf(e), k -> new ArrayList<>()).add(e);
            }
            return new Prepared(null, byLane);
        }
        long started = System.nanoTime();
        VictoriaLogsRequest request = lane.builder().build(events, Instant.now());
        metrics.requestBuild().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return new Prepared(request, null);
    }

    private void deliverByLane(Map<Lane, List<LogEvent>> byLane, Promise<Void> done) {
        List<Future<Void>> all = new ArrayList<>();
        byLane.forEach((lane, group) -> {
            Promise<Void> laneDone = Promise.promise();
            attempt(lane, DeliveryLines.of(group), laneDone);
            all.add(laneDone.future());
        });
        Future.all(all).<Void>mapEmpty().onComplete(done);
    }

    private void attempt(Lane lane, DeliveryLines lines, Promise<Void> done) {
        if (stopped) {
            done.tryFail("the VictoriaLogs sink was stopped before delivery");
            return;
        }
        builders.executeBlocking(() -> prepare(lane, lines), false).onComplete(built -> {
            if (built.failed()) {
                // A bug, not the store. Keep the lines; retry like any failure.
                retryLater(lane, lines, done, new InsertOutcome.Retry("could not build the request: " + built.cause(), 0, null));
            } else if (built.result().byLane() != null) {
                deliverByLane(built.result().byLane(), done);
            } else {
                send(lane, lines, built.result().request(), done);
            }
        });
    }

    private void send(Lane lane, DeliveryLines lines, VictoriaLogsRequest request, Promise<Void> done) {
        countGuards(request.guards());
        slots.acquire().compose(slot -> {
            long sent = System.nanoTime();
            return lane.service().send(request).onComplete(ar -> {
                slots.release();
                metrics.insertLatency().record(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
            });
        }).onComplete(ar -> {
            if (ar.failed()) {
                // The service answers with outcomes, never failures: a bug. Keep the lines; retry like any failure.
                retryLater(lane, lines, done, new InsertOutcome.Retry("could not send the request: " + ar.cause(), 0, null));
                return;
            }
            InsertOutcome outcome = ar.result();
            if (outcome instanceof InsertOutcome.Delivered) {
                delivered(lines.count());
                done.tryComplete();
            } else if (outcome instanceof InsertOutcome.Retry retry) {
                retryLater(lane, lines, done, retry);
            } else if (outcome instanceof InsertOutcome.Rejected rejected && rejected.isContentRejection()) {
                settleRejected(lane, lines, rejected, done);
            } else {
                InsertOutcome.Rejected rejected = (InsertOutcome.Rejected) outcome;
                retryLater(lane, lines, done, new InsertOutcome.Retry("VictoriaLogs answered " + rejected.status()
                        + " (check victorialogs.url and any proxy or auth in front of it): " + rejected.message(),
                        rejected.status(), null));
            }
        });
    }

    private void delivered(int n) {
        metrics.linesOut(n);
        backoff.reset();
        if (failing) {
            LOG.info("VictoriaLogs at {} accepts lines again", url);
            failing = false;
        }
    }

    private void retryLater(Lane lane, DeliveryLines lines, Promise<Void> done, InsertOutcome.Retry retry) {
        long delay = Math.max(backoff.nextDelayMillis(), retry.retryAfterHint().map(Duration::toMillis).orElse(0L));
        metrics.insertFailed(retry.status() == 0 ? "io" : String.valueOf(retry.status()));
        long now = System.currentTimeMillis();
        if (!failing || now - lastDownLog > 30_000) {
            LOG.warn("VictoriaLogs at {} did not take {} lines: {}. They stay in Kafka (offsets not committed); retrying in {} ms",
                    url, lines.count(), retry.reason(), delay);
            lastDownLog = now;
        }
        failing = true;
        vertx.setTimer(delay, id -> attempt(lane, lines, done));
    }

    /** Reads the lines again (on a worker) and bisects them (see {@link RejectedLineSplitter}). */
    private void settleRejected(Lane lane, DeliveryLines lines, InsertOutcome.Rejected rejected, Promise<Void> done) {
        vertx.executeBlocking(lines::read, false).onComplete(read -> {
            if (read.failed()) {
                retryLater(lane, lines, done, new InsertOutcome.Retry("reading a rejected batch again failed: " + read.cause(), 0, null));
            } else {
                settleRejected(lane, lines, read.result(), rejected, done);
            }
        });
    }

    private void settleRejected(Lane lane, DeliveryLines lines, List<LogEvent> events, InsertOutcome.Rejected rejected,
            Promise<Void> done) {
        lane.splitter().split(events, rejected).onComplete(ar -> {
            if (ar.failed()) {
                retryLater(lane, lines, done, new InsertOutcome.Retry("splitting a rejected batch failed: " + ar.cause(), 0, null));
                return;
            }
            SplitResult result = ar.result();
            if (result.deliveredCount() > 0) {
                delivered(result.deliveredCount());
            }
            List<Future<Void>> written = new ArrayList<>();
            for (SplitResult.RejectedEvent r : result.rejected()) {
                written.add(deadLetter(r));
            }
            Future.all(written).onComplete(w -> {
                if (w.failed()) {
                    // Not all written: keep the whole remainder (rejected + pending) and try again later.
                    List<LogEvent> again = new ArrayList<>();
                    result.rejected().forEach(r -> again.add(r.event()));
                    result.pending().forEach(i -> again.add(events.get(i)));
                    retryLater(lane, DeliveryLines.of(again), done, new InsertOutcome.Retry("writing rejected lines to the dead-letter topic failed: "
                            + w.cause(), 0, null));
                    return;
                }
                metrics.deadLettered("rejected_by_store", result.rejected().size());
                if (result.isComplete()) {
                    done.tryComplete();
                } else {
                    List<LogEvent> pending = result.pending().stream().map(events::get).toList();
                    InsertOutcome why = result.interruptedBy();
                    retryLater(lane, DeliveryLines.of(pending), done, why instanceof InsertOutcome.Retry r ? r
                            : new InsertOutcome.Retry("interrupted: " + why, 0, null));
                }
            });
        });
    }

    private Future<Void> deadLetter(SplitResult.RejectedEvent r) {
        LogEvent e = r.event();
        String key = e.get(LogEvent.NODE_ID) instanceof String s ? s : "";
        LOG.warn("VictoriaLogs refused a line from {} ({} {}); sent to the dead-letter topic {}", key, r.status(), r.reason(),
                deadLetters.topic());
        return deadLetters.send(key, "VictoriaLogs answered " + r.status() + ": " + r.reason(), "victorialogs " + url,
                LogEventJson.toJson(e), null);
    }

    private void countGuards(GuardReport report) {
        if (report.isEmpty()) {
            return;
        }
        for (Map.Entry<GuardReason, Long> e : report.counts().entrySet()) {
            metrics.guard(e.getKey().code(), e.getValue());
        }
    }

    @Override
    public void stop() {
        stopped = true;
    }
}
