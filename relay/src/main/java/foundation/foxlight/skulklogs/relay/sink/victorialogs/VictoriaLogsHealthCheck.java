package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import foundation.foxlight.skulklogs.common.telemetry.HealthCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * Asks VictoriaLogs whether it is up: {@code GET <url>/health}, which answers {@code OK}, within the
 * config's {@code health_check_timeout}. The future always succeeds with a {@link HealthCheck.Status}
 * whose detail says in words why the store is down, e.g. {@code "connection refused at
 * http://127.0.0.1:9428/health"} or {@code "answered 503 Service Unavailable at ...: <body>"}.
 *
 * <p>Threading: {@link #check()} may be called from any thread (the health endpoint calls it on an
 * event loop) and does not block; the future completes on a Vert.x event loop. Lifecycle: the client
 * passed in belongs to the caller; {@link #create} makes one that {@link #close()} closes.
 */
public final class VictoriaLogsHealthCheck implements HealthCheck, AutoCloseable {
    private final WebClient client;
    private final boolean ownsClient;
    private final String url;
    private final long timeoutMillis;

    /** Uses {@code client} (not closed by {@link #close()}). */
    public VictoriaLogsHealthCheck(Vertx vertx, WebClient client, VictoriaLogsSinkConfig config) {
        this(client, false, config);
    }

    private VictoriaLogsHealthCheck(WebClient client, boolean ownsClient, VictoriaLogsSinkConfig config) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.url = config.baseUrl() + "/health";
        this.timeoutMillis = Math.max(1, config.healthCheckTimeout().toMillis());
    }

    /** A check with its own client, closed by {@link #close()}. */
    public static VictoriaLogsHealthCheck create(Vertx vertx, VictoriaLogsSinkConfig config) {
        return new VictoriaLogsHealthCheck(VictoriaLogsService.createClient(vertx, config), true,
                config);
    }

    @Override
    public String name() {
        return "victorialogs";
    }

    /** The URL checked. */
    public String url() {
        return url;
    }

    @Override
    public Future<Status> check() {
        try {
            return client.getAbs(url).timeout(timeoutMillis).send()
                    .transform(ar -> Future.succeededFuture(ar.succeeded() ? judge(ar.result()) : down(ar.cause())));
        } catch (RuntimeException e) {
            return Future.succeededFuture(down(e));
        }
    }

    private Status judge(HttpResponse<Buffer> response) {
        String body = response.body() == null ? "" : response.body().toString().trim();
        if (response.statusCode() == 200 && body.equals("OK")) {
            return Status.up("OK at " + url);
        }
        String shown = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        if (response.statusCode() == 200) {
            return Status.down("answered 200 with '" + shown + "' instead of 'OK' at " + url + " (is this VictoriaLogs?)");
        }
        return Status.down("answered " + RetryClassifier.statusLine(response.statusCode()) + " at " + url
                + (shown.isEmpty() ? "" : ": " + shown));
    }

    private Status down(Throwable failure) {
        String what = RetryClassifier.describe(failure);
        if (what.startsWith("connection refused")) {
            return Status.down("connection refused at " + url);
        }
        if (what.startsWith("timeout")) {
            return Status.down("no answer within " + timeoutMillis + " ms from " + url);
        }
        if (what.startsWith("unknown host")) {
            return Status.down("unknown host in " + url);
        }
        return Status.down(what + " at " + url);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
