package foundation.foxlight.skulklogs.it.victorialogs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process stand-in for a single-node VictoriaLogs v1.26, for tests and for trying the product without a real
 * server: the HTTP endpoints the pipeline uses, answered as the real server answers them, including the cases
 * where it answers 200 and drops data (each one counted, see {@link DropReason}), plus fault injection.
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code POST /insert/jsonline}: args or headers {@code _msg_field}/{@code VL-Msg-Field},
 *       {@code _time_field}/{@code VL-Time-Field}, {@code _stream_fields}/{@code VL-Stream-Fields},
 *       {@code ignore_fields}/{@code VL-Ignore-Fields}, {@code extra_fields}/{@code VL-Extra-Fields},
 *       {@code debug}/{@code VL-Debug} (the arg wins); tenancy headers {@code AccountID}/{@code ProjectID};
 *       {@code Content-Encoding} gzip, deflate, zstd, snappy, identity. 200 with an empty body; 400 (text) for a
 *       bad parameter or when every line failed; 405 for other methods; 429 when {@link #readOnly read-only};
 *       503 when {@link #overloaded overloaded}.</li>
 *   <li>{@code GET|POST /select/logsql/query} ({@code query}, {@code limit}, {@code offset}, {@code start},
 *       {@code end}): JSON lines ({@code application/stream+json}), one object per row with {@code _time}
 *       (RFC3339, nanoseconds, trailing zeros trimmed), {@code _stream_id}, {@code _stream}, {@code _msg} and the
 *       other fields, every value a string. Without {@code limit} rows come in no particular order (the stand-in
 *       shuffles them on purpose); with it, the {@code limit} rows with the biggest {@code _time}, newest first.
 *       LogsQL subset: {@code *}; words and phrases ({@code error}, {@code "disk full"}, {@code laptop-1}) matched
 *       case-sensitively on word boundaries; prefixes ({@code err*}); {@code field:filter}; {@code field:*}
 *       (non-empty) and {@code field:""} (empty or missing); {@code =exact}, {@code =prefix*}, {@code !=exact};
 *       {@code in(a, b)}; {@code i(word)}; {@code ~"regexp"}, {@code !~"regexp"} (Java syntax); stream filters
 *       {@code {a="x", b!="y", c=~"re"}} with or without {@code _stream:}; {@code _stream_id:id};
 *       {@code _time:5m}-style durations; {@code AND} or juxtaposition, {@code OR}, {@code NOT}/{@code -}/{@code !},
 *       parentheses, {@code #} comments. Anything else (pipes, range filters, other functions, other {@code _time}
 *       forms) is a 400 naming what the stand-in does not support, never a silently different result.</li>
 *   <li>{@code /internal/force_flush}, {@code GET /health} ({@code OK}), {@code GET /insert/ready},
 *       {@code GET /metrics} (Prometheus text: {@code vl_rows_ingested_total{type="jsonline"}},
 *       {@code vl_too_long_lines_skipped_total}, {@code vl_rows_dropped_total{reason=...}},
 *       {@code vl_http_requests_total}, {@code vl_http_errors_total}, and {@code standin_*} series for the
 *       drops VictoriaLogs only logs).</li>
 * </ul>
 *
 * <h2>Visibility</h2>
 * A stored row becomes searchable {@link Builder#flushDelay flushDelay} (1 s) after its request was answered, or at
 * once on {@code /internal/force_flush} or {@link #forceFlush()}, so tests must flush or wait as with the real server.
 *
 * <h2>Threading and lifecycle</h2>
 * The stand-in runs on its own {@link Vertx} instance, created by {@link #start()} and closed by {@link #close()}.
 * Request bodies are decoded and parsed on Vert.x worker threads, never on the event loop. Every public method is
 * thread-safe and may be called from any thread except a Vert.x event loop ({@link #start()}, {@link #close()},
 * {@link #goDown()} and {@link #comeUp()} block until the listener is bound or closed).
 */
public final class VictoriaLogsStandIn implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VictoriaLogsStandIn.class);
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final long LIFECYCLE_TIMEOUT_SECONDS = 30;

    /** The default {@code _msg} of a row without one, as VictoriaLogs' {@code -defaultMsgValue}. */
    public static final String DEFAULT_MSG_VALUE =
            "missing _msg field; see https://docs.victoriametrics.com/victorialogs/keyconcepts/#message-field";

    /** Settings for a {@link VictoriaLogsStandIn}; every one has VictoriaLogs' default (retention: 90 days here). */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int maxLineSizeBytes = 256 * 1024;
        private int maxFieldsPerLine = 1000;
        private int maxFieldNameBytes = 128;
        private Duration retention = Duration.ofDays(90);
        private Duration futureRetention = Duration.ofDays(2);
        private Duration flushDelay = Duration.ofSeconds(1);
        private String defaultMsgValue = DEFAULT_MSG_VALUE;

        private Builder() {
        }

        /** The address to bind; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** The port to bind; default 0 (ephemeral, chosen at {@link #start()} and kept across {@link #goDown()}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Lines of this many bytes or more are skipped ({@code -insert.maxLineSizeBytes}); default 262144. */
        public Builder maxLineSizeBytes(int bytes) {
            this.maxLineSizeBytes = bytes;
            return this;
        }

        /** Lines with more fields are dropped ({@code -insert.maxFieldsPerLine}); default 1000. */
        public Builder maxFieldsPerLine(int fields) {
            this.maxFieldsPerLine = fields;
            return this;
        }

        /** Lines with a longer field name are dropped; default 128 bytes. */
        public Builder maxFieldNameBytes(int bytes) {
            this.maxFieldNameBytes = bytes;
            return this;
        }

        /** Rows older than this are dropped ({@code -retentionPeriod}, by whole days); default 90 days. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention);
            return this;
        }

        /** Rows further ahead than this are dropped ({@code -futureRetention}, by whole days); default 2 days. */
        public Builder futureRetention(Duration futureRetention) {
            this.futureRetention = Objects.requireNonNull(futureRetention);
            return this;
        }

        /** How long after its request a row becomes searchable without a force flush; default 1 s. */
        public Builder flushDelay(Duration flushDelay) {
            this.flushDelay = Objects.requireNonNull(flushDelay);
            return this;
        }

        /** The {@code _msg} of rows without one; empty for none ({@code -defaultMsgValue}). */
        public Builder defaultMsgValue(String value) {
            this.defaultMsgValue = Objects.requireNonNull(value);
            return this;
        }

        /** A stand-in with these settings; call {@link VictoriaLogsStandIn#start()}. */
        public VictoriaLogsStandIn build() {
            return new VictoriaLogsStandIn(this);
        }
    }

    private final String host;
    private final JsonLineIngest.Limits limits;
    private final StandInStore store;
    private final Object lifecycle = new Object();
    private final Object faults = new Object();
    private final Random shuffle = new Random();

    private Vertx vertx;
    private Router router;
    private HttpServer server;
    private volatile int port;
    private volatile boolean up;
    private boolean closed;

    private final AtomicLong insertRequests = new AtomicLong();
    private final AtomicLong queryRequests = new AtomicLong();
    private final AtomicLong injectedFailures = new AtomicLong();
    private final AtomicLong rowsIngested = new AtomicLong();
    private final AtomicLong lineErrors = new AtomicLong();
    private final EnumMap<DropReason, AtomicLong> drops = new EnumMap<>(DropReason.class);

    private int failNextRemaining;
    private int failNextStatus;
    private Integer failAlwaysStatus;
    private volatile Predicate<String> rejectLines = line -> false;
    private volatile Predicate<String> refuseRequestsWith = line -> false;
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile boolean readOnly;
    private volatile boolean overloaded;

    /** A stand-in with every default (see {@link Builder}); call {@link #start()}. */
    public VictoriaLogsStandIn() {
        this(new Builder());
    }

    private VictoriaLogsStandIn(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.limits = new JsonLineIngest.Limits(b.maxLineSizeBytes, b.maxFieldsPerLine, b.maxFieldNameBytes,
                b.retention.toNanos(), b.futureRetention.toNanos(), b.defaultMsgValue);
        this.store = new StandInStore(b.flushDelay.toNanos());
        for (DropReason r : DropReason.values()) {
            drops.put(r, new AtomicLong());
        }
    }

    /** Settings, starting from VictoriaLogs' defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a stand-in until the JVM is stopped, for trying the product without a real VictoriaLogs.
     *
     * @param args optional port (default 9428); it binds 127.0.0.1
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9428;
        VictoriaLogsStandIn standIn = builder().port(port).build();
        String url = standIn.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            standIn.close();
            stopped.countDown();
        }, "victorialogs-stand-in-shutdown"));
        System.out.println("VictoriaLogs stand-in listening on " + url
                + " (insert: " + url + "/insert/jsonline, query: " + url + "/select/logsql/query?query=*); Ctrl-C stops it");
        stopped.await();
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * Binds the listener and starts serving.
     *
     * @return the base URL, e.g. {@code http://127.0.0.1:40123}
     * @throws IllegalStateException if already started or closed, or the port cannot be bound
     */
    public String start() {
        synchronized (lifecycle) {
            if (vertx != null || closed) {
                throw new IllegalStateException("the stand-in was already started");
            }
            vertx = Vertx.vertx();
            router = buildRouter();
            try {
                server = await(listen(port), "bind " + host + ":" + port);
            } catch (RuntimeException e) {
                await(vertx.close(), "close Vert.x");
                vertx = null;
                throw e;
            }
            port = server.actualPort();
            up = true;
            LOG.info("VictoriaLogs stand-in listening on {}", baseUrl());
            return baseUrl();
        }
    }

    /** The base URL, {@code http://host:port}. */
    public String baseUrl() {
        return "http://" + host + ":" + port;
    }

    /** The bound port (the same after {@link #goDown()} and {@link #comeUp()}). */
    public int port() {
        return port;
    }

    /** Whether the listener is open. */
    public boolean isUp() {
        return up;
    }

    /** Stops the listener and the stand-in's Vert.x instance. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            up = false;
            try {
                if (server != null) {
                    await(server.close(), "close the listener");
                    server = null;
                }
            } finally {
                if (vertx != null) {
                    await(vertx.close(), "close Vert.x");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ fault injection

    /**
     * Closes the listener (open connections included): clients get "connection refused" until {@link #comeUp()}.
     * Stored rows survive, as they would a restart of a real server. No-op when already down.
     */
    public void goDown() {
        synchronized (lifecycle) {
            requireStarted();
            if (!up) {
                return;
            }
            up = false;
            await(server.close(), "close the listener");
            server = null;
            LOG.info("VictoriaLogs stand-in on port {} is down", port);
        }
    }

    /**
     * Opens the listener again on the same port. No-op when up.
     *
     * @throws IllegalStateException if the port was taken meanwhile
     */
    public void comeUp() {
        synchronized (lifecycle) {
            requireStarted();
            if (up) {
                return;
            }
            server = await(listen(port), "re-bind " + host + ":" + port);
            up = true;
            LOG.info("VictoriaLogs stand-in on port {} is up again", port);
        }
    }

    /** The next {@code n} insert requests are answered {@code status} (after any {@link #respondSlowly delay}) and store nothing. */
    public void failNextRequests(int n, int status) {
        synchronized (faults) {
            failNextRemaining = n;
            failNextStatus = status;
        }
    }

    /** Every insert request is answered {@code status} and stores nothing, until {@link #clear()}. */
    public void failAlways(int status) {
        synchronized (faults) {
            failAlwaysStatus = status;
        }
    }

    /**
     * Lines for which {@code line} is true fail like invalid lines: if every line of a request fails the answer is
     * 400 and nothing is stored, otherwise the other lines are stored and the answer is 200 (as the real server does).
     * The predicate sees each raw line (after decompression) and runs on a worker thread.
     */
    public void rejectLinesMatching(Predicate<String> line) {
        rejectLines = Objects.requireNonNull(line);
    }

    /**
     * A request holding any line for which {@code line} is true is refused as a whole with 400 and stores nothing —
     * what the real server does for a request with an unparseable timestamp or a bad parameter. (Unlike
     * {@link #rejectLinesMatching}, where the real server's answer is 200 for a request with some good lines.)
     */
    public void refuseRequestsWithLinesMatching(Predicate<String> line) {
        refuseRequestsWith = Objects.requireNonNull(line);
    }

    /**
     * Holds every insert request this long after its body arrived, then processes and answers it (with a Vert.x
     * timer). A client that gives up meanwhile still gets its rows stored, as with a slow real server.
     */
    public void respondSlowly(Duration delay) {
        responseDelay = Objects.requireNonNull(delay);
    }

    /** Read-only storage (the real server when its disk is nearly full): inserts are answered 429. */
    public void readOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** Busy insert slots (past {@code -insert.maxQueueDuration}): inserts are answered 503. */
    public void overloaded(boolean overloaded) {
        this.overloaded = overloaded;
    }

    /** Removes every fault set above (the listener's up/down state is left as it is). */
    public void clear() {
        synchronized (faults) {
            failNextRemaining = 0;
            failAlwaysStatus = null;
        }
        rejectLines = line -> false;
        refuseRequestsWith = line -> false;
        responseDelay = Duration.ZERO;
        readOnly = false;
        overloaded = false;
    }

    // ------------------------------------------------------------------------------------------ state

    /** Makes every stored row searchable now (as {@code GET /internal/force_flush}). */
    public void forceFlush() {
        store.flush();
    }

    /** {@code POST /insert/jsonline} requests received, failed ones included. */
    public long insertRequests() {
        return insertRequests.get();
    }

    /** {@code /select/logsql/query} requests received. */
    public long queryRequests() {
        return queryRequests.get();
    }

    /** Insert requests answered with an injected failure. */
    public long injectedFailures() {
        return injectedFailures.get();
    }

    /** Rows stored, searchable or not, in every tenant. */
    public long rowsStored() {
        return store.size();
    }

    /** Rows stored, searchable or not, in one tenant. */
    public long rowsStored(Tenant tenant) {
        return store.size(tenant);
    }

    /** Lines that parsed ({@code vl_rows_ingested_total}): stored ones plus those dropped afterwards. */
    public long rowsIngested() {
        return rowsIngested.get();
    }

    /** How much was dropped for one reason (lines, or requests for {@link DropReason#countsRequests()}). */
    public long dropped(DropReason reason) {
        return drops.get(reason).get();
    }

    /** Every drop counter. */
    public Map<DropReason, Long> droppedCounts() {
        EnumMap<DropReason, Long> out = new EnumMap<>(DropReason.class);
        drops.forEach((r, c) -> out.put(r, c.get()));
        return Collections.unmodifiableMap(out);
    }

    /** The line size limit in bytes: lines of this size or more are skipped. */
    public int maxLineSizeBytes() {
        return limits.maxLineSizeBytes();
    }

    // ------------------------------------------------------------------------------------------ HTTP

    private Router buildRouter() {
        Router r = Router.router(vertx);
        r.route("/insert/jsonline").handler(this::handleInsert);
        r.route("/select/logsql/query").handler(this::handleQuery);
        r.route("/internal/force_flush").handler(ctx -> {
            store.flush();
            ctx.response().setStatusCode(200).end();
        });
        r.route("/health").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("OK"));
        r.route("/insert/ready").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end("{\"status\":\"ok\"}"));
        r.route("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(metricsText()));
        r.route().last().handler(ctx -> error(ctx.request(), 400, "unsupported path requested: \"" + ctx.request().path()
                + "\" (the VictoriaLogs stand-in serves /insert/jsonline, /select/logsql/query, /internal/force_flush, "
                + "/health, /insert/ready and /metrics)"));
        return r;
    }

    private Future<HttpServer> listen(int p) {
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(p).setReuseAddress(true))
                .requestHandler(router)
                .listen(p, host);
    }

    private void handleInsert(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        HttpServerResponse resp = ctx.response();
        resp.putHeader("Content-Type", "application/json");
        if (req.method() != HttpMethod.POST) {
            resp.setStatusCode(405).end();
            return;
        }
        insertRequests.incrementAndGet();
        req.body().onFailure(t -> LOG.debug("insert request body lost: {}", t.toString())).onSuccess(body -> {
            long delayMs = responseDelay.toMillis();
            if (delayMs > 0) {
                vertx.setTimer(delayMs, id -> processInsert(req, body));
            } else {
                processInsert(req, body);
            }
        });
    }

    private void processInsert(HttpServerRequest req, Buffer body) {
        Integer injected = nextInjectedFailure();
        if (injected != null) {
            injectedFailures.incrementAndGet();
            error(req, injected, "VictoriaLogs stand-in: injected failure " + injected);
            return;
        }
        boolean form = isFormContentType(req.getHeader("Content-Type"));
        Map<String, List<String>> formArgs = form ? decodeForm(body) : Map.of();
        InsertParams params;
        try {
            params = InsertParams.parse(argReader(req, formArgs), req::getHeader);
        } catch (IllegalArgumentException e) {
            error(req, 400, e.getMessage());
            return;
        }
        if (readOnly) {
            error(req, 429, "cannot add rows into storage in read-only mode; the storage can be in read-only mode "
                    + "because of lack of free disk space at -storageDataPath");
            return;
        }
        if (overloaded) {
            error(req, 503, "cannot process insert request for 60.000 seconds because 16 concurrent insert requests are "
                    + "executed. Possible solutions: to reduce workload; to increase compute resources at the server; "
                    + "to increase -insert.maxQueueDuration; to increase -maxConcurrentInserts");
            return;
        }
        // A form body is consumed while the args are read: nothing is left for the JSON lines.
        byte[] raw = form ? new byte[0] : body.getBytes();
        String encoding = Objects.requireNonNullElse(req.getHeader("Content-Encoding"), "");
        Predicate<String> reject = rejectLines;
        Predicate<String> refuse = refuseRequestsWith;
        long now = VlTime.nowNanos();
        vertx.executeBlocking(() -> {
            BodyDecoding.Decoded decoded = BodyDecoding.decode(raw, encoding);
            String text = new String(decoded.data(), java.nio.charset.StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (!line.isEmpty() && refuse.test(line)) {
                    throw new RefusedRequest("cannot parse timestamp in line: " + line.substring(0, Math.min(200, line.length())));
                }
            }
            return JsonLineIngest.ingest(decoded.data(), decoded.error(), params, limits, now, reject);
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                Throwable t = ar.cause();
                if (t instanceof BodyDecoding.Undecodable || t instanceof RefusedRequest) {
                    error(req, 400, t.getMessage());
                } else {
                    LOG.error("VictoriaLogs stand-in failed on an insert request", t);
                    error(req, 500, "VictoriaLogs stand-in internal error: " + t);
                }
                return;
            }
            JsonLineIngest.Result r = ar.result();
            rowsIngested.addAndGet(r.ingested);
            lineErrors.addAndGet(r.errors);
            r.drops.forEach((reason, n) -> drops.get(reason).addAndGet(n));
            if (r.failed()) {
                error(req, 400, "cannot process jsonline request; error: " + r.lastError);
                return;
            }
            if (form && body.length() > 0) {
                drops.get(DropReason.FORM_CONTENT_TYPE).incrementAndGet();
                LOG.warn("VictoriaLogs stand-in: a form-encoded /insert/jsonline body ({} bytes) was consumed as a form; nothing stored",
                        body.length());
            }
            store.add(r.rows);
            req.response().setStatusCode(200).end();
        });
    }

    /** A request refused as a whole by {@link #refuseRequestsWithLinesMatching}. */
    private static final class RefusedRequest extends RuntimeException {
        RefusedRequest(String message) {
            super(message, null, false, false);
        }
    }

    private Integer nextInjectedFailure() {
        synchronized (faults) {
            if (failNextRemaining > 0) {
                failNextRemaining--;
                return failNextStatus;
            }
            return failAlwaysStatus;
        }
    }

    private void handleQuery(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        queryRequests.incrementAndGet();
        req.body().onSuccess(body -> {
            Map<String, List<String>> formArgs = isFormContentType(req.getHeader("Content-Type")) ? decodeForm(body) : Map.of();
            UnaryOperator<String> arg = argReader(req, formArgs);
            Tenant tenant;
            long limit;
            long offset;
            long start;
            long end;
            long now = VlTime.nowNanos();
            String query = Objects.requireNonNullElse(arg.apply("query"), "");
            try {
                tenant = InsertParams.parseTenant(req::getHeader);
                limit = nonNegative(arg.apply("limit"), "limit");
                offset = nonNegative(arg.apply("offset"), "offset");
                start = timeArg(arg.apply("start"), Long.MIN_VALUE, now, "start");
                end = timeArg(arg.apply("end"), Long.MAX_VALUE, now, "end");
            } catch (IllegalArgumentException e) {
                error(req, 400, e.getMessage());
                return;
            }
            LogsQl.Filter filter;
            try {
                filter = LogsQl.parse(query, now);
            } catch (LogsQlException e) {
                error(req, 400, "cannot parse query [" + query + "]: " + e.getMessage());
                return;
            }
            vertx.executeBlocking(() -> runQuery(tenant, filter, start, end, limit, offset), false).onComplete(ar -> {
                if (ar.failed()) {
                    LOG.error("VictoriaLogs stand-in failed on a query", ar.cause());
                    error(req, 500, "VictoriaLogs stand-in internal error: " + ar.cause());
                    return;
                }
                req.response()
                        .putHeader("Content-Type", "application/stream+json")
                        .putHeader("AccountID", Long.toString(tenant.accountId()))
                        .putHeader("ProjectID", Long.toString(tenant.projectId()))
                        .end(Buffer.buffer(ar.result()));
            });
        });
    }

    private byte[] runQuery(Tenant tenant, LogsQl.Filter filter, long start, long end, long limit, long offset) throws IOException {
        List<StoredRow> rows = new ArrayList<>();
        for (StoredRow row : store.searchable(tenant)) {
            if (row.timeNanos() >= start && row.timeNanos() < end && filter.matches(row)) {
                rows.add(row);
            }
        }
        if (limit > 0) {
            rows.sort(Comparator.comparingLong(StoredRow::timeNanos).reversed());
            int from = (int) Math.min(offset, rows.size());
            rows = rows.subList(from, (int) Math.min(rows.size(), from + limit));
        } else {
            synchronized (shuffle) {
                Collections.shuffle(rows, shuffle);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (StoredRow row : rows) {
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                for (Map.Entry<String, String> f : row.asQueryResult().entrySet()) {
                    g.writeStringField(f.getKey(), f.getValue());
                }
                g.writeEndObject();
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static long nonNegative(String v, String name) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("cannot parse " + name + "=\"" + v + "\": want a non-negative integer");
    }

    private static long timeArg(String v, long absent, long now, String name) {
        if (v == null || v.isEmpty()) {
            return absent;
        }
        try {
            return VlTime.parseQueryTime(v, now);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot parse " + name + "=\"" + v + "\": " + e.getMessage(), e);
        }
    }

    /** Go's {@code r.FormValue}: a form body's value first, then the URL's. */
    private static UnaryOperator<String> argReader(HttpServerRequest req, Map<String, List<String>> formArgs) {
        return name -> {
            List<String> vs = formArgs.get(name);
            if (vs != null && !vs.isEmpty()) {
                return vs.get(0);
            }
            return req.getParam(name);
        };
    }

    private static boolean isFormContentType(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/x-www-form-urlencoded") || media.equals("multipart/form-data");
    }

    private static Map<String, List<String>> decodeForm(Buffer body) {
        try {
            return new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false).parameters();
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /** An error the way VictoriaLogs' {@code httpserver.Errorf} writes it: plain text naming the request. */
    private static void error(HttpServerRequest req, int status, String message) {
        LOG.debug("VictoriaLogs stand-in answers {} to {}: {}", status, req.uri(), message);
        req.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end("remoteAddr: \"" + req.remoteAddress() + "\"; requestURI: " + req.uri() + "; " + message + "\n");
    }

    /** The {@code /metrics} page. */
    String metricsText() {
        StringBuilder b = new StringBuilder();
        b.append("vl_http_requests_total{path=\"/insert/jsonline\"} ").append(insertRequests.get()).append('\n');
        b.append("vl_http_errors_total{path=\"/insert/jsonline\"} ").append(lineErrors.get()).append('\n');
        b.append("vl_http_requests_total{path=\"/select/logsql/query\"} ").append(queryRequests.get()).append('\n');
        b.append("vl_rows_ingested_total{type=\"jsonline\"} ").append(rowsIngested.get()).append('\n');
        for (DropReason r : DropReason.values()) {
            b.append(r.metricSeries()).append(' ').append(drops.get(r).get()).append('\n');
        }
        b.append("standin_rows_stored_total ").append(store.size()).append('\n');
        b.append("standin_injected_failures_total ").append(injectedFailures.get()).append('\n');
        return b.toString();
    }

    private void requireStarted() {
        if (vertx == null || closed) {
            throw new IllegalStateException("the stand-in is not running");
        }
    }

    private static <T> T await(Future<T> f, String what) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(LIFECYCLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException) {
                throw new UncheckedIOException("cannot " + what + ": " + c.getMessage(), (IOException) c);
            }
            throw new IllegalStateException("cannot " + what + ": " + c, c);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out waiting to " + what, e);
        }
    }
}
