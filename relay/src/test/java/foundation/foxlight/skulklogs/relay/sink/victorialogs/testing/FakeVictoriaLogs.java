package foundation.foxlight.skulklogs.relay.sink.victorialogs.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A small VictoriaLogs for unit tests, on 127.0.0.1 and an ephemeral port. Records every request
 * (path, query, headers, decompressed body). Insert requests are answered, in order, by the replies
 * given to {@link #enqueue}; when none is queued it behaves like VictoriaLogs (see
 * {@link VictoriaLogsRules}): stores good lines, answers 400 when a timestamp cannot be parsed or a line
 * matches {@link #rejectLinesWhere}, and records what a real server would drop while answering 200 in
 * {@link #silentDrops()}. {@code GET /health} answers {@code OK} unless told otherwise.
 *
 * <p>Handlers run on the server's event loop; the accessors may be called from any thread.
 */
public final class FakeVictoriaLogs {
    /** One programmed answer. */
    public record Reply(Kind kind, int status, String body, Map<String, String> headers) {
        public enum Kind { RESPOND, HANG, CLOSE_CONNECTION, EMULATE }

        public static Reply status(int status) {
            return new Reply(Kind.RESPOND, status, "", Map.of());
        }

        public static Reply status(int status, String body) {
            return new Reply(Kind.RESPOND, status, body, Map.of());
        }

        public static Reply withRetryAfter(int status, String retryAfter) {
            return new Reply(Kind.RESPOND, status, "", Map.of("Retry-After", retryAfter));
        }

        /** Never answers (the client's timeout must fire). */
        public static Reply hang() {
            return new Reply(Kind.HANG, 0, "", Map.of());
        }

        /** Closes the connection without answering. */
        public static Reply closeConnection() {
            return new Reply(Kind.CLOSE_CONNECTION, 0, "", Map.of());
        }

        /** Behave like VictoriaLogs for this request. */
        public static Reply emulate() {
            return new Reply(Kind.EMULATE, 0, "", Map.of());
        }
    }

    /** One request as received. Header names are lower case. */
    public record RecordedRequest(String method, String path, String rawQuery, Map<String, String> query,
            Map<String, String> headers, byte[] rawBody, String body, List<String> lines) {
    }

    private final Vertx vertx;
    private final VictoriaLogsRules.Limits limits;
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<ObjectNode> stored = Collections.synchronizedList(new ArrayList<>());
    private final List<String> silentDrops = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Reply> replies = new ArrayDeque<>();
    private volatile Predicate<ObjectNode> rejectLines = l -> false;
    private volatile String rejectMessage = "";
    private volatile Reply healthReply = Reply.status(200, "OK");
    private HttpServer server;

    private FakeVictoriaLogs(Vertx vertx, VictoriaLogsRules.Limits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    public static Future<FakeVictoriaLogs> start(Vertx vertx) {
        return start(vertx, VictoriaLogsRules.Limits.defaults());
    }

    public static Future<FakeVictoriaLogs> start(Vertx vertx, VictoriaLogsRules.Limits limits) {
        FakeVictoriaLogs fake = new FakeVictoriaLogs(vertx, limits);
        fake.server = vertx.createHttpServer().requestHandler(fake::handle);
        return fake.server.listen(0, "127.0.0.1").map(s -> fake);
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Queues answers for the next insert requests, in order. */
    public FakeVictoriaLogs enqueue(Reply... next) {
        synchronized (replies) {
            replies.addAll(List.of(next));
        }
        return this;
    }

    /** A request with a line matching {@code p} is answered 400 {@code message} and nothing is stored. */
    public FakeVictoriaLogs rejectLinesWhere(Predicate<ObjectNode> p, String message) {
        this.rejectLines = p;
        this.rejectMessage = message;
        return this;
    }

    public FakeVictoriaLogs health(Reply reply) {
        this.healthReply = reply;
        return this;
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Lines stored, in arrival order. */
    public List<ObjectNode> stored() {
        synchronized (stored) {
            return List.copyOf(stored);
        }
    }

    /** What a real VictoriaLogs would have dropped while answering 200. */
    public List<String> silentDrops() {
        synchronized (silentDrops) {
            return List.copyOf(silentDrops);
        }
    }

    public Future<Void> close() {
        return server.close();
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            if (req.path().equals("/health")) {
                answer(req, healthReply);
                return;
            }
            RecordedRequest rec = record(req, body);
            requests.add(rec);
            Reply r;
            synchronized (replies) {
                r = replies.poll();
            }
            if (r == null || r.kind() == Reply.Kind.EMULATE) {
                emulate(req, rec);
            } else {
                answer(req, r);
            }
        });
    }

    private void answer(HttpServerRequest req, Reply r) {
        switch (r.kind()) {
            case HANG -> {
                // no answer
            }
            case CLOSE_CONNECTION -> req.connection().close();
            default -> {
                r.headers().forEach(req.response()::putHeader);
                req.response().setStatusCode(r.status()).end(r.body());
            }
        }
    }

    private void emulate(HttpServerRequest req, RecordedRequest rec) {
        if (!rec.method().equals("POST")) {
            req.response().setStatusCode(405).end("unsupported method");
            return;
        }
        if (!rec.path().equals("/insert/jsonline")) {
            req.response().setStatusCode(400).end("unsupported path requested: " + rec.path());
            return;
        }
        String ct = rec.headers().getOrDefault("content-type", "");
        if (ct.startsWith("application/x-www-form-urlencoded")) {
            silentDrops.add("form content type: whole body consumed as a form");
            req.response().setStatusCode(200).end();
            return;
        }
        if (rec.body() == null) {
            silentDrops.add("undecodable body");
            req.response().setStatusCode(200).end();
            return;
        }
        String timeField = rec.query().getOrDefault("_time_field", "_time");
        List<ObjectNode> good = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        for (String line : rec.lines()) {
            VictoriaLogsRules.Verdict v = VictoriaLogsRules.judge(line, limits, timeField, Instant.now());
            if (v instanceof VictoriaLogsRules.Verdict.BadRequest bad) {
                req.response().setStatusCode(400).end(bad.message());
                return;
            }
            if (v instanceof VictoriaLogsRules.Verdict.SilentlyDropped d) {
                drops.add(d.reason());
            } else {
                ObjectNode node = ((VictoriaLogsRules.Verdict.Stored) v).line();
                if (rejectLines.test(node)) {
                    req.response().setStatusCode(400).end(rejectMessage);
                    return;
                }
                good.add(node);
            }
        }
        stored.addAll(good);
        silentDrops.addAll(drops);
        req.response().setStatusCode(200).end();
    }

    private static RecordedRequest record(HttpServerRequest req, Buffer body) {
        Map<String, String> headers = new LinkedHashMap<>();
        req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        Map<String, String> query = new LinkedHashMap<>();
        String raw = req.query();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(k, v);
            }
        }
        byte[] rawBody = body.getBytes();
        String text;
        try {
            String enc = headers.getOrDefault("content-encoding", "identity");
            byte[] plain = switch (enc) {
                case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(rawBody)).readAllBytes();
                case "zstd" -> new ZstdInputStream(new ByteArrayInputStream(rawBody)).readAllBytes();
                case "identity", "" -> rawBody;
                default -> throw new IOException("unsupported encoding " + enc);
            };
            text = new String(plain, StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = null;
        }
        List<String> lines = new ArrayList<>();
        if (text != null) {
            for (String l : text.split("\n", -1)) {
                if (!l.isEmpty()) {
                    lines.add(l);
                }
            }
        }
        return new RecordedRequest(req.method().name(), req.path(), raw, query, headers, rawBody, text, lines);
    }

    /** For tests that need the Vert.x the fake runs on. */
    public Vertx vertx() {
        return vertx;
    }
}
