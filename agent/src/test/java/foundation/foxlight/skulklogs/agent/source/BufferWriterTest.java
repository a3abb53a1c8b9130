package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.BufferFullException;
import foundation.foxlight.skulklogs.agent.buffer.BufferRecord;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferWriterTest {
    private static final String SOURCE = "/home/u/.skulk/logs/skulk.stdout.log";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AgentMetrics metrics = new AgentMetrics(registry);
    private DiskBuffer buffer;
    private long offset;

    @AfterEach
    void close() throws Exception {
        if (buffer != null) {
            buffer.close();
        }
    }

    private BufferWriter writer(long maxBytes, long segmentBytes) throws Exception {
        buffer = DiskBuffer.open(new BufferConfig(dir.resolve("buffer"), maxBytes, segmentBytes, new FsyncPolicy.Never()));
        return new BufferWriter(buffer, new EventEnricher("node-1"), metrics, SOURCE);
    }

    private BufferWriter writer() throws Exception {
        return writer(1 << 20, 1 << 20);
    }

    private Line line(Line.Kind kind, String text) {
        return line(kind, text.getBytes(StandardCharsets.UTF_8));
    }

    private Line line(Line.Kind kind, byte[] bytes) {
        long start = offset;
        offset += bytes.length + (kind == Line.Kind.COMPLETE ? 1 : 0);
        return new Line(bytes, start, offset, kind);
    }

    private Line complete(String text) {
        return line(Line.Kind.COMPLETE, text);
    }

    private List<EventBatch> batches() throws Exception {
        List<EventBatch> out = new ArrayList<>();
        for (BufferRecord r : buffer.read(1000, Long.MAX_VALUE)) {
            out.add(BatchCodec.decode(r.payload()));
        }
        return out;
    }

    private List<LogEvent> events() throws Exception {
        return batches().stream().flatMap(b -> b.events().stream()).toList();
    }

    private double read() {
        Counter c = registry.find("skulk_agent_lines_read_total").tag("source", SOURCE).counter();
        return c == null ? 0 : c.count();
    }

    private double flagged(String reason) {
        Counter c = registry.find("skulk_agent_lines_flagged_total").tag("source", SOURCE).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void linesBecomeOneBatchRecordOfParsedEvents() throws Exception {
        BufferWriter w = writer();
        long before = System.currentTimeMillis();
        long id = w.append(List.of(
                complete("{\"ts\": \"2026-05-04T12:34:56.789Z\", \"level\": \"INFO\", \"node_id\": \"mac-1\", "
                        + "\"component\": \"worker\", \"module\": \"skulk.worker.runner\", \"line\": 12, \"msg\": \"started\"}"),
                complete("{\"ts\": \"2026-05-04T12:34:56.790Z\", \"level\": \"ERROR\", \"node_id\": \"mac-1\", "
                        + "\"component\": \"api\", \"msg\": \"boom\", \"exception\": \"Traceback\\n  line 1\"}")), 77);
        long after = System.currentTimeMillis();

        List<EventBatch> batches = batches();
        assertThat(batches).singleElement().satisfies(b -> {
            assertThat(b.nodeId()).isEqualTo("node-1");
            assertThat(b.source()).isEqualTo(SOURCE);
            assertThat(b.sequence()).isEqualTo(77);
            assertThat(b.createdAtMillis()).isBetween(before, after);
            assertThat(b.events()).hasSize(2);
        });
        assertThat(id).isEqualTo(buffer.lastAppendedId());
        LogEvent first = batches.get(0).events().get(0);
        assertThat(first.get(LogEvent.NODE_ID)).as("the line's own node_id wins").isEqualTo("mac-1");
        assertThat(first.get(LogEvent.LINE)).isEqualTo(12L);
        assertThat(first.get(LogEvent.MSG)).isEqualTo("started");
        assertThat(batches.get(0).events().get(1).get(LogEvent.EXCEPTION)).isEqualTo("Traceback\n  line 1");
        assertThat(first.has(PipelineFields.PARSE_ERROR)).isFalse();

        assertThat(read()).isEqualTo(2);
        assertThat(metrics.linesReadTotal()).isEqualTo(2);
        assertThat(metrics.linesFlaggedTotal()).isZero();
    }

    @Test
    void aLineThatIsNotJsonIsKeptFlaggedAndEnriched() throws Exception {
        BufferWriter w = writer();
        w.append(List.of(complete("Traceback (most recent call last):"), complete("")), 0);
        List<LogEvent> events = events();
        LogEvent e = events.get(0);
        assertThat(e.get(LogEvent.MSG)).isEqualTo("Traceback (most recent call last):");
        assertThat(e.has(PipelineFields.PARSE_ERROR)).isTrue();
        assertThat(e.get(LogEvent.NODE_ID)).isEqualTo("node-1");
        assertThat(e.get(LogEvent.COMPONENT)).isEqualTo("unknown");
        assertThat(e.get(LogEvent.TS)).asString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(events.get(1).get(PipelineFields.PARSE_ERROR)).isEqualTo("empty line");
        assertThat(flagged("not_json")).isEqualTo(2);
        assertThat(read()).isEqualTo(2);
    }

    @Test
    void invalidUtf8IsReplacedAndFlagged() throws Exception {
        BufferWriter w = writer();
        byte[] bad = "{\"msg\": \"caf?\"}".getBytes(StandardCharsets.ISO_8859_1);
        bad[11] = (byte) 0xE9; // a lone Latin-1 é
        w.append(List.of(line(Line.Kind.COMPLETE, bad)), 0);
        LogEvent e = events().get(0);
        assertThat(e.get(PipelineFields.INVALID_UTF8)).isEqualTo(Boolean.TRUE);
        assertThat(e.getText(LogEvent.MSG)).contains("\uFFFD");
        assertThat(flagged("invalid_utf8")).isEqualTo(1);
    }

    @Test
    void piecesOfALongLineAreNumberedAcrossCalls() throws Exception {
        BufferWriter w = writer();
        w.append(List.of(complete("{\"msg\": \"before\"}"), line(Line.Kind.SPLIT, "aaaa")), 0);
        w.append(List.of(line(Line.Kind.SPLIT, "bbbb")), 1);
        w.append(List.of(complete("cc"), complete("{\"msg\": \"after\"}"), line(Line.Kind.SPLIT, "dddd"), complete("e")), 2);

        List<LogEvent> events = events();
        assertThat(events).extracting(e -> e.get(PipelineFields.LINE_PART))
                .containsExactly(null, 1L, 2L, 3L, null, 1L, 2L);
        assertThat(events).extracting(e -> e.get(PipelineFields.LINE_PART_LAST))
                .containsExactly(null, null, null, true, null, null, true);
        assertThat(events).extracting(e -> e.getText(LogEvent.MSG))
                .containsExactly("before", "aaaa", "bbbb", "cc", "after", "dddd", "e");
        assertThat(flagged("split_long_line")).isEqualTo(5);
        assertThat(read()).isEqualTo(7);
    }

    @Test
    void aPartialLineIsFlagged() throws Exception {
        BufferWriter w = writer();
        w.append(List.of(line(Line.Kind.PARTIAL, "{\"msg\": \"no newline yet\"}")), 0);
        LogEvent e = events().get(0);
        assertThat(e.get(PipelineFields.PARTIAL)).isEqualTo(Boolean.TRUE);
        assertThat(e.get(LogEvent.MSG)).isEqualTo("no newline yet");
        assertThat(e.has(PipelineFields.LINE_PART)).isFalse();
        assertThat(flagged("partial_line")).isEqualTo(1);
    }

    @Test
    void aPartialEndOfASplitLineIsItsLastPiece() throws Exception {
        BufferWriter w = writer();
        w.append(List.of(line(Line.Kind.SPLIT, "aaaa"), line(Line.Kind.PARTIAL, "bb")), 0);
        w.append(List.of(complete("next")), 1);
        List<LogEvent> events = events();
        assertThat(events.get(1).get(PipelineFields.LINE_PART)).isEqualTo(2L);
        assertThat(events.get(1).get(PipelineFields.LINE_PART_LAST)).isEqualTo(true);
        assertThat(events.get(1).get(PipelineFields.PARTIAL)).isEqualTo(true);
        assertThat(events.get(2).has(PipelineFields.LINE_PART)).isFalse();
        assertThat(flagged("partial_line")).isEqualTo(1);
        assertThat(flagged("split_long_line")).isEqualTo(2);
    }

    @Test
    void whenTheBufferIsFullNothingIsCountedAndPartNumberingIsRestored() throws Exception {
        BufferWriter w = writer(4096, 1024);
        char[] big = new char[400];
        Arrays.fill(big, 'x');
        String piece = new String(big);

        w.append(List.of(line(Line.Kind.SPLIT, piece)), 0); // part 1
        double readBefore = read();
        double splitBefore = flagged("split_long_line");
        // fill the rest of the buffer with other records
        List<Long> fillers = new ArrayList<>();
        while (true) {
            try {
                fillers.add(buffer.append(new byte[300]));
            } catch (BufferFullException e) {
                break;
            }
        }
        List<Line> refused = List.of(line(Line.Kind.SPLIT, piece), line(Line.Kind.COMPLETE, piece));
        assertThatThrownBy(() -> w.append(refused, 1)).isInstanceOf(BufferFullException.class);
        assertThatThrownBy(() -> w.append(refused, 1)).as("offered again, refused again").isInstanceOf(BufferFullException.class);
        assertThat(read()).isEqualTo(readBefore);
        assertThat(flagged("split_long_line")).isEqualTo(splitBefore);
        assertThat(metrics.linesReadTotal()).isEqualTo(1);

        // the sink delivers everything: room again
        for (BufferRecord r : buffer.read(1000, Long.MAX_VALUE)) {
            buffer.ack(r.id());
        }
        buffer.checkpoint();
        w.append(refused, 1);
        List<BufferRecord> records = buffer.read(1000, Long.MAX_VALUE);
        EventBatch last = BatchCodec.decode(records.get(records.size() - 1).payload());
        assertThat(last.events()).extracting(e -> e.get(PipelineFields.LINE_PART)).containsExactly(2L, 3L);
        assertThat(last.events()).extracting(e -> e.get(PipelineFields.LINE_PART_LAST)).containsExactly(null, true);
        assertThat(read()).isEqualTo(readBefore + 2);
        assertThat(flagged("split_long_line")).isEqualTo(splitBefore + 2);
        assertThat(fillers).isNotEmpty();
    }

    @Test
    void aRecordTooLargeForTheBufferRestoresNumberingToo() throws Exception {
        BufferWriter w = writer(4096, 1024);
        String huge = "z".repeat(8000);
        assertThatThrownBy(() -> w.append(List.of(line(Line.Kind.SPLIT, huge)), 0))
                .isInstanceOf(foundation.foxlight.skulklogs.agent.buffer.RecordTooLargeException.class);
        assertThat(metrics.linesReadTotal()).isZero();
        w.append(List.of(line(Line.Kind.SPLIT, "aaaa"), complete("bb")), 1);
        assertThat(events()).extracting(e -> e.get(PipelineFields.LINE_PART)).containsExactly(1L, 2L);
    }

    @Test
    void aFailingBufferCountsNothing() throws Exception {
        BufferWriter w = writer();
        w.append(List.of(complete("a")), 0);
        buffer.close();
        assertThatThrownBy(() -> w.append(List.of(complete("b"), complete("not json")), 1))
                .isInstanceOf(IllegalStateException.class);
        assertThat(metrics.linesReadTotal()).isEqualTo(1);
        assertThat(flagged("not_json")).isEqualTo(1);
        buffer = null;
    }
}
