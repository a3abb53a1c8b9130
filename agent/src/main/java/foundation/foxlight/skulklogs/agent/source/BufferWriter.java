package foundation.foxlight.skulklogs.agent.source;

import foundation.foxlight.skulklogs.agent.buffer.BufferFullException;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns framed {@link Line}s of one source into an {@link EventBatch} (parse, flag, enrich), encodes it and
 * appends it to the {@link DiskBuffer}. Counts every line: read, and flagged by reason.
 *
 * <p>Not thread-safe: one per source, used from that source's worker thread.
 */
public final class BufferWriter {
    private final DiskBuffer buffer;
    private final EventEnricher enricher;
    private final AgentMetrics metrics;
    private final String source;
    private int partIndex; // >0 while inside a line that is being cut into pieces

    public BufferWriter(DiskBuffer buffer, EventEnricher enricher, AgentMetrics metrics, String source) {
        this.buffer = buffer;
        this.enricher = enricher;
        this.metrics = metrics;
        this.source = source;
    }

    /**
     * Appends the lines as one buffer record and returns its id.
     *
     * @throws BufferFullException the buffer has no room; nothing was appended and the caller still owns the lines
     */
    public long append(List<Line> lines, long sequence) throws IOException, BufferFullException {
        long now = System.currentTimeMillis();
        List<LogEvent> events = new ArrayList<>(lines.size());
        int savedPart = partIndex;
        long id;
        try {
            for (Line line : lines) {
                events.add(toEvent(line, now));
            }
            byte[] record = BatchCodec.encode(new EventBatch(enricher.nodeId(), source, sequence, now, events));
            id = buffer.append(record);
        } catch (BufferFullException | IOException | RuntimeException e) {
            partIndex = savedPart; // the same lines will be offered again
            throw e;
        }
        // Counted only once the record is in the buffer: lines refused by a full buffer are read again.
        metrics.linesRead(source, lines.size());
        countFlags(events);
        return id;
    }

    private LogEvent toEvent(Line line, long now) {
        LogEvent event = LogEventJson.parse(line.bytes());
        if (line.kind() == Line.Kind.SPLIT || partIndex > 0) {
            partIndex++;
            LogEvent.Builder b = event.toBuilder().put(PipelineFields.LINE_PART, (long) partIndex);
            if (line.kind() != Line.Kind.SPLIT) {
                b.put(PipelineFields.LINE_PART_LAST, Boolean.TRUE);
                partIndex = 0;
            }
            event = b.build();
        }
        if (line.kind() == Line.Kind.PARTIAL) {
            event = event.toBuilder().put(PipelineFields.PARTIAL, Boolean.TRUE).build();
        }
        return enricher.enrich(event, now);
    }

    /** One pass over each event's field names (a string switch: hash, then one comparison), not a lookup per flag. */
    private void countFlags(List<LogEvent> events) {
        for (LogEvent e : events) {
            for (int i = 0; i < e.size(); i++) {
                switch (e.name(i)) {
                    case PipelineFields.PARSE_ERROR -> metrics.lineFlagged(source, "not_json");
                    case PipelineFields.INVALID_UTF8 -> metrics.lineFlagged(source, "invalid_utf8");
                    case PipelineFields.LINE_PART -> metrics.lineFlagged(source, "split_long_line");
                    case PipelineFields.PARTIAL -> metrics.lineFlagged(source, "partial_line");
                    default -> {
                    }
                }
            }
        }
    }
}
