package foundation.foxlight.skulklogs.common.telemetry;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The local HTTP endpoint of a component: {@code GET /health} (200 when every {@link HealthCheck} is up,
 * else 503; a JSON body says which check is down and why) and {@code GET /metrics} (Prometheus text).
 * Further routes (status pages, ingest) can be mounted on {@link #router()} before {@link #start}.
 *
 * <p>Runs on the event loop of the {@link Vertx} it was given. Lifecycle: {@link #start}, {@link #close}.
 */
public final class TelemetryServer {
    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final List<HealthCheck> checks;
    private final Router router;
    private HttpServer server;

    public TelemetryServer(Vertx vertx, PrometheusMeterRegistry registry, List<HealthCheck> checks) {
        this.vertx = vertx;
        this.registry = registry;
        this.checks = List.copyOf(checks);
        this.router = Router.router(vertx);
        // Every answer carries the server's clock (RFC 7231 Date), so `skulk-logs doctor` can measure clock skew.
        router.route().handler(ctx -> {
            ctx.response().putHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
            ctx.next();
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        router.get("/health").handler(ctx -> health().onComplete(ar -> {
            JsonObject body = ar.result();
            ctx.response()
                    .setStatusCode(body.getBoolean("ready") ? 200 : 503)
                    .putHeader("Content-Type", "application/json")
                    .end(body.encodePrettily() + "\n");
        }));
    }

    /** The router, to mount more routes on before {@link #start}. */
    public Router router() {
        return router;
    }

    /** Runs every check and gathers them into {@code {"ready": bool, "checks": {name: {up, detail}}}}. */
    public Future<JsonObject> health() {
        List<Future<HealthCheck.Status>> futures = new ArrayList<>();
        for (HealthCheck c : checks) {
            futures.add(c.check().recover(t -> Future.succeededFuture(HealthCheck.Status.down("check failed: " + t))));
        }
        return Future.join(futures).transform(ignored -> {
            JsonObject detail = new JsonObject();
            boolean ready = true;
            for (int i = 0; i < checks.size(); i++) {
                HealthCheck.Status s = futures.get(i).result();
                ready &= s.up();
                detail.put(checks.get(i).name(), new JsonObject().put("up", s.up()).put("detail", s.detail()));
            }
            return Future.succeededFuture(new JsonObject().put("ready", ready).put("checks", detail));
        });
    }

    /** Listens on {@code host:port} (port 0 = ephemeral); completes with the bound port. */
    public Future<Integer> start(String host, int port) {
        // HTTP/1.1 only: Prometheus scrapers speak it, and the JDK client's h2c upgrade hung on large /metrics answers.
        return vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(router).listen(port, host).map(s -> {
            server = s;
            return s.actualPort();
        }).recover(Listening.failure("http.listen", host + ":" + port));
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

}
