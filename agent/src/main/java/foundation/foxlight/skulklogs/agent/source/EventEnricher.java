package foundation.foxlight.skulklogs.agent.source;

import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.PipelineFields;
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
    private final boolean stripAnsi;

    public EventEnricher(String nodeId) {
        this(nodeId, false);
    }

    /** @param stripAnsi remove ANSI escape codes from {@code msg} (marking the event with {@code log.ansi_stripped}) */
    public EventEnricher(String nodeId, boolean stripAnsi) {
        this.nodeId = nodeId;
        this.stripAnsi = stripAnsi;
    }

    /**
     * Returns {@code event} with {@code node_id} and {@code component} set when they are absent, not a
     * string or empty, and {@code ts} set (to {@code readAtMillis}) when absent. A present {@code ts} is
     * left as it is, whatever its form: the relay checks it and keeps an unusable one in
     * {@code log.original_ts}. Returns the same instance when nothing is missing.
     */
    public LogEvent enrich(LogEvent event, long readAtMillis) {
        if (stripAnsi && event.get(LogEvent.MSG) instanceof String msg) {
            String clean = AnsiStripper.strip(msg);
            if (clean != msg) {
                event = event.toBuilder().put(LogEvent.MSG, clean).put(PipelineFields.ANSI_STRIPPED, Boolean.TRUE).build();
            }
        }
        boolean needsNode = true;
        boolean needsComponent = true;
        boolean needsTs = true;
        for (int i = 0; i < event.size(); i++) { // one pass (string switch), not three lookups
            switch (event.name(i)) {
                case LogEvent.NODE_ID -> needsNode = !isNonEmptyString(event.value(i));
                case LogEvent.COMPONENT -> needsComponent = !isNonEmptyString(event.value(i));
                case LogEvent.TS -> needsTs = false;
                default -> {
                }
            }
        }
        if (!needsNode && !needsComponent && !needsTs) {
            return event;
        }
        LogEvent.Builder b = event.toBuilder();
        if (needsNode) {
            b.put(LogEvent.NODE_ID, nodeId);
        }
        if (needsComponent) {
            b.put(LogEvent.COMPONENT, UNKNOWN_COMPONENT);
        }
        if (needsTs) {
            b.put(LogEvent.TS, formatTs(readAtMillis));
        }
        return b.build();
    }

    private static boolean isNonEmptyString(Object value) {
        return value instanceof String s && !s.isEmpty();
    }

    public static String formatTs(long epochMillis) {
        return TS.format(Instant.ofEpochMilli(epochMillis));
    }

    public String nodeId() {
        return nodeId;
    }
}
