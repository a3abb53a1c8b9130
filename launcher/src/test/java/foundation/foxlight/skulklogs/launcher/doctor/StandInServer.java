package foundation.foxlight.skulklogs.launcher.doctor;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * A tiny real HTTP server on 127.0.0.1 (ephemeral port) standing in for a relay's or VictoriaLogs' health
 * endpoint: {@code GET /health} answers the configured status and body, with a {@code Date} header offset from
 * the real clock by {@code skew}. Everything else is 404.
 */
final class StandInServer implements AutoCloseable {
    private final HttpServer server;
    volatile int status;
    volatile String body;
    volatile Duration skew = Duration.ZERO;
    volatile String metrics;

    StandInServer(Vertx vertx, int status, String body) throws Exception {
        this.status = status;
        this.body = body;
        this.server = vertx.createHttpServer().requestHandler(req -> {
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plus(skew));
            if (req.path().equals("/health")) {
                req.response().setStatusCode(this.status).putHeader("Date", date).end(this.body);
            } else if (req.path().equals("/metrics") && metrics != null) {
                req.response().putHeader("Date", date).end(metrics);
            } else {
                req.response().setStatusCode(404).end("not found");
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static String health(boolean ready, String parts) {
        return "{\"ready\":" + ready + ",\"checks\":{" + parts + "}}";
    }

    static String part(String name, boolean up, String detail) {
        return "\"" + name + "\":{\"up\":" + up + ",\"detail\":\"" + detail + "\"}";
    }

    int port() {
        return server.actualPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
