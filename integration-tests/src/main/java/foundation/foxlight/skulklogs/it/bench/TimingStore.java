package foundation.foxlight.skulklogs.it.bench;

import foundation.foxlight.skulklogs.it.victorialogs.BodyDecoding;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal {@code POST /insert/jsonline} endpoint for benchmarks: it stores nothing, it notes for every line (by its
 * {@code bench_seq} field, see {@link BenchLines} and {@link EndToEndBench}) when the request holding it was answered 200, and the line's
 * {@code bench_sent_us}. Cheaper than the VictoriaLogs stand-in, so what it measures is the relay, not the store.
 * Bodies: any {@code Content-Encoding} the stand-in reads ({@link BodyDecoding}). Lines without {@code bench_seq} are counted and otherwise ignored.
 *
 * <p>Threading: bodies are decoded and scanned on a Vert.x worker; the 200 is sent on the event loop, and the time
 * noted for the request's lines is taken right before it. The query methods may be called from any thread.
 * Lifecycle: {@link #up()} binds (again), {@link #down()} closes the listener (clients get "connection refused"),
 * {@link #close()} ends it; the port stays the same.
 */
final class TimingStore implements AutoCloseable {
    private static final byte[] SEQ = "\"bench_seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SENT = "\"bench_sent_us\":".getBytes(StandardCharsets.US_ASCII);

    private final Vertx vertx = Vertx.vertx();
    private final int port;
    /** Per sequence number: the answer time (epoch µs) of its first accepted request, 0 = not yet. */
    private final long[] acceptedAt;
    /** Per sequence number: the line's {@code bench_sent_us}. */
    private final long[] sentAt;
    private final AtomicLong unique = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile long firstAcceptMicros;
    private volatile long lastAcceptMicros;
    private HttpServer server;

    /** @param capacity the highest {@code bench_seq} + 1 that will be sent */
    TimingStore(int port, int capacity) {
        this.port = port;
        this.acceptedAt = new long[capacity];
        this.sentAt = new long[capacity];
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void up() throws Exception {
        if (server != null) {
            return;
        }
        server = await(vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1"));
    }

    synchronized void down() throws Exception {
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    @Override
    public void close() throws Exception {
        down();
        await(vertx.close());
    }

    private void handle(HttpServerRequest req) {
        if (!req.path().equals("/insert/jsonline")) {
            req.response().setStatusCode(req.path().equals("/health") ? 200 : 404).end(req.path().equals("/health") ? "OK" : "");
            return;
        }
        String encoding = req.getHeader("Content-Encoding");
        req.body().compose(body -> vertx.executeBlocking(() -> scan(BodyDecoding.decodeWhole(body.getBytes(), encoding)), false)).onComplete(ar -> {
            if (ar.failed()) {
                req.response().setStatusCode(400).end(String.valueOf(ar.cause()));
                return;
            }
            long now = micros();
            record(ar.result(), now);
            req.response().setStatusCode(200).end();
        });
    }

    /** Pairs (seq, sent µs) of the lines in {@code data}, flattened; -1 for a line without them. */
    private long[] scan(byte[] data) {
        long[] out = new long[64];
        int n = 0;
        int pos = 0;
        while (pos < data.length) {
            int nl = indexOf(data, (byte) '\n', pos);
            int end = nl < 0 ? data.length : nl;
            if (end > pos) {
                if (n + 2 > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = number(data, pos, end, SEQ);
                out[n++] = number(data, pos, end, SENT);
            }
            pos = end + 1;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private void record(long[] pairs, long now) {
        requests.incrementAndGet();
        for (int i = 0; i < pairs.length; i += 2) {
            long seq = pairs[i];
            if (seq < 0 || seq >= acceptedAt.length) {
                foreign.incrementAndGet();
                continue;
            }
            int s = (int) seq;
            if (acceptedAt[s] == 0) {
                acceptedAt[s] = now;
                sentAt[s] = pairs[i + 1];
                unique.incrementAndGet();
            } else {
                duplicates.incrementAndGet();
            }
        }
        if (pairs.length > 0) {
            if (firstAcceptMicros == 0) {
                firstAcceptMicros = now;
            }
            lastAcceptMicros = now;
        }
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The non-negative integer after {@code key} (and any spaces) in {@code data[from, end)}, or -1. */
    private static long number(byte[] data, int from, int end, byte[] key) {
        outer:
        for (int i = from; i + key.length <= end; i++) {
            for (int k = 0; k < key.length; k++) {
                if (data[i + k] != key[k]) {
                    continue outer;
                }
            }
            long v = 0;
            int j = i + key.length;
            while (j < end && data[j] == ' ') { // "key": value, as Python's json.dumps writes it
                j++;
            }
            if (j >= end || data[j] < '0' || data[j] > '9') {
                return -1;
            }
            while (j < end && data[j] >= '0' && data[j] <= '9') {
                v = v * 10 + (data[j++] - '0');
            }
            return v;
        }
        return -1;
    }

    static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** Distinct lines accepted. */
    long unique() {
        return unique.get();
    }

    /** Lines accepted again (re-sent after a retry or a restart). */
    long duplicates() {
        return duplicates.get();
    }

    /** Lines without a {@code bench_seq} in range. */
    long foreign() {
        return foreign.get();
    }

    long requests() {
        return requests.get();
    }

    /** Answer time of the first request with lines (epoch µs), 0 before. */
    long firstAcceptMicros() {
        return firstAcceptMicros;
    }

    long lastAcceptMicros() {
        return lastAcceptMicros;
    }

    /** Accepted-at minus sent-at (µs) of each line {@code from <= seq < to} accepted so far. Call after the run. */
    long[] latenciesMicros(int from, int to) {
        long[] out = new long[to - from];
        int n = 0;
        for (int s = from; s < to; s++) {
            if (acceptedAt[s] != 0) {
                out[n++] = acceptedAt[s] - sentAt[s];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
