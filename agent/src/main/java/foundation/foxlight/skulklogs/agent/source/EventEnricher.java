package foundation.foxlight.skulklogs.agent.source;

import foundation.foxlight.skulklogs.schema.LogEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Makes every event routable and ordered in the store: fills {@code node_id} (this node), {@code component}
 * ({@code unknown}, as Skulk itself writes when there is no module) and {@code ts} (the time the line was
 * read, in Skulk's format) when a line lacks them — typically lines that were not JSON. Never overwrites a
 * value the line carries. Stateless and thread-safe.
 */
public final class EventEnricher {
    public static final String UNKNOWN_COMPONENT = "unknown";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String nodeId;

    public EventEnricher(String nodeId) {
        this.nodeId = nodeId;
    }

    public LogEvent enrich(LogEvent event, long readAtMillis) {
        if (event.get(LogEvent.NODE_ID) instanceof String && event.get(LogEvent.COMPONENT) instanceof String && event.has(LogEvent.TS)) {
            return event;
        }
        LogEvent.Builder b = event.toBuilder();
        if (!(event.get(LogEvent.NODE_ID) instanceof String s) || s.isEmpty()) {
            b.put(LogEvent.NODE_ID, nodeId);
        }
        if (!(event.get(LogEvent.COMPONENT) instanceof String c) || c.isEmpty()) {
            b.put(LogEvent.COMPONENT, UNKNOWN_COMPONENT);
        }
        if (!event.has(LogEvent.TS)) {
            b.put(LogEvent.TS, formatTs(readAtMillis));
        }
        return b.build();
    }

    public static String formatTs(long epochMillis) {
        return TS.format(Instant.ofEpochMilli(epochMillis));
    }

    public String nodeId() {
        return nodeId;
    }
}
