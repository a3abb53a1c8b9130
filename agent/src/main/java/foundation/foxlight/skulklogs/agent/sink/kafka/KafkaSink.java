package foundation.foxlight.skulklogs.agent.sink.kafka;

import foundation.foxlight.skulklogs.agent.buffer.BufferRecord;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.config.KafkaSinkConfig;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.common.delivery.Backoff;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records from the {@link DiskBuffer} to Kafka. Each buffer record (an encoded batch) becomes one
 * Kafka record keyed by node id. A buffer record is acknowledged ({@link DiskBuffer#ack}) only from the
 * producer's success callback; a failed send is retried with backoff, forever, never dropped. At most
 * {@code maxInFlight} records are outstanding.
 *
 * <p>Runs on the event loop of the verticle that started it; buffer reads happen on a dedicated worker. When the
 * buffer has nothing new, the sink waits for the buffer's append notification ({@link DiskBuffer#onAppend}) — no
 * polling while a node is quiet — and looks again after {@value #IDLE_RECHECK_MILLIS} ms at the latest.
 * Lifecycle: {@link #start()}, then {@link #stop(Duration)} which waits for in-flight sends (up to a
 * grace period) — records still unacknowledged then are simply delivered again after restart.
 */
public final class KafkaSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    /** While idle, the buffer is looked at again after this long even without an append notification (a safety net). */
    static final long IDLE_RECHECK_MILLIS = 1000;

    private final Vertx vertx;
    private final DiskBuffer buffer;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaSinkConfig config;
    private final String key;
    private final AgentMetrics metrics;
    private final WorkerExecutor reader;
    private final Backoff backoff;
    private int inFlight;
    private boolean reading;
    private boolean running;
    private Promise<Void> drained;
    private boolean failing; // the last send failed
    /** Appends seen (any thread): a read that found nothing while this moved must look again. */
    private final AtomicLong appends = new AtomicLong();
    /** True while waiting for an append (set on the event loop, cleared by whoever wakes the sink). */
    private final AtomicBoolean idle = new AtomicBoolean();
    private Context context;
    private long idleTimer = -1;

    public KafkaSink(Vertx vertx, DiskBuffer buffer, KafkaProducer<String, byte[]> producer, KafkaSinkConfig config, String key,
            AgentMetrics metrics) {
        this.vertx = vertx;
        this.buffer = buffer;
        this.producer = producer;
        this.config = config;
        this.key = key;
        this.metrics = metrics;
        this.reader = vertx.createSharedWorkerExecutor("skulk-kafka-sink-reader", 1);
        this.backoff = new Backoff(Duration.ofMillis(100), config.retryBackoffMax());
    }

    public void start() {
        running = true;
        context = vertx.getOrCreateContext();
        buffer.onAppend(this::recordsAppended);
        pump();
    }

    /** Called by the buffer on the appending thread: wakes an idle sink now instead of at its next re-check. */
    private void recordsAppended() {
        appends.incrementAndGet();
        if (idle.compareAndSet(true, false)) {
            context.runOnContext(v -> wake());
        }
    }

    private void wake() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
        pump();
    }

    private void pump() {
        if (!running || reading || inFlight >= config.maxInFlight()) {
            return;
        }
        reading = true;
        long appendsBefore = appends.get();
        int room = config.maxInFlight() - inFlight;
        reader.<List<BufferRecord>>executeBlocking(() -> buffer.read(room, 4L * 1024 * 1024), true).onComplete(ar -> {
            reading = false;
            if (ar.failed()) {
                LOG.error("reading the disk buffer failed: {}", ar.cause().toString());
                vertx.setTimer(backoff.nextDelayMillis(), id -> pump());
                return;
            }
            List<BufferRecord> records = ar.result();
            for (BufferRecord r : records) {
                send(r);
            }
            if (records.isEmpty()) {
                idle.set(true);
                if (appends.get() != appendsBefore && idle.compareAndSet(true, false)) {
                    pump(); // an append came while reading: look again now
                } else if (idleTimer < 0) {
                    idleTimer = vertx.setTimer(IDLE_RECHECK_MILLIS, id -> {
                        idleTimer = -1;
                        if (idle.compareAndSet(true, false)) {
                            pump();
                        }
                    });
                }
            } else {
                pump();
            }
        });
    }

    private void send(BufferRecord r) {
        inFlight++;
        long started = System.nanoTime();
        producer.send(KafkaProducerRecord.create(config.topic(), key, r.payload())).onComplete(ar -> {
            if (ar.succeeded()) {
                inFlight--;
                buffer.ack(r.id());
                metrics.produceLatency().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                metrics.linesShipped(BatchCodec.eventCount(r.payload()), r.payload().length);
                if (failing) {
                    LOG.info("Kafka at {} is accepting records again", config.bootstrapServers());
                    failing = false;
                }
                backoff.reset();
                checkDrained();
                pump();
            } else {
                if (!running) { // the client closed under it at stop
                    inFlight--; // not acked: it stays in the buffer and is sent again after restart
                    LOG.debug("a record not acknowledged by Kafka before the stop stays in the disk buffer: {}", ar.cause().toString());
                    checkDrained();
                    return;
                }
                String reason = ar.cause().getClass().getSimpleName();
                metrics.produceFailed(reason);
                long delay = backoff.nextDelayMillis();
                if (!failing || backoff.failures() % 20 == 1) {
                    LOG.warn("Kafka at {} did not take a record ({}); keeping it in the disk buffer and retrying in {} ms",
                            config.bootstrapServers(), ar.cause().getMessage(), delay);
                }
                failing = true;
                vertx.setTimer(delay, id -> {
                    inFlight--;
                    if (running) {
                        send(r);
                    } else {
                        checkDrained();
                    }
                });
            }
        });
    }

    /** Whether the last send failed (Kafka unreachable or refusing). Event loop only. */
    public boolean failing() {
        return failing;
    }

    private void checkDrained() {
        if (drained != null && inFlight == 0) {
            drained.tryComplete();
        }
    }

    /**
     * Stops reading the buffer and waits up to {@code grace} for sends in flight, not at all while Kafka is failing
     * (they would only time out); never acknowledges anything itself.
     */
    public Future<Void> stop(Duration grace) {
        running = false;
        buffer.onAppend(() -> { });
        drained = Promise.promise();
        checkDrained();
        if (failing) {
            drained.tryComplete(); // what is in flight stays unacknowledged in the buffer, sent again after the next start
        }
        long timer = vertx.setTimer(Math.max(1, grace.toMillis()), id -> drained.tryComplete());
        return drained.future().onComplete(v -> vertx.cancelTimer(timer)).eventually(reader::close);
    }
}
