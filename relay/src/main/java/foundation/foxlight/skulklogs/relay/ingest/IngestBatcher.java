package foundation.foxlight.skulklogs.relay.ingest;

import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups one request's normalized events by Kafka key ({@link IngestNormalizer#nodeKey}) into
 * {@link EventBatch}es ({@code nodeId} = the key, {@code source} = {@code http:<client>}, {@code sequence} =
 * -1) and encodes them with {@link BatchCodec}, each record at most {@code maxRecordBytes} unless a single
 * event is larger. Events of one key keep their order across records. Encoding happens as batches fill, so a
 * request holds about its encoded size in memory, not one Java object per field; {@code maxTotalBytes} caps
 * that (a body of tiny lines grows when each line gets {@code ts}, {@code component} and {@code log.source}).
 *
 * <p>Not thread-safe: one per request, used by one thread at a time.
 */
final class IngestBatcher {
    /** One Kafka record: key = node id, value = an encoded batch of {@code events} events. */
    record KeyedRecord(String key, byte[] value, int events) {
    }

    /** Pending (not yet encoded) events of all keys beyond this many estimated bytes are encoded at once. */
    private static final int PENDING_FACTOR = 4;

    private final String source;
    private final long createdAtMillis;
    private final int maxRecordBytes;
    private final long maxTotalBytes;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final List<KeyedRecord> records = new ArrayList<>();
    private long pendingBytes;
    private long encodedBytes;
    private long events;

    private static final class Pending {
        final List<LogEvent> events = new ArrayList<>();
        long bytes;
    }

    /**
     * @param source          the batches' source, {@code http:<client address>}
     * @param createdAtMillis the batches' creation time (the request's receive time)
     * @param maxRecordBytes  target size of one encoded batch
     * @param maxTotalBytes   413 when the request's encoded batches exceed this
     */
    IngestBatcher(String source, long createdAtMillis, int maxRecordBytes, long maxTotalBytes) {
        this.source = source;
        this.createdAtMillis = createdAtMillis;
        this.maxRecordBytes = maxRecordBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** Adds a normalized event; an error (413) when the request grows past {@code maxTotalBytes}. */
    IngestError add(LogEvent event) {
        String key = IngestNormalizer.nodeKey(event);
        long size = BatchCodec.estimatedSize(event);
        Pending p = pending.computeIfAbsent(key, k -> new Pending());
        if (!p.events.isEmpty() && p.bytes + size > maxRecordBytes) {
            flush(key, p);
        }
        p.events.add(event);
        p.bytes += size;
        pendingBytes += size;
        events++;
        if (pendingBytes > (long) PENDING_FACTOR * maxRecordBytes) {
            pending.forEach(this::flush);
            pending.clear(); // many keys with a few events each: forget the empty ones
        }
        return checkTotal();
    }

    /** Encodes what is pending; an error (413) when the request grows past {@code maxTotalBytes}. */
    IngestError finish() {
        pending.forEach(this::flush);
        pending.clear();
        return checkTotal();
    }

    /** The records, in the order they must be produced (per key: event order). Call after {@link #finish}. */
    List<KeyedRecord> records() {
        return records;
    }

    long events() {
        return events;
    }

    long encodedBytes() {
        return encodedBytes;
    }

    private IngestError checkTotal() {
        if (encodedBytes + pendingBytes > maxTotalBytes) {
            return new IngestError(413, "request too large: after " + events + " lines its events take more than "
                    + maxTotalBytes + " bytes (twice the relay's ingest.max_body_bytes; many tiny lines grow most):"
                    + " send fewer lines per request");
        }
        return null;
    }

    private void flush(String key, Pending p) {
        if (p.events.isEmpty()) {
            return;
        }
        encode(key, p.events);
        pendingBytes -= p.bytes;
        p.events.clear();
        p.bytes = 0;
    }

    /** Encodes; halves a batch whose encoding turned out larger than the estimate allowed. */
    private void encode(String key, List<LogEvent> batch) {
        byte[] bytes = BatchCodec.encode(new EventBatch(key, source, -1, createdAtMillis, batch));
        if (bytes.length > maxRecordBytes && batch.size() > 1) {
            int half = batch.size() / 2;
            encode(key, new ArrayList<>(batch.subList(0, half)));
            encode(key, new ArrayList<>(batch.subList(half, batch.size())));
            return;
        }
        records.add(new KeyedRecord(key, bytes, batch.size()));
        encodedBytes += bytes.length;
    }
}
