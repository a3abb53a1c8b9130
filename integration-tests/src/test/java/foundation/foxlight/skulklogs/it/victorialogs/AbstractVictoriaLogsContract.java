package foundation.foxlight.skulklogs.it.victorialogs;

import static foundation.foxlight.skulklogs.it.victorialogs.TestHttp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * What the pipeline relies on VictoriaLogs to do, written once and run against the stand-in
 * ({@link StandInContractTest}), a pinned container ({@link VictoriaLogsContainerTest}) and
 * {@code $VICTORIALOGS_URL} ({@link RealUrlContractTest}). Every assertion here must hold for a real v1.26 server;
 * stand-in-only behaviour (fault injection, drop counters, worst cases) lives in {@link VictoriaLogsStandInTest}.
 *
 * <p>A subclass whose server is not available skips in {@link #openEndpoint()} with an assumption; each test is
 * then reported skipped with that reason.
 *
 * <p>Each test writes under its own random tenant, so a shared real server's other rows are never seen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractVictoriaLogsContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    protected VictoriaLogsEndpoint vl;
    protected Tenant tenant;

    /** Starts (or connects to) the server under test; may abort with an assumption to skip the class. */
    protected abstract VictoriaLogsEndpoint openEndpoint();

    /** Why {@link #openEndpoint()} skipped; every test then reports it, so the reason shows in the test report. */
    private String skipReason;

    @BeforeAll
    void openServer() {
        try {
            vl = openEndpoint();
        } catch (TestAbortedException e) {
            skipReason = e.getMessage() == null ? "skipped" : e.getMessage().replaceFirst("^Assumption failed: ", "");
        }
    }

    @AfterAll
    void closeServer() {
        if (vl != null) {
            vl.close();
        }
    }

    @BeforeEach
    void freshTenant() {
        assumeTrue(vl != null, () -> skipReason);
        tenant = Tenant.random();
    }

    // ------------------------------------------------------------------------------------------ helpers

    static String json(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ndjson(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    static String recent(int secondsAgo) {
        return Instant.now().minusSeconds(secondsAgo).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    HttpResponse<String> insert(String args, String body, String... headers) {
        return insertBytes(args, utf8(body), headers);
    }

    HttpResponse<String> insertBytes(String args, byte[] body, String... headers) {
        String url = vl.insertUrl() + (args.isEmpty() ? "" : "?" + args);
        boolean hasContentType = false;
        for (int i = 0; i < headers.length; i += 2) {
            hasContentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        List<String> h = new ArrayList<>(List.of(headers));
        if (!hasContentType) {
            h.add("Content-Type");
            h.add("application/stream+json");
        }
        return TestHttp.post(url, tenant, body, h.toArray(String[]::new));
    }

    List<Map<String, String>> rows(String logsql) {
        return vl.query(tenant, logsql);
    }

    List<String> msgs(String logsql) {
        return rows(logsql).stream().map(r -> r.get("_msg")).collect(Collectors.toList());
    }

    static void assertOk(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status; body: %s", r.body()).isEqualTo(200);
    }

    static void assertBadRequest(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status; body: %s", r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).isNotBlank();
    }

    // ------------------------------------------------------------------------------------------ endpoints

    @Test
    void healthAndReadiness() {
        HttpResponse<String> health = TestHttp.get(vl.baseUrl() + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body().trim()).isEqualTo("OK");
        assertThat(TestHttp.get(vl.baseUrl() + "/insert/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void insertIsPostOnly() {
        assertThat(TestHttp.get(vl.insertUrl()).statusCode()).isEqualTo(405);
    }

    @Test
    void successIs200WithAnEmptyBody() {
        HttpResponse<String> r = insert("_stream_fields=component,node_id",
                ndjson(json("_msg", "one", "_time", recent(5), "component", "worker", "node_id", "laptop-1"),
                        json("_msg", "two", "_time", recent(4), "component", "worker", "node_id", "laptop-1")));
        assertOk(r);
        assertThat(r.body()).isEmpty();
        assertThat(msgs("*")).containsExactly("one", "two");
    }

    // ------------------------------------------------------------------------------------------ storage model

    @Test
    void streamFieldsFormStreamAndStayFields() {
        assertOk(insert("_stream_fields=node_id,component",
                json("_msg", "hello", "_time", recent(5), "node_id", "laptop-1", "component", "worker", "level", "info")));
        Map<String, String> row = rows("*").get(0);
        assertThat(row.get("_stream")).isEqualTo("{component=\"worker\",node_id=\"laptop-1\"}");
        assertThat(row.get("_stream_id")).matches("[0-9a-f]{48}");
        assertThat(row).containsEntry("node_id", "laptop-1").containsEntry("component", "worker").containsEntry("level", "info");
    }

    @Test
    void withoutStreamFieldsTheStreamIsEmpty() {
        assertOk(insert("", json("_msg", "hello", "_time", recent(5), "node_id", "laptop-1")));
        assertThat(rows("*").get(0).get("_stream")).isEqualTo("{}");
    }

    @Test
    void everyValueIsAStringNestedObjectsAreFlattenedArraysAreJsonText() {
        assertOk(insert("", "{\"_msg\":\"typed\",\"_time\":\"" + recent(5) + "\",\"n\":42,\"pi\":3.14,\"neg\":-7,"
                + "\"ok\":true,\"no\":false,\"ctx\":{\"b\":{\"c\":\"deep\",\"d\":1}},\"arr\":[1,\"a\",{\"k\":\"v\"}],"
                + "\"nothing\":null,\"empty\":\"\"}\n"));
        Map<String, String> row = rows("*").get(0);
        assertThat(row).containsEntry("n", "42").containsEntry("pi", "3.14").containsEntry("neg", "-7")
                .containsEntry("ok", "true").containsEntry("no", "false")
                .containsEntry("ctx.b.c", "deep").containsEntry("ctx.b.d", "1")
                .containsEntry("arr", "[1,\"a\",{\"k\":\"v\"}]")
                .doesNotContainKeys("nothing", "empty", "ctx");
    }

    @Test
    void queryAnswersJsonLinesOfStrings() throws JsonProcessingException {
        assertOk(insert("_stream_fields=app", json("zeta", "z", "_msg", "m", "_time", recent(5), "app", "a", "beta", "b")));
        vl.forceFlush();
        HttpResponse<String> r = TestHttp.query(vl.baseUrl(), tenant, "*");
        assertOk(r);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/stream+json");
        List<String> lines = TestHttp.lines(r.body());
        assertThat(lines).hasSize(1);
        Map<String, Object> row = JSON.readValue(lines.get(0), new TypeReference<LinkedHashMap<String, Object>>() {
        });
        // the field order changed between VictoriaLogs versions: only the set is part of the contract
        assertThat(row.keySet()).containsExactlyInAnyOrder("_msg", "_stream", "_stream_id", "_time", "app", "beta", "zeta");
        assertThat(row.values()).allMatch(v -> v instanceof String);
    }

    @Test
    void timeIsReturnedAsRfc3339NanoInUtc() {
        assertOk(insert("", ndjson(
                json("_msg", "a", "_time", Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS).plusMillis(120).toString()),
                json("_msg", "b", "_time", Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_789).toString()))));
        List<Map<String, String>> rows = rows("*");
        assertThat(rows.get(0).get("_time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.12Z");
        assertThat(rows.get(1).get("_time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.123456789Z");
    }

    @Test
    void unixTimestampsInSecondsMillisAndNanos() {
        Instant t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        assertOk(insert("", ndjson(
                "{\"_msg\":\"s\",\"_time\":" + t.getEpochSecond() + "}",
                "{\"_msg\":\"ms\",\"_time\":" + t.plusSeconds(1).toEpochMilli() + "}",
                "{\"_msg\":\"ns\",\"_time\":\"" + (t.plusSeconds(2).getEpochSecond() * 1_000_000_000L) + "\"}")));
        List<Map<String, String>> rows = rows("*");
        assertThat(rows).extracting(r -> r.get("_msg")).containsExactly("s", "ms", "ns");
        assertThat(rows).extracting(r -> Instant.parse(r.get("_time"))).containsExactly(t, t.plusSeconds(1), t.plusSeconds(2));
    }

    @Test
    void missingTimeMeansIngestTime() {
        Instant before = Instant.now().minusSeconds(5);
        assertOk(insert("", json("_msg", "now")));
        Instant stored = Instant.parse(rows("*").get(0).get("_time"));
        assertThat(stored).isBetween(before, Instant.now().plusSeconds(5));
    }

    @Test
    void msgAndTimeFieldsFromArgsFirstNonEmptyWinsAndTheTimeFieldIsDropped() {
        String ts = recent(50);
        assertOk(insert("_msg_field=message,msg&_time_field=ts", ndjson(
                json("msg", "from msg", "ts", ts, "other", "x"),
                json("message", "", "msg", "second wins", "ts", recent(40)),
                json("message", "first wins", "msg", "ignored", "ts", recent(30)))));
        List<Map<String, String>> rows = rows("*");
        assertThat(rows).extracting(r -> r.get("_msg")).containsExactly("from msg", "second wins", "first wins");
        assertThat(Instant.parse(rows.get(0).get("_time"))).isEqualTo(Instant.parse(ts));
        assertThat(rows.get(0)).doesNotContainKeys("ts", "msg");
        assertThat(rows.get(2)).containsEntry("msg", "ignored");
    }

    @Test
    void settingsFromHeadersAndTheArgWins() {
        assertOk(insert("", json("m", "via header", "t", recent(20), "app", "a1"),
                "VL-Msg-Field", "m", "VL-Time-Field", "t", "VL-Stream-Fields", "app"));
        assertOk(insert("_msg_field=m2", json("m", "header loses", "m2", "arg wins", "_time", recent(10)),
                "VL-Msg-Field", "m"));
        List<Map<String, String>> rows = rows("*");
        assertThat(rows.get(0)).containsEntry("_msg", "via header").containsEntry("_stream", "{app=\"a1\"}").doesNotContainKey("t");
        assertThat(rows.get(1)).containsEntry("_msg", "arg wins").containsEntry("m", "header loses");
    }

    @Test
    void missingMessageGetsTheDefaultMessage() {
        assertOk(insert("", json("level", "info", "_time", recent(5))));
        assertThat(rows("*").get(0).get("_msg")).isEqualTo(VictoriaLogsStandIn.DEFAULT_MSG_VALUE);
    }

    @Test
    void extraFieldsAreAddedAndIgnoreFieldsAreDropped() {
        assertOk(insert("extra_fields=env=test,zone=z1&ignore_fields=secret,tmp",
                json("_msg", "x", "_time", recent(5), "secret", "s3cr3t", "tmp", "1", "keep", "k")));
        Map<String, String> row = rows("*").get(0);
        assertThat(row).containsEntry("env", "test").containsEntry("zone", "z1").containsEntry("keep", "k")
                .doesNotContainKeys("secret", "tmp");
    }

    @Test
    void debugStoresNothing() {
        assertOk(insert("debug=1", json("_msg", "debug only", "_time", recent(5))));
        assertOk(insert("", json("_msg", "stored", "_time", recent(4))));
        assertThat(msgs("*")).containsExactly("stored");
    }

    // ------------------------------------------------------------------------------------------ tenancy

    @Test
    void tenantsAreIsolated() {
        assertOk(insert("", json("_msg", "mine", "_time", recent(5))));
        assertThat(vl.query(tenant, "*")).hasSize(1);
        assertThat(vl.query(Tenant.random(), "*")).isEmpty();
        assertThat(vl.query(new Tenant(tenant.accountId(), (tenant.projectId() + 1) % 0xFFFF_FFFFL), "*")).isEmpty();
    }

    @Test
    void invalidTenantHeadersAreRejected() {
        HttpResponse<String> r = TestHttp.post(vl.insertUrl(), null, utf8(json("_msg", "x")),
                "Content-Type", "application/stream+json", "AccountID", "not-a-number");
        assertBadRequest(r);
        assertBadRequest(TestHttp.post(vl.insertUrl(), null, utf8(json("_msg", "x")),
                "Content-Type", "application/stream+json", "ProjectID", "4294967296"));
    }

    // ------------------------------------------------------------------------------------------ encodings

    @Test
    void compressedBodies() {
        assertOk(insertBytes("", TestHttp.gzip(json("_msg", "gzip", "_time", recent(30))), "Content-Encoding", "gzip"));
        assertOk(insertBytes("", TestHttp.zlib(json("_msg", "deflate", "_time", recent(20))), "Content-Encoding", "deflate"));
        assertOk(insertBytes("", TestHttp.zstd(json("_msg", "zstd", "_time", recent(10))), "Content-Encoding", "zstd"));
        assertThat(msgs("*")).containsExactly("gzip", "deflate", "zstd");
    }

    @Test
    void ndjsonContentTypeWorksToo() {
        assertOk(insert("", json("_msg", "x", "_time", recent(5)), "Content-Type", "application/x-ndjson"));
        assertThat(msgs("*")).containsExactly("x");
    }

    // ------------------------------------------------------------------------------------------ failures and silent drops

    @Test
    void someInvalidLinesTheRestIsStoredAnd200() {
        HttpResponse<String> r = insert("", ndjson(json("_msg", "good 1", "_time", recent(9)), "not json at all",
                "[1,2,3]", json("_msg", "good 2", "_time", recent(8))));
        assertOk(r);
        assertThat(msgs("*")).containsExactly("good 1", "good 2");
    }

    @Test
    void everyLineInvalidIs400AndNothingIsStored() {
        assertBadRequest(insert("", ndjson("not json", "{\"broken\":")));
        assertThat(rows("*")).isEmpty();
    }

    @Test
    void aBadTimestampIs400() {
        assertBadRequest(insert("", json("_msg", "x", "_time", "yesterday at noon")));
        assertBadRequest(insert("_time_field=ts", json("_msg", "x", "ts", "2025-xx-02T03:04:05Z")));
        assertThat(rows("*")).isEmpty();
    }

    @Test
    void formUrlencodedBodyIs200AndStoresNothing() {
        HttpResponse<String> r = insert("", json("_msg", "lost", "_time", recent(5)), "Content-Type", "application/x-www-form-urlencoded");
        assertOk(r);
        assertOk(insert("", json("_msg", "kept", "_time", recent(4))));
        assertThat(msgs("*")).containsExactly("kept");
    }

    @Test
    void aTooLongLineIsSkippedWith200() {
        String big = "x".repeat(300 * 1024);
        HttpResponse<String> r = insert("", ndjson(json("_msg", "before", "_time", recent(9)),
                json("_msg", big, "_time", recent(8))));
        assertOk(r);
        assertThat(msgs("*")).containsExactly("before");
    }

    @Test
    void timestampsOutsideRetentionAreDroppedWith200() {
        assertOk(insert("", ndjson(
                json("_msg", "ancient", "_time", "1980-01-01T00:00:00Z"),
                json("_msg", "far future", "_time", Instant.now().plus(Duration.ofDays(30)).toString()),
                json("_msg", "now", "_time", recent(5)))));
        assertThat(msgs("*")).containsExactly("now");
    }

    @Test
    void moreThan1000FieldsDropsTheLine() {
        StringBuilder wide = new StringBuilder("{\"_msg\":\"wide\",\"_time\":\"" + recent(9) + "\"");
        for (int i = 0; i < 1000; i++) {
            wide.append(",\"f").append(i).append("\":\"v\"");
        }
        wide.append('}');
        assertOk(insert("", ndjson(wide.toString(), json("_msg", "narrow", "_time", recent(8)))));
        assertThat(msgs("*")).containsExactly("narrow");
    }

    @Test
    void aFieldNameOver128BytesDropsTheLine() {
        assertOk(insert("", ndjson(json("_msg", "long name", "_time", recent(9), "n".repeat(129), "v"),
                json("_msg", "short name", "_time", recent(8), "n".repeat(128), "v"))));
        assertThat(msgs("*")).containsExactly("short name");
    }

    @Test
    void noDeduplicationAResentBatchIsStoredTwice() {
        String batch = json("_msg", "again", "_time", recent(5));
        assertOk(insert("", batch));
        assertOk(insert("", batch));
        assertThat(msgs("*")).containsExactly("again", "again");
    }

    // ------------------------------------------------------------------------------------------ visibility

    @Test
    void rowsBecomeSearchableWithoutAFlushWithinSeconds() {
        assertOk(insert("", json("_msg", "eventually", "_time", recent(5))));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(TestHttp.lines(TestHttp.query(vl.baseUrl(), tenant, "*").body())).hasSize(1));
    }

    // ------------------------------------------------------------------------------------------ LogsQL

    private void seedForQueries() {
        assertOk(insert("_stream_fields=component,node_id", ndjson(
                json("_msg", "an error happened", "_time", recent(50), "level", "ERROR", "component", "worker", "node_id", "laptop-1"),
                json("_msg", "multiple errors occurred", "_time", recent(40), "level", "WARN", "component", "worker", "node_id", "laptop-10"),
                json("_msg", "error: cannot open file", "_time", recent(30), "level", "ERROR", "component", "api", "node_id", "laptop-1", "user", "ann"),
                json("_msg", "ERROR in capitals", "_time", recent(20), "level", "error", "component", "api", "node_id", "laptop-2"),
                json("_msg", "ssh: login fail for user", "_time", recent(10), "level", "info", "component", "sshd", "node_id", "laptop-1"))));
    }

    @Test
    void querySubset() {
        seedForQueries();
        assertThat(msgs("*")).hasSize(5);
        assertThat(msgs("error")).containsExactly("an error happened", "error: cannot open file");
        assertThat(msgs("\"ssh: login fail\"")).containsExactly("ssh: login fail for user");
        assertThat(msgs("err*")).containsExactly("an error happened", "multiple errors occurred", "error: cannot open file");
        assertThat(msgs("level:ERROR AND component:\"worker\"")).containsExactly("an error happened");
        assertThat(msgs("level:ERROR component:worker")).containsExactly("an error happened");
        assertThat(msgs("level:WARN OR level:info")).containsExactly("multiple errors occurred", "ssh: login fail for user");
        assertThat(msgs("error -cannot")).containsExactly("an error happened");
        assertThat(msgs("error NOT cannot")).containsExactly("an error happened");
        assertThat(msgs("level:ERROR -(component:api OR node_id:laptop-2)")).containsExactly("an error happened");
        assertThat(msgs("node_id:\"laptop-1\"")).containsExactly("an error happened", "error: cannot open file", "ssh: login fail for user");
        assertThat(msgs("node_id:laptop-1")).hasSize(3);
        assertThat(msgs("node_id:=laptop-10")).containsExactly("multiple errors occurred");
        assertThat(msgs("_stream:{node_id=\"laptop-1\"}")).hasSize(3);
        assertThat(msgs("{node_id=\"laptop-1\",component=\"api\"}")).containsExactly("error: cannot open file");
        assertThat(msgs("{node_id!=\"laptop-1\"}")).containsExactly("multiple errors occurred", "ERROR in capitals");
        assertThat(msgs("user:*")).containsExactly("error: cannot open file");
        assertThat(msgs("user:\"\"")).hasSize(4);
        assertThat(msgs("level:in(WARN, info)")).containsExactly("multiple errors occurred", "ssh: login fail for user");
        assertThat(msgs("level:i(error)")).hasSize(3);
        assertThat(msgs("_time:5m")).hasSize(5);
    }

    @Test
    void limitReturnsTheNewestRows() {
        seedForQueries();
        vl.forceFlush();
        HttpResponse<String> r = TestHttp.query(vl.baseUrl(), tenant, "*", "limit", "2");
        assertOk(r);
        List<String> lines = TestHttp.lines(r.body());
        assertThat(lines).hasSize(2);
        assertThat(String.join("\n", lines)).contains("ssh: login fail for user").contains("ERROR in capitals");
    }

    @Test
    void badQueriesAre400() {
        assertBadRequest(TestHttp.query(vl.baseUrl(), tenant, "error AND ("));
        assertBadRequest(TestHttp.query(vl.baseUrl(), tenant, "{node_id=\"x\""));
        assertBadRequest(TestHttp.post(vl.baseUrl() + "/select/logsql/query", null, utf8("query=*"),
                "Content-Type", "application/x-www-form-urlencoded", "AccountID", "x"));
    }

    // ------------------------------------------------------------------------------------------ metrics

    @Test
    void metricsCountIngestedRowsAndTooLongLines() {
        assertOk(insert("", json("_msg", "counted", "_time", recent(5))));
        String metrics = vl.metricsText();
        assertThat(metrics).contains("vl_rows_ingested_total").contains("vl_too_long_lines_skipped_total");
        double before = vl.metricSum("vl_too_long_lines_skipped_total");
        assertOk(insert("", json("_msg", "y".repeat(300 * 1024))));
        assertThat(vl.metricSum("vl_too_long_lines_skipped_total")).isGreaterThanOrEqualTo(before + 1);
        assertThat(vl.metricSum("vl_rows_ingested_total")).isGreaterThanOrEqualTo(1);
    }
}
