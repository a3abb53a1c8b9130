package foundation.foxlight.skulklogs.relay.ingest;

import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /insert/jsonline} like VictoriaLogs, but stores into Kafka: reads the request with
 * {@link IngestRequestParser}, normalizes each line with {@link IngestNormalizer}, groups the events into
 * encoded batches keyed by node id, publishes them through a {@link RecordPublisher}, and answers.
 *
 * <p><b>Acknowledgement:</b> 200 (empty body, like VictoriaLogs) is sent ONLY after every record of the
 * request was acknowledged by Kafka ({@code acks=all}). If any publish fails, or not all are acknowledged
 * within {@code ingest.publish_timeout}, the answer is 503 with a text message and the shipper retries the
 * whole request: lines may then be stored twice, never lost (VictoriaLogs does not de-duplicate either). A
 * 4xx answer means that nothing of the request was produced (the body is read completely before anything is
 * published). {@code debug} requests are read, normalized and logged (first 10 events), answered 200 and
 * produce nothing.
 *
 * <p><b>Answers:</b> 405 for non-POST (with {@code Allow: POST}); 401 for a missing or wrong bearer token
 * (with {@code WWW-Authenticate}); 415 for a form content type; 400 for a bad arg, a bad tenant header, an
 * unsupported or corrupt encoding; 413 when {@code Content-Length} or the received bytes exceed the limit
 * (the connection is then closed, the rest is not read) or the decompressed body does; 503 when more than
 * {@code ingest.max_concurrent_requests} are in flight or Kafka does not acknowledge; 500 for a bug.
 * {@code Expect: 100-continue} is answered once the head is accepted.
 *
 * <p><b>Threading:</b> {@link #handle} and every response run on the event loop of the HTTP server (the
 * publisher's futures may complete elsewhere; the response is then written through Vert.x, which is safe).
 * Bodies of at most {@value #INLINE_BODY_BYTES} bytes without compression are parsed on the event loop;
 * larger or compressed bodies are decompressed, parsed, normalized and encoded on a worker
 * ({@code executeBlocking}, unordered), never on the event loop.
 *
 * <p><b>Lifecycle:</b> stateless between requests apart from metrics and the in-flight count; mount it on an
 * HTTP server (see {@link IngestServer}) or a router for {@link IngestRequestParser#PATH}. Requests in flight
 * finish on their own; close the publisher only after the server stopped.
 */
public final class IngestHandler implements Handler<HttpServerRequest> {
    /** Uncompressed bodies up to this size are parsed on the event loop. */
    public static final int INLINE_BODY_BYTES = 64 * 1024;
    private static final int DEBUG_SAMPLE = 10;
    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);

    private final Vertx vertx;
    private final IngestConfig config;
    private final RecordPublisher publisher;
    private final IngestMetrics metrics;
    private final IngestRequestParser parser;
    private final IngestNormalizer normalizer;
    private final AtomicInteger inFlight;

    /**
     * @param config    validated ({@link IngestConfig#validate()} empty)
     * @param publisher where records go; its futures must complete only on Kafka's acknowledgement
     * @param metrics   the endpoint's meters
     */
    public IngestHandler(Vertx vertx, IngestConfig config, RecordPublisher publisher, IngestMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
        this.parser = new IngestRequestParser(config);
        this.normalizer = new IngestNormalizer(config);
        this.inFlight = metrics.inFlight();
    }

    /** Requests being processed now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void handle(HttpServerRequest req) {
        Instant receivedAt = Instant.now();
        if (req.method() != HttpMethod.POST) {
            req.response().putHeader("Allow", "POST");
            answer(req, IngestRequestParser.methodNotAllowed(req.method().name()), false);
            return;
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        req.headers().forEach(e -> headers.putIfAbsent(e.getKey(), e.getValue()));
        Optional<IngestError> auth = IngestRequestParser.checkAuth(config.token(), headers.get("Authorization"));
        if (auth.isPresent()) {
            // Both challenges: a client given http://user:TOKEN@... may wait for a Basic one before it sends credentials.
            req.response().putHeader("WWW-Authenticate", List.<String>of("Bearer realm=\"skulk-logs ingest\"", "Basic realm=\"skulk-logs ingest\""));
            answer(req, auth.get(), false);
            return;
        }
        Outcome<IngestParams> head = IngestRequestParser.parseHead(req.method().name(), req.query(), headers);
        if (!head.isOk()) {
            answer(req, head.error(), false);
            return;
        }
        IngestParams params = head.value();
        long rawLimit = rawLimit(params.encoding());
        String contentLength = headers.get("Content-Length");
        if (contentLength != null && tooLong(contentLength, rawLimit)) {
            answer(req, new IngestError(413, "request body of " + contentLength.trim() + " bytes is larger than "
                    + rawLimit + " bytes (the relay's ingest.max_body_bytes): send smaller requests"), true);
            return;
        }
        if (inFlight.incrementAndGet() > config.maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            req.response().putHeader("Retry-After", "1");
            answer(req, new IngestError(503, "too many concurrent requests (the relay's ingest.max_concurrent_requests is "
                    + config.maxConcurrentRequests() + "): retry later"), false);
            return;
        }
        Exchange exchange = new Exchange(req, params, receivedAt, rawLimit);
        req.handler(exchange::onChunk);
        req.endHandler(v -> exchange.onEnd());
        req.exceptionHandler(exchange::onError);
        if ("100-continue".equalsIgnoreCase(headers.get("Expect"))) {
            req.response().writeContinue();
        }
        req.resume();
    }

    /** Raw (possibly compressed) bytes accepted: the limit itself, plus room for incompressible data's framing. */
    private long rawLimit(ContentEncoding encoding) {
        long max = config.maxBodyBytes();
        return encoding == ContentEncoding.IDENTITY ? max : max + (max >> 8) + 1024;
    }

    private static boolean tooLong(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }

    /** Answers an error before any body was read: the in-flight slot was not taken. */
    private void answer(HttpServerRequest req, IngestError error, boolean close) {
        metrics.request(error.status());
        log(req, error);
        write(req, error.status(), error.message(), close);
    }

    private static void write(HttpServerRequest req, int status, String message, boolean close) {
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        resp.setStatusCode(status);
        if (close) {
            resp.putHeader("Connection", "close");
        }
        Future<Void> end;
        if (message == null) {
            end = resp.end();
        } else {
            resp.putHeader("Content-Type", "text/plain; charset=utf-8");
            end = resp.end(message + "\n");
        }
        if (close) {
            end.onComplete(x -> req.connection().close());
        }
    }

    private static void log(HttpServerRequest req, IngestError error) {
        if (error.status() >= 500) {
            LOG.warn("ingest request from {} answered {}: {}", client(req), error.status(), error.message());
        } else {
            LOG.info("ingest request from {} answered {}: {}", client(req), error.status(), error.message());
        }
    }

    private static String client(HttpServerRequest req) {
        SocketAddress a = req.remoteAddress();
        if (a == null) {
            return "unknown";
        }
        return a.hostAddress() != null ? a.hostAddress() : a.toString();
    }

    /** What the worker made of a body: records to produce, or an error. */
    private record Prepared(IngestError error, List<IngestBatcher.KeyedRecord> records, IngestRequestParser.BodyStats stats,
            List<LogEvent> debugSample, long lines) {
    }

    /** One request from its accepted head to its answer. The answer is written at most once. */
    private final class Exchange {
        private final HttpServerRequest req;
        private final IngestParams params;
        private final Instant receivedAt;
        private final long rawLimit;
        private final String source;
        private final AtomicBoolean answered = new AtomicBoolean();
        private Buffer body;
        private long received;

        Exchange(HttpServerRequest req, IngestParams params, Instant receivedAt, long rawLimit) {
            this.req = req;
            this.params = params;
            this.receivedAt = receivedAt;
            this.rawLimit = rawLimit;
            this.source = "http:" + client(req);
            this.body = Buffer.buffer((int) Math.min(initialCapacity(req), rawLimit));
        }

        private static long initialCapacity(HttpServerRequest req) {
            try {
                String cl = req.getHeader("Content-Length");
                return cl == null ? 4096 : Math.max(0, Math.min(Long.parseLong(cl.trim()), 16L << 20));
            } catch (NumberFormatException e) {
                return 4096;
            }
        }

        void onChunk(Buffer chunk) {
            if (answered.get()) {
                return;
            }
            received += chunk.length();
            if (received > rawLimit) {
                body = null;
                finish(new IngestError(413, "request body is larger than " + rawLimit
                        + " bytes (the relay's ingest.max_body_bytes): send smaller requests"), true);
                return;
            }
            body.appendBuffer(chunk);
        }

        void onEnd() {
            if (answered.get()) {
                return;
            }
            metrics.bytesReceived(received);
            byte[] bytes = body.getBytes();
            body = null;
            Future<Prepared> prepared;
            if (params.encoding() == ContentEncoding.IDENTITY && bytes.length <= INLINE_BODY_BYTES) {
                try {
                    prepared = Future.succeededFuture(prepare(bytes));
                } catch (RuntimeException e) {
                    prepared = Future.failedFuture(e);
                }
            } else {
                prepared = vertx.executeBlocking(() -> prepare(bytes), false);
            }
            prepared.onComplete(ar -> {
                if (ar.failed()) {
                    LOG.error("ingest request from {} failed unexpectedly", client(req), ar.cause());
                    finish(new IngestError(500, "internal error while reading the request: " + ar.cause()), false);
                    return;
                }
                Prepared p = ar.result();
                if (p.stats() != null) {
                    metrics.bytesDecompressed(p.stats().decompressedBytes());
                }
                if (p.error() != null) {
                    finish(p.error(), false);
                } else if (params.debug()) {
                    debug(p);
                } else {
                    publish(p);
                }
            });
        }

        void onError(Throwable t) {
            if (answered.compareAndSet(false, true)) {
                body = null;
                inFlight.decrementAndGet();
                LOG.info("ingest request from {} aborted before it was answered: {}", client(req), t.toString());
            }
        }

        /** Runs on a worker (or inline for small bodies): parse, normalize, batch, encode. */
        private Prepared prepare(byte[] bytes) {
            IngestBatcher batcher = new IngestBatcher(source, receivedAt.toEpochMilli(), config.maxRecordBytes(),
                    2 * config.maxBodyBytes());
            List<LogEvent> sample = new ArrayList<>();
            long[] index = {0};
            Outcome<IngestRequestParser.BodyStats> read = parser.readBody(params.encoding(), bytes, (event, n) -> {
                LogEvent e = normalizer.normalize(event, params, receivedAt.plusNanos(index[0]++), source);
                if (params.debug()) {
                    if (sample.size() < DEBUG_SAMPLE) {
                        sample.add(e);
                    }
                    return null;
                }
                return batcher.add(e);
            });
            if (!read.isOk()) {
                return new Prepared(read.error(), List.of(), null, List.of(), 0);
            }
            IngestError error = params.debug() ? null : batcher.finish();
            return new Prepared(error, error == null ? batcher.records() : List.of(), read.value(), sample, read.value().lines());
        }

        private void debug(Prepared p) {
            metrics.linesDebug(p.lines());
            StringBuilder sb = new StringBuilder();
            for (LogEvent e : p.debugSample()) {
                String json = LogEventJson.toJson(e);
                sb.append("\n  ").append(json.length() > 2000 ? json.substring(0, 2000) + "..." : json);
            }
            LOG.info("debug ingest request from {}: {} lines read and normalized, nothing stored; first {}:{}", client(req),
                    p.lines(), p.debugSample().size(), sb);
            finish(null, false);
        }

        private void publish(Prepared p) {
            List<IngestBatcher.KeyedRecord> records = p.records();
            if (records.isEmpty()) {
                finish(null, false);
                return;
            }
            long start = System.nanoTime();
            List<Future<Void>> acks = new ArrayList<>(records.size());
            for (IngestBatcher.KeyedRecord r : records) {
                Future<Void> f;
                try {
                    f = publisher.publish(r.key(), r.value());
                } catch (RuntimeException e) {
                    f = Future.failedFuture(e);
                }
                acks.add(f == null ? Future.failedFuture(new IllegalStateException("publisher returned no future")) : f);
            }
            Promise<Void> all = Promise.promise();
            long timeoutMs = config.publishTimeout().toMillis();
            long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> all.tryFail(new PublishTimeout()));
            Future.all(acks).onComplete(ar -> {
                vertx.cancelTimer(timer);
                if (ar.succeeded()) {
                    all.tryComplete();
                } else {
                    all.tryFail(ar.cause());
                }
            });
            all.future().onComplete(ar -> {
                if (ar.succeeded()) {
                    metrics.publishLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    metrics.recordsPublished(records.size());
                    metrics.linesAccepted(p.lines());
                    metrics.blankLines(p.stats().blankLines());
                    metrics.linesFlagged("not_json", p.stats().notJson());
                    metrics.linesFlagged("invalid_utf8", p.stats().invalidUtf8());
                    metrics.linesFlagged("truncated", p.stats().truncated());
                    finish(null, false);
                } else if (ar.cause() instanceof PublishTimeout) {
                    long acked = acks.stream().filter(Future::succeeded).count();
                    finish(new IngestError(503, "cannot store the request in Kafka: " + acked + " of " + records.size()
                            + " records acknowledged within " + timeoutMs + " ms (the relay's ingest.publish_timeout);"
                            + " retry the request (lines already stored may then be stored twice)"), false);
                } else {
                    finish(new IngestError(503, "cannot store the request in Kafka: " + ar.cause()
                            + "; retry the request (lines already stored may then be stored twice)"), false);
                }
            });
        }

        /** Answers once (200 when {@code error} is null), counts it and frees the in-flight slot. */
        private void finish(IngestError error, boolean close) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            inFlight.decrementAndGet();
            int status = error == null ? 200 : error.status();
            metrics.request(status);
            if (error != null) {
                log(req, error);
                if (status == 503) {
                    req.response().putHeader("Retry-After", "1");
                }
            }
            write(req, status, error == null ? null : error.message(), close);
        }
    }

    /** The publish timeout fired before every record was acknowledged. */
    private static final class PublishTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishTimeout() {
            super("publish timeout", null, false, false);
        }
    }
}
