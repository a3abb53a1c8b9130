package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Sends one {@link VictoriaLogsRequest} to VictoriaLogs: one HTTP call, no retries, no batching. The
 * returned future always <em>succeeds</em> with an {@link InsertOutcome} (errors are values, classified
 * by {@link RetryClassifier}); retries, backoff and acknowledgements belong to the caller.
 *
 * <p>Threading: {@link #send} may be called from any thread; it does no blocking work (the body is
 * already built and compressed). The future completes on the calling context's event loop (or a Vert.x
 * thread when called outside a context). Several sends may be in flight at once (the HTTP pool keeps
 * connections alive and limits them per server).
 *
 * <p>Lifecycle: {@link #create} owns its {@link WebClient} and {@link #close()} closes it; with the
 * constructor the caller owns the client.
 */
public final class VictoriaLogsService implements AutoCloseable {
    private final WebClient client;
    private final boolean ownsClient;
    private final long timeoutMillis;

    /** Uses {@code client} (not closed by {@link #close()}). */
    public VictoriaLogsService(WebClient client, VictoriaLogsSinkConfig config) {
        this(client, false, config);
    }

    private VictoriaLogsService(WebClient client, boolean ownsClient, VictoriaLogsSinkConfig config) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.timeoutMillis = Math.max(1, config.requestTimeout().toMillis());
    }

    /** A service with its own keep-alive {@link WebClient}, closed by {@link #close()}. */
    public static VictoriaLogsService create(Vertx vertx, VictoriaLogsSinkConfig config) {
        return new VictoriaLogsService(createClient(vertx, config), true, config);
    }

    /** A {@link WebClient} with {@link #clientOptions}: the one to hand to the sink and the health check. */
    public static WebClient createClient(Vertx vertx, VictoriaLogsSinkConfig config) {
        return WebClient.create(vertx, clientOptions(config));
    }

    /**
     * The longest a connection attempt waits, whatever {@code request_timeout}: a store that does not answer a SYN
     * (an address that drops packets, a partition) is tried again after this, not after the long request timeout,
     * so deliveries resume soon after the path heals.
     */
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Client options fitting the config: keep-alive, connect timeout min(request timeout, 5 s), no redirects. */
    public static WebClientOptions clientOptions(VictoriaLogsSinkConfig config) {
        Duration connect = config.requestTimeout().compareTo(MAX_CONNECT_TIMEOUT) < 0
                ? config.requestTimeout() : MAX_CONNECT_TIMEOUT;
        return new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.max(1, connect.toMillis()))
                .setFollowRedirects(false)
                .setUserAgent("skulk-logs-relay");
    }

    /**
     * POSTs the request. {@code request_timeout} bounds every wait for data from the server (Vert.x's request
     * timeout: no byte within the period fails the request), connecting at most 5 s of it; a server that
     * accepts the connection and never answers therefore ends as a {@link InsertOutcome.Retry} after
     * that time. The server may still have stored such a request.
     */
    public Future<InsertOutcome> send(VictoriaLogsRequest request) {
        try {
            HttpRequest<Buffer> http = client.postAbs(request.uri()).timeout(timeoutMillis);
            for (Map.Entry<String, String> h : request.headers().entrySet()) {
                http.putHeader(h.getKey(), h.getValue());
            }
            return http.sendBuffer(request.body()).transform(ar -> Future.succeededFuture(
                    ar.succeeded() ? classify(ar.result()) : RetryClassifier.classify(ar.cause())));
        } catch (RuntimeException e) {
            return Future.succeededFuture(RetryClassifier.classify(e));
        }
    }

    private static InsertOutcome classify(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        return RetryClassifier.classify(response.statusCode(), body == null ? "" : body.toString(),
                response.getHeader("Retry-After"), Instant.now());
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
