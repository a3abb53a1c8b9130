package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import foundation.foxlight.skulklogs.schema.LogEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Finds the events VictoriaLogs refuses in a batch that got a content rejection (400, 413, 422), by
 * bisection: the batch is split in halves, each half is sent; a half that is accepted is delivered, a
 * half that is refused is split again, and a single event that is still refused is a rejected event
 * (with the server's message as reason). Costs about {@code 2 · log2(n)} requests per bad event; the
 * total is capped by {@link #requestBudget(int, int)} — past the cap, refused ranges are rejected as a
 * whole (with a reason saying so) and unsent ranges become pending.
 *
 * <p>Requests are sent one at a time, in input order, so accepted halves are stored exactly once. The
 * split stops at the first {@link InsertOutcome.Retry} or non-content {@link InsertOutcome.Rejected}:
 * everything not settled is returned as pending (resend later), never rejected.
 *
 * <p>Assumes, as VictoriaLogs does, that a refused request stored nothing (VictoriaLogs answers 400
 * only when every line failed or for a bad parameter/timestamp; lines it can parse are otherwise stored
 * with a 200).
 *
 * <p>Threading: {@link #split} may be called from any thread; requests are built on worker threads
 * ({@code executeBlocking}), sent with the service, and the future completes on a Vert.x thread. One
 * instance may run several splits at once (it keeps no per-split state).
 */
public final class RejectedLineSplitter {
    /** Default number of bad events one split is sized for (see {@link #requestBudget}). */
    public static final int DEFAULT_MAX_REJECTED = 32;

    private final Vertx vertx;
    private final VictoriaLogsRequestBuilder builder;
    private final VictoriaLogsService service;
    private final Supplier<Instant> clock;
    private final int maxRejected;

    public RejectedLineSplitter(Vertx vertx, VictoriaLogsRequestBuilder builder, VictoriaLogsService service,
            Supplier<Instant> clock) {
        this(vertx, builder, service, clock, DEFAULT_MAX_REJECTED);
    }

    /** @param maxRejected how many bad events a split must be able to isolate within its budget */
    public RejectedLineSplitter(Vertx vertx, VictoriaLogsRequestBuilder builder, VictoriaLogsService service,
            Supplier<Instant> clock, int maxRejected) {
        if (maxRejected < 1) {
            throw new IllegalArgumentException("maxRejected must be at least 1");
        }
        this.vertx = vertx;
        this.builder = builder;
        this.service = service;
        this.clock = clock;
        this.maxRejected = maxRejected;
    }

    /**
     * Requests allowed for a batch of {@code n} events that already got a content rejection:
     * {@code min(2n - 2, 2 · ceil(log2 n) · maxRejected)} — enough to isolate {@code maxRejected} bad
     * events, and enough to bisect the batch fully when it is small.
     */
    public static int requestBudget(int n, int maxRejected) {
        if (n <= 1) {
            return 0;
        }
        int log2 = 32 - Integer.numberOfLeadingZeros(n - 1);
        return (int) Math.min(2L * n - 2, 2L * log2 * maxRejected);
    }

    /**
     * Settles {@code events}, whose request was answered with the content rejection {@code rejection}
     * (not sent again as a whole). The future always succeeds.
     */
    public Future<SplitResult> split(List<LogEvent> events, InsertOutcome.Rejected rejection) {
        Run run = new Run(events, requestBudget(events.size(), maxRejected));
        if (!events.isEmpty()) {
            run.stack.push(new Range(0, events.size(), rejection));
        }
        run.next();
        return run.promise.future();
    }

    /** Like {@link #split(List, InsertOutcome.Rejected)}, but sends the whole batch first. */
    public Future<SplitResult> split(List<LogEvent> events) {
        Run run = new Run(events, requestBudget(events.size(), maxRejected) + 1);
        if (!events.isEmpty()) {
            run.stack.push(new Range(0, events.size(), null));
        }
        run.next();
        return run.promise.future();
    }

    /** {@code [lo, hi)} of the input; {@code known} is the rejection it already got, or null if unsent. */
    private record Range(int lo, int hi, InsertOutcome.Rejected known) {
        int size() {
            return hi - lo;
        }
    }

    private final class Run {
        final List<LogEvent> events;
        final int budget;
        final Deque<Range> stack = new ArrayDeque<>();
        final List<Integer> delivered = new ArrayList<>();
        final List<SplitResult.RejectedEvent> rejected = new ArrayList<>();
        final List<Integer> pending = new ArrayList<>();
        final Promise<SplitResult> promise = Promise.promise();
        int requests;

        Run(List<LogEvent> events, int budget) {
            this.events = List.copyOf(events);
            this.budget = budget;
        }

        /** Settles ranges without requests until one needs a request, then sends it and returns. */
        void next() {
            while (true) {
                Range r = stack.poll();
                if (r == null) {
                    finish(null);
                    return;
                }
                if (r.known() != null) {
                    if (r.size() == 1) {
                        reject(r, r.known().message());
                    } else if (requests >= budget) {
                        reject(r, r.known().message() + " (a request of " + r.size()
                                + " events was refused; not bisected further: request budget of " + budget
                                + " used up)");
                    } else {
                        int mid = r.lo() + r.size() / 2;
                        stack.push(new Range(mid, r.hi(), null));
                        stack.push(new Range(r.lo(), mid, null));
                    }
                    continue;
                }
                if (requests >= budget) {
                    addPending(r);
                    continue;
                }
                send(r);
                return;
            }
        }

        void send(Range r) {
            List<LogEvent> sub = events.subList(r.lo(), r.hi());
            vertx.executeBlocking(() -> builder.build(sub, clock.get()), false)
                    .transform(built -> {
                        if (built.failed()) {
                            return Future.succeededFuture((InsertOutcome) new InsertOutcome.Rejected(0,
                                    "cannot build the request: " + built.cause()));
                        }
                        requests++;
                        return service.send(built.result());
                    })
                    .onComplete(ar -> {
                        InsertOutcome o = ar.succeeded() ? ar.result() : RetryClassifier.classify(ar.cause());
                        if (o instanceof InsertOutcome.Delivered) {
                            for (int i = r.lo(); i < r.hi(); i++) {
                                delivered.add(i);
                            }
                            next();
                        } else if (o instanceof InsertOutcome.Rejected rej
                                && (rej.isContentRejection() || rej.status() == 0)) {
                            stack.push(new Range(r.lo(), r.hi(), rej));
                            next();
                        } else {
                            addPending(r);
                            Range rest;
                            while ((rest = stack.poll()) != null) {
                                addPending(rest);
                            }
                            finish(o);
                        }
                    });
        }

        void reject(Range r, String reason) {
            for (int i = r.lo(); i < r.hi(); i++) {
                rejected.add(new SplitResult.RejectedEvent(i, events.get(i), r.known().status(), reason));
            }
        }

        void addPending(Range r) {
            for (int i = r.lo(); i < r.hi(); i++) {
                pending.add(i);
            }
        }

        void finish(InsertOutcome interruption) {
            pending.sort(null);
            promise.complete(new SplitResult(delivered, rejected, pending, interruption, requests));
        }
    }
}
