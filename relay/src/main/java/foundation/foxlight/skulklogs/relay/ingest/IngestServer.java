package foundation.foxlight.skulklogs.relay.ingest;

import foundation.foxlight.skulklogs.common.telemetry.Listening;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's VictoriaLogs-compatible ingest endpoint on its own address ({@code ingest.listen}), HTTP or
 * HTTPS: shippers configured for {@code http://HOST:9428/insert/jsonline?...} can point at the relay instead
 * and gain Kafka as a cluster-wide buffer. Routes: {@code /insert/jsonline} ({@link IngestHandler}),
 * {@code GET /health} answers {@code OK} without authentication (like VictoriaLogs), anything else 404.
 *
 * <p>Threading: the server runs on the event loop of the context that calls {@link #start} (the relay
 * verticle's); parsing of large bodies happens on workers (see {@link IngestHandler}).
 *
 * <p>Lifecycle: {@link #start} once, then {@link #close}, which stops accepting connections and gives requests
 * in flight up to {@code publish_timeout + 5 s} to be answered. Close the {@link RecordPublisher}'s producer
 * after this server, never before (requests in flight still publish).
 */
public final class IngestServer {
    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);

    private final Vertx vertx;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final IngestHandler handler;
    private HttpServer server;
    private volatile int port = -1;

    /**
     * @param config    the endpoint's settings ({@link IngestConfig#validate()} must be empty)
     * @param publisher where records go ({@link KafkaRecordPublisher} in production)
     * @param registry  the relay's meter registry ({@code RelayMetrics.registry()})
     */
    public IngestServer(Vertx vertx, IngestConfig config, RecordPublisher publisher, MeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = new IngestMetrics(registry);
        this.handler = new IngestHandler(vertx, config, publisher, metrics);
    }

    /**
     * Listens on {@code ingest.listen}; completes with the bound port (useful with port 0), or -1 without
     * listening when the endpoint is {@code off}. Fails when the config is invalid or the address or TLS
     * material cannot be used.
     */
    public Future<Integer> start() {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("invalid ingest config: " + String.join("; ", problems)));
        }
        if (!config.enabled()) {
            return Future.succeededFuture(-1);
        }
        return vertx.createHttpServer(config.httpServerOptions())
                .requestHandler(this::route)
                .listen()
                .map(s -> {
                    server = s;
                    port = s.actualPort();
                    String scheme = config.tls() ? "https" : "http";
                    LOG.info("VictoriaLogs-compatible ingest at {}://{}:{}{} ({})", scheme, config.host(), port,
                            IngestRequestParser.PATH, config.authRequired() ? "bearer token required" : "no authentication");
                    if (!config.tls() && config.authRequired() && !config.loopback()) {
                        LOG.warn("ingest endpoint {} sends its bearer token in clear text: set ingest.tls.cert and ingest.tls.key",
                                config.listen());
                    }
                    return port;
                }).recover(Listening.failure("ingest.listen", config.listen()));
    }

    private void route(HttpServerRequest req) {
        String path = req.path();
        if (IngestRequestParser.PATH.equals(path)) {
            handler.handle(req);
        } else if ("/health".equals(path) && (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)) {
            req.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("OK");
        } else {
            req.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("unsupported path " + IngestRequestParser.abbreviate(path)
                            + ": this relay ingests only POST " + IngestRequestParser.PATH + " (VictoriaLogs JSON lines)\n");
        }
    }

    /** Stops accepting connections; waits up to {@link #closeBound} for requests in flight. */
    public Future<Void> close() {
        if (server == null) {
            return Future.succeededFuture();
        }
        return server.shutdown(closeBound(config).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The longest {@link #close()} waits: {@code publish_timeout} plus 5 s for the answers to go out. */
    public static Duration closeBound(IngestConfig config) {
        return config.publishTimeout().plusSeconds(5);
    }

    /** The bound port, -1 before {@link #start} or when off. */
    public int port() {
        return port;
    }

    public IngestHandler handler() {
        return handler;
    }

    public IngestMetrics metrics() {
        return metrics;
    }
}
