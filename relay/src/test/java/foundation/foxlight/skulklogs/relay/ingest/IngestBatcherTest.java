package foundation.foxlight.skulklogs.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.relay.ingest.IngestBatcher.KeyedRecord;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.BatchFormatException;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestBatcherTest {
    private static LogEvent event(String node, int i, int pad) {
        LogEvent.Builder b = LogEvent.builder().put("msg", "event " + i + " " + "x".repeat(pad)).put("i", (long) i);
        if (node != null) {
            b.put("node_id", node);
        }
        return b.build();
    }

    private static EventBatch decode(KeyedRecord r) {
        try {
            return BatchCodec.decode(r.value());
        } catch (BatchFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void groupsByNodeKeepingOrderAndFillsBatchHeaders() {
        IngestBatcher b = new IngestBatcher("http:1.2.3.4", 1234L, 64 << 10, 1 << 20);
        List<LogEvent> in = List.of(event("a", 0, 0), event("b", 1, 0), event(null, 2, 0), event("a", 3, 0), event("", 4, 0));
        for (LogEvent e : in) {
            assertThat(b.add(e)).isNull();
        }
        assertThat(b.finish()).isNull();
        assertThat(b.events()).isEqualTo(5);
        List<KeyedRecord> records = b.records();
        assertThat(records).extracting(KeyedRecord::key).containsExactly("a", "b", "http");
        EventBatch a = decode(records.get(0));
        assertThat(a.nodeId()).isEqualTo("a");
        assertThat(a.source()).isEqualTo("http:1.2.3.4");
        assertThat(a.sequence()).isEqualTo(-1);
        assertThat(a.createdAtMillis()).isEqualTo(1234L);
        assertThat(a.events()).containsExactly(in.get(0), in.get(3));
        assertThat(decode(records.get(2)).events()).containsExactly(in.get(2), in.get(4));
        assertThat(records).extracting(KeyedRecord::events).containsExactly(2, 1, 2);
    }

    @Test
    void splitsRecordsAtTheSizeLimitKeepingPerKeyOrder() {
        int max = 64 << 10;
        IngestBatcher b = new IngestBatcher("http:x", 0, max, 64L << 20);
        List<LogEvent> in = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            LogEvent e = event(i % 3 == 0 ? "n0" : "n1", i, 300);
            in.add(e);
            assertThat(b.add(e)).isNull();
        }
        assertThat(b.finish()).isNull();
        List<LogEvent> n0 = new ArrayList<>();
        List<LogEvent> n1 = new ArrayList<>();
        for (KeyedRecord r : b.records()) {
            assertThat(r.value().length).isLessThanOrEqualTo(max);
            EventBatch batch = decode(r);
            assertThat(batch.events()).hasSize(r.events());
            (r.key().equals("n0") ? n0 : n1).addAll(batch.events());
        }
        assertThat(b.records().size()).isGreaterThan(10);
        assertThat(n0).containsExactlyElementsOf(in.stream().filter(e -> "n0".equals(e.get("node_id"))).toList());
        assertThat(n1).containsExactlyElementsOf(in.stream().filter(e -> "n1".equals(e.get("node_id"))).toList());
    }

    @Test
    void anEventLargerThanARecordTravelsAlone() {
        IngestBatcher b = new IngestBatcher("http:x", 0, 1024, 1 << 20);
        b.add(event("a", 0, 10));
        b.add(event("a", 1, 5000));
        b.add(event("a", 2, 10));
        b.finish();
        assertThat(b.records()).extracting(KeyedRecord::events).containsExactly(1, 1, 1);
    }

    @Test
    void manyDistinctKeysAreFlushedAsTheyPileUp() {
        IngestBatcher b = new IngestBatcher("http:x", 0, 1024, 1 << 30);
        for (int i = 0; i < 10_000; i++) {
            assertThat(b.add(event("node-" + i, i, 0))).isNull();
        }
        b.finish();
        assertThat(b.records().stream().mapToInt(KeyedRecord::events).sum()).isEqualTo(10_000);
    }

    @Test
    void requestGrowingPastTheTotalLimitIs413() {
        IngestBatcher b = new IngestBatcher("http:x", 0, 1024, 10_000);
        IngestError error = null;
        for (int i = 0; i < 10_000 && error == null; i++) {
            error = b.add(event("a", i, 10));
        }
        assertThat(error).isNotNull();
        assertThat(error.status()).isEqualTo(413);
        assertThat(error.message()).contains("fewer lines");
    }
}
