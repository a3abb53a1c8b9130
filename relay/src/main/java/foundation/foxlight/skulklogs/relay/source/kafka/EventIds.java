package foundation.foxlight.skulklogs.relay.source.kafka;

import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import io.vertx.kafka.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * Stable per-line ids ({@code log.event_id}), so that a line stored twice after a crash and replay can be
 * found with LogsQL ({@code * | stats by (log.event_id) count() n | filter n:>1}).
 *
 * <p>A batch read from a position in its source ({@code sequence >= 0}, e.g. a file offset) gets
 * {@code <node>-<created hex>-<sequence hex>-<index>}: the agent encodes a batch once and re-sends the very
 * same bytes after a crash, so replays by the agent and by the relay carry the same ids. Batches without a
 * source position (stdin, HTTP ingest) get their Kafka coordinates, {@code <topic>-<partition>@<offset>-<index>},
 * stable across relay replays. Stateless.
 */
final class EventIds {
    private EventIds() {
    }

    static List<LogEvent> assign(EventBatch batch, TopicPartition tp, long offset) {
        String prefix = batch.sequence() >= 0
                ? batch.nodeId() + "-" + Long.toHexString(batch.createdAtMillis()) + "-" + Long.toHexString(batch.sequence()) + "-"
                : tp.getTopic() + "-" + tp.getPartition() + "@" + offset + "-";
        List<LogEvent> out = new ArrayList<>(batch.events().size());
        int i = 0;
        for (LogEvent e : batch.events()) {
            out.add(e.toBuilder().put(PipelineFields.EVENT_ID, prefix + i++).build());
        }
        return out;
    }
}
