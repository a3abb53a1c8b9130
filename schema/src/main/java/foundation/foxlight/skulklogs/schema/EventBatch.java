package foundation.foxlight.skulklogs.schema;

import java.util.List;
import java.util.Objects;

/**
 * A batch of events from one source on one node: the unit written as one record to the agent's disk
 * buffer and as one Kafka record value (encoded by {@link BatchCodec}).
 *
 * @param nodeId    the node that read the lines (the Kafka record key)
 * @param source    where they were read ({@code /path/to/file}, {@code stdin}, {@code journald}, {@code http})
 * @param sequence  position of the first event within the source (for a file: the byte offset of its
 *                  first line), used to build stable event ids; -1 when the source has none
 * @param createdAtMillis wall-clock time the batch was built (epoch ms), for latency metrics
 * @param events    the events, in source order
 */
public record EventBatch(String nodeId, String source, long sequence, long createdAtMillis, List<LogEvent> events) {
    public EventBatch {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(source, "source");
        events = List.copyOf(events);
    }
}
