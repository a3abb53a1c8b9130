package foundation.foxlight.skulklogs.relay.ingest;

import static foundation.foxlight.skulklogs.relay.ingest.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.schema.JsonText;
import foundation.foxlight.skulklogs.schema.LogEvent;
import foundation.foxlight.skulklogs.schema.LogEventJson;
import foundation.foxlight.skulklogs.schema.PipelineFields;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestNormalizerTest {
    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.123456Z");
    private static final String SOURCE = "http:10.0.0.7";
    private final IngestNormalizer normalizer = new IngestNormalizer(List.of(), List.of());

    private static IngestParams params(String query, String... headers) {
        Map<String, String> h = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        Outcome<IngestParams> o = IngestRequestParser.parseHead("POST", query, h);
        assertThat(o.error()).isNull();
        return o.value();
    }

    private LogEvent normalize(String line, IngestParams params) {
        return normalizer.normalize(LogEventJson.parse(utf8(line)), params, NOW, SOURCE);
    }

    @Test
    void skulkLinesThroughSkulksUrlOnlyGainTheirSource() {
        String line = "{\"ts\":\"2025-03-04T05:06:07.000Z\",\"level\":\"INFO\",\"node_id\":\"laptop-1\",\"component\":\"worker\","
                + "\"module\":\"m\",\"msg\":\"hello\",\"n\":3}";
        LogEvent e = normalize(line, params("_stream_fields=node_id,component&_msg_field=msg&_time_field=ts"));
        LogEvent expected = LogEventJson.parse(utf8(line)).toBuilder().put(PipelineFields.SOURCE, SOURCE).build();
        assertThat(e).isEqualTo(expected);
        assertThat(IngestNormalizer.nodeKey(e)).isEqualTo("laptop-1");
    }

    @Test
    void vectorStyleFieldsAreMappedToTheCanonicalOnes() {
        IngestParams p = params("_msg_field=message&_time_field=timestamp&_stream_fields=host,app");
        LogEvent e = normalize("{\"timestamp\":\"2025-03-04T05:00:00Z\",\"host\":\"web-3\",\"app\":\"nginx\","
                + "\"message\":\"GET /\",\"status\":200}", p);
        assertThat(e.asMap()).containsEntry("msg", "GET /")
                .containsEntry("ts", "2025-03-04T05:00:00Z")
                .containsEntry("host", "web-3")
                .containsEntry("app", "nginx")
                .containsEntry("node_id", "web-3")
                .containsEntry("component", "nginx")
                .containsEntry("status", 200L)
                .containsEntry(PipelineFields.SOURCE, SOURCE)
                .doesNotContainKeys("message", "timestamp");
        assertThat(IngestNormalizer.nodeKey(e)).isEqualTo("web-3");
    }

    @Test
    void firstPresentNonEmptyMsgFieldWinsTheOthersStay() {
        IngestParams p = params("_msg_field=message,log,text");
        LogEvent e = normalize("{\"message\":\"\",\"log\":\"from log\",\"text\":\"from text\"}", p);
        assertThat(e.get("msg")).isEqualTo("from log");
        assertThat(e.asMap()).containsEntry("message", "").containsEntry("text", "from text").doesNotContainKey("log");
    }

    @Test
    void anExistingMsgOrTsThatIsNotTheSourceIsDisplacedNotOverwritten() {
        IngestParams p = params("_msg_field=message&_time_field=timestamp");
        LogEvent e = normalize("{\"msg\":\"old msg\",\"ts\":\"old ts\",\"message\":\"new\",\"timestamp\":\"1700000000\"}", p);
        assertThat(e.asMap()).containsEntry("msg", "new").containsEntry("ts", "1700000000")
                .containsEntry("log.displaced.msg", "old msg").containsEntry("log.displaced.ts", "old ts");

        LogEvent noSource = normalize("{\"msg\":\"not the message here\"}", p);
        assertThat(noSource.has("msg")).as("VictoriaLogs would not take msg as the message").isFalse();
        assertThat(noSource.get("log.displaced.msg")).isEqualTo("not the message here");
    }

    @Test
    void nonStringMessageBecomesItsJsonText() {
        LogEvent e = normalize("{\"_msg\":{\"a\":[1,2]}}", IngestParams.defaults());
        assertThat(e.get("msg")).isEqualTo("{\"a\":[1,2]}");
        assertThat(normalize("{\"_msg\":42}", IngestParams.defaults()).get("msg")).isEqualTo("42");
    }

    @Test
    void victoriaLogsDefaultFieldNames() {
        LogEvent e = normalize("{\"_msg\":\"m\",\"_time\":\"2025-01-01T00:00:00Z\"}", IngestParams.defaults());
        assertThat(e.asMap()).containsEntry("msg", "m").containsEntry("ts", "2025-01-01T00:00:00Z")
                .doesNotContainKeys("_msg", "_time");
    }

    @Test
    void missingOrNowTimeBecomesTheReceiveTime() {
        IngestParams p = params("_time_field=t");
        String receive = "2025-03-04T05:06:07.123456000Z";
        assertThat(normalize("{\"_msg\":\"a\"}", p).get("ts")).isEqualTo(receive);
        assertThat(normalize("{\"t\":\"\"}", p).get("ts")).isEqualTo(receive);
        assertThat(normalize("{\"t\":\"0\"}", p).get("ts")).isEqualTo(receive);
        assertThat(normalize("{\"t\":0}", p).get("ts")).isEqualTo(receive);
        assertThat(normalize("{\"t\":null}", p).get("ts")).isEqualTo(receive);
        assertThat(normalize("{\"t\":1700000000123}", p).get("ts")).isEqualTo(1700000000123L);
        assertThat(normalize("{\"t\":1700000000.5}", p).get("ts")).isEqualTo(new JsonText("1700000000.5"));
        // an unparseable time is passed on: the VictoriaLogs sink replaces it and keeps it in log.original_ts
        assertThat(normalize("{\"t\":\"yesterday\"}", p).get("ts")).isEqualTo("yesterday");
        LogEvent second = normalizer.normalize(LogEventJson.parse(utf8("{}")), p, NOW.plusNanos(1), SOURCE);
        assertThat(second.get("ts")).isEqualTo("2025-03-04T05:06:07.123456001Z");
    }

    @Test
    void extraFieldsOverrideAndIgnoreFieldsRemoveWithPrefixWildcards() {
        IngestParams p = params("_stream_fields=node_id,component&_msg_field=msg&_time_field=ts"
                + "&extra_fields=env%3Dprod,level%3Doverridden&ignore_fields=secret,trace.*");
        LogEvent e = normalize("{\"msg\":\"m\",\"ts\":\"1\",\"node_id\":\"n\",\"component\":\"c\",\"level\":\"INFO\","
                + "\"secret\":\"pw\",\"trace.id\":\"t1\",\"trace.span\":\"s\",\"tracer\":\"kept\"}", p);
        assertThat(e.asMap()).containsEntry("env", "prod").containsEntry("level", "overridden").containsEntry("tracer", "kept")
                .doesNotContainKeys("secret", "trace.id", "trace.span");
    }

    @Test
    void ignoreFieldsNeverRemoveTheParsersFlags() {
        byte[] line = {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'};
        LogEvent e = normalizer.normalize(LogEventJson.parse(line), params("ignore_fields=log.*,a"), NOW, SOURCE);
        assertThat(e.get(PipelineFields.INVALID_UTF8)).isEqualTo(true);
        assertThat(e.has("a")).isFalse();
    }

    @Test
    void extraFieldsCanFeedTheStream() {
        LogEvent e = normalize("{\"_msg\":\"m\"}", params("_stream_fields=host,app&extra_fields=host%3Dedge-1,app%3Dproxy"));
        assertThat(e.asMap()).containsEntry("node_id", "edge-1").containsEntry("component", "proxy");
    }

    @Test
    void debugFlagDoesNotChangeNormalization() {
        IngestParams p = params("debug=1&_msg_field=message");
        assertThat(p.debug()).isTrue();
        assertThat(normalize("{\"message\":\"m\"}", p).get("msg")).isEqualTo("m");
    }

    @Test
    void decolorizeRemovesAnsiCodesAndFlagsIt() {
        IngestParams p = params("_msg_field=message&decolorize_fields=message,other");
        LogEvent e = normalize("{\"message\":\"\\u001b[31mred\\u001b[0m and \\u001b[1;32mgreen\\u001b[m\",\"other\":\"plain\"}", p);
        assertThat(e.get("msg")).isEqualTo("red and green");
        assertThat(e.get("other")).isEqualTo("plain");
        assertThat(e.get(PipelineFields.ANSI_STRIPPED)).isEqualTo(true);
        assertThat(normalize("{\"message\":\"plain\"}", p).has(PipelineFields.ANSI_STRIPPED)).isFalse();
    }

    @Test
    void componentDefaultsToUnknownAndNodeIdStaysAbsentWhenNothingNamesThem() {
        LogEvent e = normalize("{\"_msg\":\"m\"}", IngestParams.defaults());
        assertThat(e.get("component")).isEqualTo("unknown");
        assertThat(e.has("node_id")).isFalse();
        assertThat(IngestNormalizer.nodeKey(e)).isEqualTo("http");
    }

    @Test
    void oneStreamFieldBecomesTheNodeIdAndAKnownNodeIdFreesItForComponent() {
        assertThat(normalize("{\"app\":\"api\"}", params("_stream_fields=app")).asMap())
                .containsEntry("node_id", "api").containsEntry("component", "unknown");
        assertThat(normalize("{\"node_id\":\"n1\",\"app\":\"api\"}", params("_stream_fields=node_id,app")).asMap())
                .containsEntry("node_id", "n1").containsEntry("component", "api");
        // a missing stream field is skipped; values are copied as text
        assertThat(normalize("{\"app\":\"api\",\"shard\":7}", params("_stream_fields=host,shard,app")).asMap())
                .containsEntry("node_id", "7").containsEntry("component", "api");
    }

    @Test
    void configuredMappingWinsOverStreamFieldOrder() {
        IngestNormalizer n = new IngestNormalizer(List.of("hostname", "host"), List.of("service"));
        LogEvent e = n.normalize(LogEventJson.parse(utf8("{\"app\":\"a\",\"host\":\"h\",\"service\":\"svc\"}")),
                params("_stream_fields=app,host"), NOW, SOURCE);
        assertThat(e.asMap()).containsEntry("node_id", "h").containsEntry("component", "svc");
    }

    @Test
    void dottedNamesFindNestedValuesAsVictoriaLogsFlattens() {
        IngestParams p = params("_msg_field=log&_stream_fields=kubernetes.host,kubernetes.labels.app");
        LogEvent e = normalize("{\"log\":\"line\",\"kubernetes\":{\"host\":\"node-9\",\"labels\":{\"app\":\"shop\"}}}", p);
        assertThat(e.asMap()).containsEntry("msg", "line").containsEntry("node_id", "node-9").containsEntry("component", "shop")
                .containsKey("kubernetes");
        LogEvent t = normalize("{\"meta\":{\"t\":1700000000.120,\"big\":12345678901234567890123}}",
                params("_time_field=meta.t&_stream_fields=meta.big"));
        assertThat(t.get("ts")).isEqualTo(new JsonText("1700000000.120"));
        assertThat(t.get("node_id")).isEqualTo("12345678901234567890123");
    }

    @Test
    void tenantHeadersAreRecorded() {
        LogEvent e = normalize("{\"_msg\":\"m\"}", params(null, "AccountID", "3", "ProjectID", "9"));
        assertThat(e.get(PipelineFields.TENANT)).isEqualTo("3:9");
        assertThat(normalize("{\"_msg\":\"m\"}", IngestParams.defaults()).has(PipelineFields.TENANT)).isFalse();
    }

    @Test
    void notJsonLinesKeepTheirRawTextAndGetOnlyDefaults() {
        IngestParams p = params("_msg_field=message&_time_field=timestamp&_stream_fields=host&ignore_fields=msg"
                + "&extra_fields=msg%3Dclobber,env%3Dprod", "AccountID", "1");
        LogEvent e = normalize("this is not json", p);
        assertThat(e.asMap()).containsEntry("msg", "this is not json")
                .containsEntry("ts", "2025-03-04T05:06:07.123456000Z")
                .containsEntry("env", "prod")
                .containsEntry("component", "unknown")
                .containsEntry(PipelineFields.TENANT, "1:0")
                .containsEntry(PipelineFields.SOURCE, SOURCE)
                .containsKey(PipelineFields.PARSE_ERROR);
    }

    @Test
    void anExistingSourceIsKept() {
        assertThat(normalize("{\"log.source\":\"/var/log/x\"}", IngestParams.defaults()).get(PipelineFields.SOURCE))
                .isEqualTo("/var/log/x");
    }
}
