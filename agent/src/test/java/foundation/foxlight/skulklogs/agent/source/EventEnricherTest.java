package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.schema.JsonText;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventEnricherTest {
    private static final long READ_AT = Instant.parse("2026-05-04T12:34:56.789Z").toEpochMilli();
    private final EventEnricher enricher = new EventEnricher("node-7");

    private static LogEvent json(String line) {
        return LogEventJson.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCompleteSkulkLineIsReturnedAsItIs() {
        LogEvent e = json("{\"ts\": \"2026-01-01T00:00:00.000Z\", \"level\": \"INFO\", \"node_id\": \"mac-1\", "
                + "\"component\": \"worker\", \"msg\": \"hi\"}");
        assertThat(enricher.enrich(e, READ_AT)).isSameAs(e);
    }

    @Test
    void aLineThatIsNotJsonGetsNodeComponentAndReadTime() {
        LogEvent e = json("Traceback (most recent call last):");
        LogEvent out = enricher.enrich(e, READ_AT);
        assertThat(out.get(LogEvent.NODE_ID)).isEqualTo("node-7");
        assertThat(out.get(LogEvent.COMPONENT)).isEqualTo(EventEnricher.UNKNOWN_COMPONENT);
        assertThat(out.get(LogEvent.TS)).isEqualTo("2026-05-04T12:34:56.789Z");
        assertThat(out.get(LogEvent.MSG)).isEqualTo("Traceback (most recent call last):");
        // the original fields keep their order, the new ones follow
        assertThat(out.name(0)).isEqualTo(e.name(0));
        assertThat(out.size()).isEqualTo(e.size() + 3);
    }

    @Test
    void existingValuesAreNeverOverwritten() {
        LogEvent e = json("{\"node_id\": \"mac-1\", \"msg\": \"x\"}");
        LogEvent out = enricher.enrich(e, READ_AT);
        assertThat(out.get(LogEvent.NODE_ID)).isEqualTo("mac-1");
        assertThat(out.get(LogEvent.COMPONENT)).isEqualTo("unknown");
        assertThat(out.get(LogEvent.TS)).isEqualTo("2026-05-04T12:34:56.789Z");

        LogEvent withTs = json("{\"ts\": \"2020-02-02T02:02:02.002Z\", \"component\": \"api\"}");
        LogEvent out2 = enricher.enrich(withTs, READ_AT);
        assertThat(out2.get(LogEvent.TS)).isEqualTo("2020-02-02T02:02:02.002Z");
        assertThat(out2.get(LogEvent.COMPONENT)).isEqualTo("api");
        assertThat(out2.get(LogEvent.NODE_ID)).isEqualTo("node-7");
    }

    @Test
    void nodeAndComponentOfTheWrongTypeAreFilledIn() {
        LogEvent e = json("{\"ts\": \"2026-01-01T00:00:00.000Z\", \"node_id\": 42, \"component\": null}");
        LogEvent out = enricher.enrich(e, READ_AT);
        assertThat(out.get(LogEvent.NODE_ID)).isEqualTo("node-7");
        assertThat(out.get(LogEvent.COMPONENT)).isEqualTo("unknown");
        assertThat(out.indexOf(LogEvent.NODE_ID)).as("replaced in place").isEqualTo(1);

        LogEvent objects = json("{\"ts\": \"t\", \"node_id\": {\"a\": 1}, \"component\": [1]}");
        LogEvent out2 = enricher.enrich(objects, READ_AT);
        assertThat(out2.get(LogEvent.NODE_ID)).isEqualTo("node-7");
        assertThat(out2.get(LogEvent.COMPONENT)).isEqualTo("unknown");
    }

    @Test
    void emptyStringsAreFilledInWhateverElseTheLineHas() {
        // the same line with or without a ts must end up with the same node_id and component
        LogEvent complete = json("{\"ts\": \"2026-01-01T00:00:00.000Z\", \"node_id\": \"\", \"component\": \"worker\"}");
        LogEvent out = enricher.enrich(complete, READ_AT);
        assertThat(out.get(LogEvent.NODE_ID)).isEqualTo("node-7");
        assertThat(out.get(LogEvent.COMPONENT)).isEqualTo("worker");

        LogEvent emptyComponent = json("{\"ts\": \"2026-01-01T00:00:00.000Z\", \"node_id\": \"n\", \"component\": \"\"}");
        assertThat(enricher.enrich(emptyComponent, READ_AT).get(LogEvent.COMPONENT)).isEqualTo("unknown");
    }

    @Test
    void aPresentTimestampIsKeptWhateverItsForm() {
        // the relay checks ts and keeps an unusable one in log.original_ts; the agent must not lose it
        LogEvent number = json("{\"ts\": 1700000000, \"node_id\": \"n\", \"component\": \"c\"}");
        assertThat(enricher.enrich(number, READ_AT)).isSameAs(number);
        LogEvent nul = json("{\"ts\": null, \"node_id\": \"n\", \"component\": \"c\"}");
        assertThat(enricher.enrich(nul, READ_AT).get(LogEvent.TS)).isNull();
        LogEvent fraction = json("{\"ts\": 1.5, \"node_id\": \"n\", \"component\": \"c\"}");
        assertThat(enricher.enrich(fraction, READ_AT).get(LogEvent.TS)).isEqualTo(new JsonText("1.5"));
    }

    @Test
    void theTimestampHasSkulksFormat() {
        assertThat(EventEnricher.formatTs(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(EventEnricher.formatTs(READ_AT + 1)).isEqualTo("2026-05-04T12:34:56.790Z");
        assertThat(enricher.nodeId()).isEqualTo("node-7");
    }
}
