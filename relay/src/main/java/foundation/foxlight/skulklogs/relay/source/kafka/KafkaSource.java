package foundation.foxlight.skulklogs.relay.source.kafka;

import foundation.foxlight.skulklogs.common.delivery.Backoff;
import foundation.foxlight.skulklogs.common.delivery.ContiguousAckTracker;
import foundation.foxlight.skulklogs.relay.deadletter.DeadLetterQueue;
import foundation.foxlight.skulklogs.relay.sink.DeliveryLines;
import foundation.foxlight.skulklogs.relay.sink.EventSink;
import foundation.foxlight.skulklogs.relay.telemetry.RelayMetrics;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.BatchFormatException;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the log topic in a consumer group and feeds an {@link EventSink}, committing offsets only over
 * delivered records.
 *
 * <ul>
 *   <li>Each Kafka record (one encoded batch) is tracked per partition by a {@link ContiguousAckTracker};
 *       only the contiguous delivered prefix is ever committed.</li>
 *   <li>An offset becomes acknowledged {@code commitHoldBack} after its delivery (VictoriaLogs flushes rows
 *       to disk every 5 s after answering 200).</li>
 *   <li>Records that cannot be decoded go to the dead-letter topic with the reason, and are acknowledged
 *       once that write is acknowledged; they never block their partition.</li>
 *   <li>Polled records wait undecoded; they are decoded about one batch at a time (on a worker), only when a
 *       delivery can start, so the decoded lines held at any time are about one batch, not a whole poll's
 *       (up to 64 agent records, ≈ 100,000 lines).</li>
 *   <li>At most {@code maxInFlight + buildAhead} deliveries are outstanding (the sink keeps {@code maxInFlight}
 *       requests out and has the next {@code buildAhead} built and waiting); full batches beyond that wait in a
 *       queue (sending every batch of a poll at once made every request wait for a connection and the first one
 *       finish last). While records wait to be decoded, the queue is not empty or all deliveries are
 *       outstanding (the store is slow or down), all partitions are paused and polling continues, so the relay
 *       stays in its group; they resume as deliveries finish.</li>
 *   <li>On revocation, what is committable is committed; records of revoked partitions still in flight are
 *       delivered but not acknowledged (the new owner delivers them again: duplicates, never loss).</li>
 * </ul>
 *
 * <p>Everything runs on the event loop of the context that called {@link #start()}; the Vert.x consumer
 * does its blocking polls on its own worker.
 */
public final class KafkaSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long COMMIT_INTERVAL_MILLIS = 1000;

    private record Position(TopicPartition partition, long offset) {
    }

    /**
     * Consecutive records' lines for one delivery. The lines decoded to fill it go to the sink's first
     * {@link #read()} and are let go there; a later read (a resend, a split) decodes the records' bytes again.
     * So deliveries in flight and waiting for a retry hold bytes, not decoded events. Filled on the event loop,
     * read on workers.
     */
    private final class Batch implements DeliveryLines {
        private List<LogEvent> decoded = new ArrayList<>();
        final List<Position> positions = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();
        int lines;
        long bytes;
        long startedAt;

        synchronized void add(List<LogEvent> events, Position position, byte[] value) {
            decoded.addAll(events);
            positions.add(position);
            values.add(value);
            lines += events.size();
            bytes += value.length;
        }

        @Override
        public int count() {
            return lines;
        }

        @Override
        public synchronized List<LogEvent> read() {
            List<LogEvent> first = decoded;
            if (first != null) {
                decoded = null;
                return first;
            }
            List<LogEvent> again = new ArrayList<>(lines);
            for (int i = 0; i < values.size(); i++) {
                Position p = positions.get(i);
                try {
                    again.addAll(linesOf(BatchCodec.decode(values.get(i)), p.partition(), p.offset()));
                } catch (BatchFormatException e) {
                    throw new IllegalStateException("record " + p + " decoded once but not again", e);
                }
            }
            return again;
        }
    }

    private final Vertx vertx;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaSourceConfig config;
    private final EventSink sink;
    private final DeadLetterQueue deadLetters;
    private final RelayMetrics metrics;
    private final Map<TopicPartition, ContiguousAckTracker> trackers = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Backoff deadLetterBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    private Batch current = new Batch();
    /** Full batches waiting for a delivery slot, in order. */
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    /** A polled record not decoded yet, with its line count (from its header) and size. */
    private record Undecoded(KafkaConsumerRecord<String, byte[]> record, int lines, int bytes) {
    }

    /** Polled records not decoded yet, in order, and their lines and bytes in all; see {@link #enqueue}, {@link #dequeue}. */
    private final ArrayDeque<Undecoded> undecoded = new ArrayDeque<>();
    private long undecodedLines;
    private long undecodedBytes;
    private boolean decoding;
    private int inFlight;
    private int pendingHoldBacks;
    private boolean paused;
    private boolean running;
    private long commitTimer = -1;
    private Promise<Void> quiesced;
    private java.util.function.BiConsumer<String, Integer> observer = (node, n) -> { };

    public KafkaSource(Vertx vertx, KafkaConsumer<String, byte[]> consumer, KafkaSourceConfig config, EventSink sink,
            DeadLetterQueue deadLetters, RelayMetrics metrics) {
        this.vertx = vertx;
        this.consumer = consumer;
        this.config = config;
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Called (on the event loop) with each decoded batch's node id and line count, e.g. for the fleet view. */
    public void observe(java.util.function.BiConsumer<String, Integer> observer) {
        this.observer = observer;
    }

    /** Subscribes and starts the poll loop; completes once subscribed. */
    public Future<Void> start() {
        running = true;
        consumer.partitionsRevokedHandler(this::onRevoked);
        consumer.partitionsAssignedHandler(parts -> LOG.info("assigned partitions {}", parts));
        commitTimer = vertx.setPeriodic(COMMIT_INTERVAL_MILLIS, id -> commit());
        return consumer.subscribe(config.topic()).onSuccess(v -> poll());
    }

    private void poll() {
        if (!running) {
            return;
        }
        consumer.poll(POLL_TIMEOUT).onComplete(ar -> {
            if (ar.succeeded()) {
                KafkaConsumerRecords<String, byte[]> records = ar.result();
                for (int i = 0; i < records.size(); i++) {
                    KafkaConsumerRecord<String, byte[]> r = records.recordAt(i);
                    track(new TopicPartition(r.topic(), r.partition()), r.offset());
                    enqueue(new Undecoded(r, BatchCodec.eventCount(r.value()), r.value() == null ? 0 : r.value().length));
                }
            } else if (running) {
                LOG.warn("polling Kafka failed: {}", ar.cause().toString());
            }
            decodeNext();
            flushIfLingered();
            updatePause();
            if (running) {
                vertx.runOnContext(v -> poll());
            }
        });
    }

    /**
     * When a delivery could start and nothing is ready, decodes (on a worker) the next waiting records, about one
     * batch's worth by their headers' line counts and their bytes, and handles them here.
     */
    private void decodeNext() {
        if (!running || decoding || undecoded.isEmpty() || !ready.isEmpty() || inFlight >= config.maxDeliveries()) {
            return;
        }
        List<KafkaConsumerRecord<String, byte[]>> slice = new ArrayList<>();
        long lines = current.lines;
        long bytes = current.bytes;
        while (!undecoded.isEmpty() && (slice.isEmpty() || lines < config.maxBatchLines() && bytes < config.maxBatchBytes())) {
            Undecoded u = dequeue();
            slice.add(u.record());
            lines += u.lines();
            bytes += u.bytes();
        }
        decoding = true;
        vertx.executeBlocking(() -> decode(slice), false).onComplete(ar -> {
            decoding = false;
            if (ar.failed()) {
                // decode() never throws: only a worker pool that is shutting down gets here. The records stay
                // unacknowledged, so they are read again after the restart.
                LOG.warn("decoding {} records failed; they will be read again: {}", slice.size(), ar.cause().toString());
                return;
            }
            handle(ar.result());
            decodeNext();
            flushIfLingered();
            updatePause();
        });
    }

    /** Sends the partly filled batch once it waited {@code batchLinger} and no polled record is still to join it. */
    private void flushIfLingered() {
        if (current.lines > 0 && undecoded.isEmpty() && !decoding
                && System.currentTimeMillis() - current.startedAt >= config.batchLinger().toMillis()) {
            flush();
        }
    }

    /** A polled record, decoded: {@code batch} or, when the bytes are not a batch, {@code error}. */
    private record Decoded(KafkaConsumerRecord<String, byte[]> record, EventBatch batch, String error) {
    }

    private void enqueue(Undecoded u) {
        undecoded.add(u);
        undecodedLines += u.lines();
        undecodedBytes += u.bytes();
    }

    private Undecoded dequeue() {
        Undecoded u = undecoded.poll();
        undecodedLines -= u.lines();
        undecodedBytes -= u.bytes();
        return u;
    }

    /** Decodes records, in order. Pure CPU work; runs on a worker thread. Never throws. */
    private static List<Decoded> decode(List<KafkaConsumerRecord<String, byte[]>> records) {
        List<Decoded> out = new ArrayList<>(records.size());
        for (KafkaConsumerRecord<String, byte[]> r : records) {
            try {
                out.add(new Decoded(r, BatchCodec.decode(r.value() == null ? new byte[0] : r.value()), null));
            } catch (BatchFormatException e) {
                out.add(new Decoded(r, null, e.getMessage()));
            } catch (RuntimeException e) {
                out.add(new Decoded(r, null, "could not be decoded: " + e));
            }
        }
        return out;
    }

    private void handle(List<Decoded> decoded) {
        for (Decoded d : decoded) {
            KafkaConsumerRecord<String, byte[]> r = d.record();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (d.batch() == null) {
                deadLetterRecord(tp, r, d.error());
                continue;
            }
            EventBatch batch = d.batch();
            List<LogEvent> events = linesOf(batch, tp, r.offset());
            metrics.linesIn(events.size());
            observer.accept(batch.nodeId(), events.size());
            if (events.isEmpty()) {
                acknowledgeLater(List.of(new Position(tp, r.offset())));
                continue;
            }
            if (current.lines > 0 && (current.lines + events.size() > config.maxBatchLines()
                    || current.bytes + r.value().length > config.maxBatchBytes())) {
                flush();
            }
            if (current.lines == 0) {
                current.startedAt = System.currentTimeMillis();
            }
            current.add(events, new Position(tp, r.offset()), r.value());
            if (current.lines >= config.maxBatchLines() || current.bytes >= config.maxBatchBytes()) {
                flush();
            }
        }
    }

    /** A record's lines as delivered: with {@code log.event_id} when configured (the same ids at every decode). */
    private List<LogEvent> linesOf(EventBatch batch, TopicPartition tp, long offset) {
        return config.eventIds() ? EventIds.assign(batch, tp, offset) : batch.events();
    }

    private void track(TopicPartition tp, long offset) {
        ContiguousAckTracker t = trackers.get(tp);
        try {
            if (t == null) {
                trackers.put(tp, t = new ContiguousAckTracker(offset));
            }
            t.track(offset);
        } catch (IllegalArgumentException e) {
            // The partition was re-read from an earlier offset (e.g. re-assigned): start tracking afresh.
            t = new ContiguousAckTracker(offset);
            t.track(offset);
            trackers.put(tp, t);
        }
    }

    private void deadLetterRecord(TopicPartition tp, KafkaConsumerRecord<String, byte[]> r, String reason) {
        String origin = tp.getTopic() + "-" + tp.getPartition() + "@" + r.offset() + " key=" + r.key();
        LOG.error("undecodable record {} sent to dead-letter topic {}: {}", origin, deadLetters.topic(), reason);
        inFlight++;
        deadLetters.send(r.key(), "undecodable record: " + reason, origin, null, r.value()).onComplete(ar -> {
            if (ar.succeeded()) {
                inFlight--;
                deadLetterBackoff.reset();
                metrics.deadLettered("undecodable_record", 1);
                acknowledgeLater(List.of(new Position(tp, r.offset())));
            } else {
                long delay = deadLetterBackoff.nextDelayMillis();
                LOG.warn("writing to the dead-letter topic failed ({}); retrying in {} ms", ar.cause().toString(), delay);
                vertx.setTimer(delay, id -> {
                    inFlight--;
                    if (running) {
                        deadLetterRecord(tp, r, reason);
                    } else {
                        checkQuiesced();
                    }
                });
            }
        });
    }

    private void flush() {
        if (current.lines == 0) {
            return;
        }
        ready.add(current);
        current = new Batch();
        sendReady();
    }

    /** Starts deliveries of queued batches while fewer than {@code maxInFlight + buildAhead} are outstanding. */
    private void sendReady() {
        while (!ready.isEmpty() && inFlight < config.maxDeliveries()) {
            deliver(ready.poll());
        }
    }

    private void deliver(Batch b) {
        inFlight++;
        metrics.deliveryStarted();
        long started = System.nanoTime();
        sink.deliver(b).onComplete(ar -> {
            inFlight--;
            metrics.deliveryFinished();
            if (ar.succeeded()) {
                metrics.deliveryLatency().record(Duration.ofNanos(System.nanoTime() - started));
                acknowledgeLater(b.positions);
            } else {
                LOG.info("a batch of {} lines was not delivered before shutdown; it will be delivered again: {}", b.count(),
                        ar.cause().getMessage());
            }
            sendReady();
            decodeNext();
            updatePause();
            checkQuiesced();
        });
    }

    /** Acknowledges delivered offsets once the hold-back window has passed. */
    private void acknowledgeLater(List<Position> positions) {
        pendingHoldBacks++;
        vertx.setTimer(Math.max(1, config.commitHoldBack().toMillis()), id -> {
            pendingHoldBacks--;
            for (Position p : positions) {
                ContiguousAckTracker t = trackers.get(p.partition());
                if (t != null) {
                    t.ack(p.offset());
                }
            }
            checkQuiesced();
        });
    }

    private void updatePause() {
        // Records waiting undecoded pause polling only from a full batch's worth on: a few records waiting for a decode
        // in progress must not pause the next poll (a paused poll waits out its timeout: latency at low rates).
        boolean shouldPause = inFlight >= config.maxDeliveries() || !ready.isEmpty()
                || undecodedLines >= config.maxBatchLines() || undecodedBytes >= config.maxBatchBytes();
        if (shouldPause == paused) {
            return;
        }
        paused = shouldPause;
        consumer.assignment().onSuccess(parts -> {
            if (parts.isEmpty()) {
                return;
            }
            if (paused) {
                consumer.pause(parts);
            } else {
                consumer.resume(parts);
            }
        });
    }

    /** Commits, for every partition, the contiguous acknowledged prefix when it moved. */
    private Future<Void> commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, ContiguousAckTracker> e : trackers.entrySet()) {
            long c = e.getValue().committable();
            Long last = committed.get(e.getKey());
            if (last == null || c > last) {
                offsets.put(e.getKey(), new OffsetAndMetadata(c, ""));
            }
        }
        if (offsets.isEmpty()) {
            return Future.succeededFuture();
        }
        return consumer.commit(offsets).onSuccess(v -> {
            offsets.forEach((tp, om) -> committed.merge(tp, om.getOffset(), Math::max));
            metrics.committed();
        }).onFailure(t -> LOG.warn("committing offsets {} failed (will retry): {}", offsets, t.toString())).mapEmpty();
    }

    private void onRevoked(Set<TopicPartition> revoked) {
        LOG.info("partitions revoked {}", revoked);
        metrics.partitionsRevoked(revoked.size());
        // Their new owner reads them again from the committed offset; what waits undecoded here is not delivered.
        for (int n = undecoded.size(); n > 0; n--) {
            Undecoded u = dequeue();
            if (!revoked.contains(new TopicPartition(u.record().topic(), u.record().partition()))) {
                enqueue(u);
            }
        }
        Map<TopicPartition, ContiguousAckTracker> keep = new HashMap<>(trackers);
        commit().onComplete(v -> {
            for (TopicPartition tp : revoked) {
                if (trackers.get(tp) == keep.get(tp)) {
                    trackers.remove(tp);
                    committed.remove(tp);
                }
            }
        });
    }

    private void checkQuiesced() {
        if (quiesced != null && inFlight == 0 && ready.isEmpty() && pendingHoldBacks == 0) {
            quiesced.tryComplete();
        }
    }

    /**
     * Stops polling, delivers the partly filled batch, waits (up to {@code grace}) for deliveries and
     * hold-back windows, commits what was delivered, and closes the consumer.
     */
    public Future<Void> stop(Duration grace) {
        if (!running) {
            return Future.succeededFuture();
        }
        running = false;
        flush();
        quiesced = Promise.promise();
        checkQuiesced();
        long timer = vertx.setTimer(Math.max(1, grace.toMillis()), id -> {
            if (quiesced.tryComplete()) {
                LOG.warn("stopping with {} deliveries unfinished; they will be delivered again after restart", inFlight);
                sink.stop();
            }
        });
        return quiesced.future()
                .onComplete(v -> vertx.cancelTimer(timer))
                .compose(v -> commit().recover(t -> Future.succeededFuture()))
                .eventually(() -> {
                    vertx.cancelTimer(commitTimer);
                    return consumer.close();
                });
    }
}
