package foundation.foxlight.skulklogs.it.bench;

import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts Skulk-like lines into the log topic the way the agent does (one Kafka record = one encoded
 * {@link EventBatch}, key = node id, {@code acks=all}, idempotent, zstd), each line carrying {@code bench_seq}
 * (0, 1, 2, ...) and {@code bench_sent_us} (epoch µs when its record was handed to the producer) for
 * {@link TimingStore}. Single-threaded; {@link #close()} flushes and closes the producer.
 */
final class BenchLines implements AutoCloseable {
    private static final String[] COMPONENTS = {"worker", "api", "master", "shard"};

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Random random = new Random(42);
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();
    private long nextSeq;
    private long batchSeq;

    BenchLines(String bootstrap, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.<String, Object>of(
                "bootstrap.servers", bootstrap,
                "acks", "all",
                "enable.idempotence", "true",
                "compression.type", "zstd",
                "linger.ms", "5",
                "max.request.size", String.valueOf(8 * 1024 * 1024)), new StringSerializer(), new ByteArraySerializer());
    }

    /** Sequence number of the next line. */
    long nextSeq() {
        return nextSeq;
    }

    /** Sends one record of {@code lines} lines from node {@code bench-<k>} (k rotates over 4 nodes). */
    void sendRecord(int lines) {
        long sentUs = TimingStore.micros();
        String ts = Instant.ofEpochSecond(sentUs / 1_000_000, sentUs % 1_000_000 * 1000).toString();
        String node = "bench-" + (batchSeq % 4);
        List<LogEvent> events = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            long seq = nextSeq++;
            String component = COMPONENTS[(int) (seq % 4)];
            events.add(LogEvent.builder()
                    .put(LogEvent.TS, ts)
                    .put(LogEvent.LEVEL, "INFO")
                    .put(LogEvent.NODE_ID, node)
                    .put(LogEvent.COMPONENT, component)
                    .put(LogEvent.MODULE, "skulk." + component + ".runner")
                    .put(LogEvent.FUNCTION, "step")
                    .put(LogEvent.LINE, seq % 500)
                    .put(LogEvent.MSG, "step " + seq + " done in " + (1 + random.nextInt(999)) + " ms")
                    .put("bench_seq", seq)
                    .put("bench_sent_us", sentUs)
                    .build());
        }
        byte[] value = BatchCodec.encode(new EventBatch(node, "bench", batchSeq++, sentUs / 1000, events));
        pending.add(producer.send(new ProducerRecord<>(topic, node, value)));
        if (pending.size() >= 1000) {
            pending.removeIf(BenchLines::doneOrThrow);
        }
    }

    /** Whether the send finished; throws when it failed (the benchmark must not go on with lines missing). */
    private static boolean doneOrThrow(Future<RecordMetadata> f) {
        if (!f.isDone()) {
            return false;
        }
        try {
            f.get();
            return true;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("a benchmark record was not sent: " + e, e);
        }
    }

    /** {@code total} lines as fast as the broker takes them, {@code perRecord} lines per record; returns when acknowledged. */
    void backlog(long total, int perRecord) throws ExecutionException, InterruptedException {
        while (nextSeq < total) {
            sendRecord((int) Math.min(perRecord, total - nextSeq));
        }
        awaitSent();
    }

    /**
     * {@code linesPerSecond} for {@code seconds}, one record of {@code perRecord} lines at a time, spaced evenly
     * (a late tick is sent at once; the schedule is not shifted, so the mean rate holds).
     */
    void steady(int linesPerSecond, double seconds, int perRecord) throws ExecutionException, InterruptedException {
        paced((long) (seconds * linesPerSecond / perRecord), (long) (1e9 * perRecord / linesPerSecond), tick -> sendRecord(perRecord));
        awaitSent();
    }

    /**
     * Runs {@code tick} {@code ticks} times on the calling thread, the k-th no earlier than {@code k * intervalNanos}
     * after the first; a late tick runs at once and the schedule is not shifted, so the mean rate holds.
     */
    static void paced(long ticks, long intervalNanos, java.util.function.LongConsumer tick) {
        long start = System.nanoTime();
        for (long r = 0; r < ticks; r++) {
            long due = start + r * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            tick.accept(r);
        }
    }

    private void awaitSent() throws ExecutionException, InterruptedException {
        producer.flush();
        for (Future<RecordMetadata> f : pending) {
            f.get();
        }
        pending.clear();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }
}
