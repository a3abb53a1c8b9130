package foundation.foxlight.skulklogs.it.victorialogs;

import static foundation.foxlight.skulklogs.it.victorialogs.AbstractVictoriaLogsContract.json;
import static foundation.foxlight.skulklogs.it.victorialogs.AbstractVictoriaLogsContract.ndjson;
import static foundation.foxlight.skulklogs.it.victorialogs.AbstractVictoriaLogsContract.recent;
import static foundation.foxlight.skulklogs.it.victorialogs.TestHttp.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the stand-in does: worst cases, drop counters, flush timing, settings, and fault injection. */
class VictoriaLogsStandInTest {
    private VictoriaLogsStandIn standIn;
    private String url;

    private void start(VictoriaLogsStandIn.Builder settings) {
        standIn = settings.build();
        url = standIn.start();
    }

    private void start() {
        start(VictoriaLogsStandIn.builder());
    }

    @AfterEach
    void stop() {
        if (standIn != null) {
            standIn.close();
        }
    }

    private HttpResponse<String> insert(String args, String body, String... headers) {
        return insertBytes(args, utf8(body), headers);
    }

    private HttpResponse<String> insertBytes(String args, byte[] body, String... headers) {
        String[] h = Arrays.copyOf(headers, headers.length + 2);
        boolean hasCt = false;
        for (int i = 0; i < headers.length; i += 2) {
            hasCt |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!hasCt) {
            h[headers.length] = "Content-Type";
            h[headers.length + 1] = "application/stream+json";
        } else {
            h = headers;
        }
        return TestHttp.post(url + "/insert/jsonline" + (args.isEmpty() ? "" : "?" + args), Tenant.DEFAULT, body, h);
    }

    private List<String> queryLines(String logsql, String... args) {
        HttpResponse<String> r = TestHttp.query(url, Tenant.DEFAULT, logsql, args);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHttp.lines(r.body());
    }

    private List<String> flushedQueryLines(String logsql) {
        assertThat(TestHttp.get(url + "/internal/force_flush").statusCode()).isEqualTo(200);
        return queryLines(logsql);
    }

    // ------------------------------------------------------------------------------------------ visibility

    @Test
    void rowsAreSearchableOnlyAfterAFlushOrTheFlushDelay() {
        start(VictoriaLogsStandIn.builder().flushDelay(Duration.ofMinutes(10)));
        assertThat(insert("", json("_msg", "pending", "_time", recent(5))).statusCode()).isEqualTo(200);
        assertThat(standIn.rowsStored()).isEqualTo(1);
        assertThat(queryLines("*")).isEmpty();
        assertThat(flushedQueryLines("*")).hasSize(1);

        assertThat(insert("", json("_msg", "second", "_time", recent(4))).statusCode()).isEqualTo(200);
        assertThat(queryLines("*")).hasSize(1);
        standIn.forceFlush();
        assertThat(queryLines("*")).hasSize(2);
    }

    @Test
    void defaultFlushDelayIsAboutASecond() {
        start();
        long t0 = System.nanoTime();
        insert("", json("_msg", "soon", "_time", recent(5)));
        assertThat(queryLines("*")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> queryLines("*").size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    // ------------------------------------------------------------------------------------------ silent drops, counted

    @Test
    void aTooLongLineLosesEveryLineAfterItInTheRequest() {
        start(VictoriaLogsStandIn.builder().maxLineSizeBytes(200));
        String longLine = json("_msg", "x".repeat(300));
        HttpResponse<String> r = insert("", ndjson(json("_msg", "before", "_time", recent(9)), longLine,
                json("_msg", "after 1", "_time", recent(8)), "", json("_msg", "after 2", "_time", recent(7))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(flushedQueryLines("*")).hasSize(1).allMatch(l -> l.contains("before"));
        assertThat(standIn.dropped(DropReason.TOO_LONG_LINE)).isEqualTo(1);
        assertThat(standIn.dropped(DropReason.AFTER_TOO_LONG_LINE)).isEqualTo(2);
        assertThat(standIn.maxLineSizeBytes()).isEqualTo(200);
    }

    @Test
    void theLineLimitCountsBytesWithoutTheNewline() {
        start(VictoriaLogsStandIn.builder().maxLineSizeBytes(64));
        String line63 = "{\"_msg\":\"" + "a".repeat(63 - 11) + "\"}";
        String line64 = "{\"_msg\":\"" + "b".repeat(64 - 11) + "\"}";
        assertThat(line63).hasSize(63);
        assertThat(line64).hasSize(64);
        insert("", ndjson(line63));
        insert("", ndjson(line64));
        assertThat(standIn.rowsStored()).isEqualTo(1);
        assertThat(standIn.dropped(DropReason.TOO_LONG_LINE)).isEqualTo(1);
    }

    @Test
    void everySilentDropIsCountedAndExported() {
        start(VictoriaLogsStandIn.builder().maxFieldsPerLine(3).maxFieldNameBytes(10).retention(Duration.ofDays(1)));
        insert("", json("_msg", "form"), "Content-Type", "application/x-www-form-urlencoded");
        insert("", ndjson(json("_msg", "ok"), "garbage"));
        insert("", ndjson(json("_msg", "old", "_time", Instant.now().minus(Duration.ofDays(3)).toString())));
        insert("", ndjson(json("_msg", "future", "_time", Instant.now().plus(Duration.ofDays(5)).toString())));
        insert("", ndjson(json("_msg", "wide", "a", "1", "b", "2", "c", "3")));
        insert("", ndjson(json("_msg", "long name", "abcdefghijk", "1")));
        insert("debug=true", ndjson(json("_msg", "debug")));
        insertBytes("", utf8("this is not zstd"), "Content-Encoding", "zstd");
        insert("", ndjson(json("_msg", "y".repeat(300 * 1024)), json("_msg", "lost after")));

        assertThat(standIn.droppedCounts()).containsEntry(DropReason.FORM_CONTENT_TYPE, 1L)
                .containsEntry(DropReason.INVALID_LINE, 1L)
                .containsEntry(DropReason.TOO_SMALL_TIMESTAMP, 1L)
                .containsEntry(DropReason.TOO_BIG_TIMESTAMP, 1L)
                .containsEntry(DropReason.TOO_MANY_FIELDS, 1L)
                .containsEntry(DropReason.TOO_LONG_FIELD_NAME, 1L)
                .containsEntry(DropReason.DEBUG, 1L)
                .containsEntry(DropReason.CORRUPT_BODY, 1L)
                .containsEntry(DropReason.TOO_LONG_LINE, 1L)
                .containsEntry(DropReason.AFTER_TOO_LONG_LINE, 1L)
                .containsEntry(DropReason.REJECTED_LINE, 0L);
        assertThat(standIn.rowsStored()).isEqualTo(1);
        assertThat(standIn.rowsIngested()).as("parsed lines, stored or dropped after parsing").isEqualTo(6);
        assertThat(standIn.insertRequests()).isEqualTo(9);

        String metrics = TestHttp.get(url + "/metrics").body();
        for (DropReason reason : DropReason.values()) {
            assertThat(metrics).contains(reason.metricSeries() + " " + standIn.dropped(reason));
        }
        assertThat(metrics).contains("vl_rows_ingested_total{type=\"jsonline\"} 6")
                .contains("vl_too_long_lines_skipped_total 1")
                .contains("vl_rows_dropped_total{reason=\"too_small_timestamp\"} 1");
    }

    @Test
    void aRequestAnswered400CountsNoSilentDrop() {
        start();
        assertThat(insert("", ndjson("garbage", "more garbage")).statusCode()).isEqualTo(400);
        assertThat(standIn.dropped(DropReason.INVALID_LINE)).isZero();
    }

    @Test
    void aBrokenGzipStreamKeepsTheLinesBeforeTheBreak() {
        start();
        byte[] gz = TestHttp.gzip(ndjson(json("_msg", "first", "_time", recent(9)), json("_msg", "second", "_time", recent(8)))
                + "x".repeat(100_000));
        byte[] truncated = Arrays.copyOf(gz, gz.length - 20);
        HttpResponse<String> r = insertBytes("", truncated, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(flushedQueryLines("*")).hasSize(2);
        assertThat(standIn.dropped(DropReason.CORRUPT_BODY)).isEqualTo(1);
    }

    @Test
    void undecodableBodiesAre400() {
        start();
        assertThat(insertBytes("", utf8("plain"), "Content-Encoding", "gzip").statusCode()).isEqualTo(400);
        assertThat(insertBytes("", utf8("plain"), "Content-Encoding", "deflate").statusCode()).isEqualTo(400);
        assertThat(insertBytes("", utf8("plain"), "Content-Encoding", "snappy").statusCode()).isEqualTo(400);
        HttpResponse<String> br = insertBytes("", utf8("plain"), "Content-Encoding", "br");
        assertThat(br.statusCode()).isEqualTo(400);
        assertThat(br.body()).contains("unsupported encoding: br");
        assertThat(standIn.rowsStored()).isZero();
    }

    @Test
    void snappyBodies() throws Exception {
        start();
        byte[] body = org.xerial.snappy.Snappy.compress(utf8(json("_msg", "snappy", "_time", recent(5))));
        assertThat(insertBytes("", body, "Content-Encoding", "snappy").statusCode()).isEqualTo(200);
        assertThat(flushedQueryLines("snappy")).hasSize(1);
    }

    @Test
    void formBodiesAreReadAsArgs() {
        start();
        // Go's FormValue reads a form body as args; the stand-in does the same (and stores nothing).
        assertThat(insert("", "debug=maybe", "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
    }

    @Test
    void extraFieldsOverrideFieldsOfTheSameNameAndIgnoreFieldsTakePrefixes() {
        start();
        insert("extra_fields=app=forced&ignore_fields=tmp*&_stream_fields=app",
                json("_msg", "x", "_time", recent(5), "app", "client", "tmp_a", "1", "tmpb", "2"));
        List<String> lines = flushedQueryLines("*");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("\"app\":\"forced\"").contains("\"_stream\":\"{app=\\\"forced\\\"}\"")
                .doesNotContain("client").doesNotContain("tmp");
    }

    @Test
    void badExtraFieldsAndDebugValuesAre400() {
        start();
        assertThat(insert("extra_fields=novalue", json("_msg", "x")).statusCode()).isEqualTo(400);
        assertThat(insert("debug=maybe", json("_msg", "x")).statusCode()).isEqualTo(400);
    }

    @Test
    void streamValuesAreQuotedLikeGo() {
        start();
        insert("_stream_fields=a", json("_msg", "x", "a", "say \"hi\"\tnow"));
        assertThat(flushedQueryLines("*").get(0)).contains("\"_stream\":\"{a=\\\"say \\\\\\\"hi\\\\\\\"\\\\tnow\\\"}\"");
    }

    // ------------------------------------------------------------------------------------------ query endpoint

    @Test
    void limitReturnsNewestFirstAndOffsetSkips() {
        start();
        insert("", ndjson(json("_msg", "t1", "_time", recent(30)), json("_msg", "t2", "_time", recent(20)),
                json("_msg", "t3", "_time", recent(10))));
        standIn.forceFlush();
        assertThat(queryLines("*", "limit", "2")).hasSize(2).satisfies(l -> {
            assertThat(l.get(0)).contains("t3");
            assertThat(l.get(1)).contains("t2");
        });
        assertThat(queryLines("*", "limit", "1", "offset", "1")).singleElement().asString().contains("t2");
    }

    @Test
    void startAndEndNarrowTheTimeRange() {
        start();
        Instant mid = Instant.now().minusSeconds(15);
        insert("", ndjson(json("_msg", "early", "_time", recent(30)), json("_msg", "late", "_time", recent(5))));
        standIn.forceFlush();
        assertThat(queryLines("*", "start", mid.toString())).singleElement().asString().contains("late");
        assertThat(queryLines("*", "end", mid.toString())).singleElement().asString().contains("early");
        assertThat(queryLines("*", "start", "10m")).hasSize(2);
        assertThat(TestHttp.query(url, Tenant.DEFAULT, "*", "start", "not a time").statusCode()).isEqualTo(400);
        assertThat(TestHttp.query(url, Tenant.DEFAULT, "*", "limit", "-1").statusCode()).isEqualTo(400);
    }

    @Test
    void queriesByGetWork() {
        start();
        insert("", json("_msg", "via get", "_time", recent(5)));
        standIn.forceFlush();
        HttpResponse<String> r = TestHttp.get(url + "/select/logsql/query?query=via");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestHttp.lines(r.body())).hasSize(1);
        assertThat(standIn.queryRequests()).isEqualTo(1);
    }

    @Test
    void unsupportedLogsQlIsA400ThatSaysSo() {
        start();
        HttpResponse<String> r = TestHttp.query(url, Tenant.DEFAULT, "error | stats count()");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("not supported by the VictoriaLogs stand-in");
        assertThat(TestHttp.query(url, Tenant.DEFAULT, "").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathsAre400() {
        start();
        HttpResponse<String> r = TestHttp.get(url + "/select/logsql/hits?query=*");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("unsupported path");
    }

    // ------------------------------------------------------------------------------------------ fault injection

    @Test
    void failNextRequestsThenRecover() {
        start();
        standIn.failNextRequests(2, 503);
        assertThat(insert("", json("_msg", "a")).statusCode()).isEqualTo(503);
        assertThat(insert("", json("_msg", "b")).statusCode()).isEqualTo(503);
        assertThat(insert("", json("_msg", "c")).statusCode()).isEqualTo(200);
        assertThat(standIn.injectedFailures()).isEqualTo(2);
        assertThat(standIn.insertRequests()).isEqualTo(3);
        assertThat(flushedQueryLines("*")).singleElement().asString().contains("\"_msg\":\"c\"");
    }

    @Test
    void failAlwaysUntilClear() {
        start();
        standIn.failAlways(500);
        for (int i = 0; i < 3; i++) {
            assertThat(insert("", json("_msg", "x")).statusCode()).isEqualTo(500);
        }
        standIn.clear();
        assertThat(insert("", json("_msg", "x")).statusCode()).isEqualTo(200);
        assertThat(standIn.rowsStored()).isEqualTo(1);
    }

    @Test
    void readOnlyIs429AndOverloadedIs503() {
        start();
        standIn.readOnly(true);
        HttpResponse<String> ro = insert("", json("_msg", "x"));
        assertThat(ro.statusCode()).isEqualTo(429);
        assertThat(ro.body()).contains("read-only");
        standIn.readOnly(false);
        standIn.overloaded(true);
        assertThat(insert("", json("_msg", "x")).statusCode()).isEqualTo(503);
        standIn.clear();
        assertThat(insert("", json("_msg", "x")).statusCode()).isEqualTo(200);
        assertThat(standIn.rowsStored()).isEqualTo(1);
    }

    @Test
    void rejectedLinesFailLikeInvalidLines() {
        start();
        standIn.rejectLinesMatching(line -> line.contains("poison"));
        HttpResponse<String> partial = insert("", ndjson(json("_msg", "fine 1"), json("_msg", "poison"), json("_msg", "fine 2")));
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(standIn.rowsStored()).isEqualTo(2);
        assertThat(standIn.dropped(DropReason.REJECTED_LINE)).isEqualTo(1);

        HttpResponse<String> all = insert("", ndjson(json("_msg", "poison 1"), json("_msg", "poison 2")));
        assertThat(all.statusCode()).isEqualTo(400);
        assertThat(all.body()).contains("rejected");
        assertThat(standIn.rowsStored()).isEqualTo(2);
        assertThat(standIn.dropped(DropReason.REJECTED_LINE)).isEqualTo(1);
    }

    @Test
    void respondSlowlyDelaysTheAnswerButStoresEvenIfTheClientGaveUp() {
        start();
        standIn.respondSlowly(Duration.ofMillis(400));
        long t0 = System.nanoTime();
        assertThat(insert("", json("_msg", "slow")).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

        CompletableFuture<HttpResponse<String>> impatient = TestHttp.CLIENT.sendAsync(
                TestHttp.postRequest(url + "/insert/jsonline", Tenant.DEFAULT, utf8(json("_msg", "gave up")), Duration.ofMillis(100),
                        "Content-Type", "application/stream+json"),
                HttpResponse.BodyHandlers.ofString());
        assertThatThrownBy(impatient::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HttpTimeoutException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> standIn.rowsStored() == 2);
        standIn.respondSlowly(Duration.ZERO);
        t0 = System.nanoTime();
        insert("", json("_msg", "fast"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void goDownRefusesConnectionsAndComeUpServesTheSamePortAndData() {
        start();
        int port = standIn.port();
        assertThat(insert("", json("_msg", "before the outage", "_time", recent(5))).statusCode()).isEqualTo(200);
        standIn.goDown();
        assertThat(standIn.isUp()).isFalse();
        assertThatThrownBy(() -> TestHttp.sendFresh(TestHttp.postRequest(url + "/insert/jsonline", Tenant.DEFAULT,
                utf8(json("_msg", "during")), TestHttp.TIMEOUT, "Content-Type", "application/stream+json")))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> TestHttp.sendFresh(TestHttp.getRequest(url + "/health"))).hasCauseInstanceOf(ConnectException.class);
        standIn.goDown();

        standIn.comeUp();
        assertThat(standIn.isUp()).isTrue();
        assertThat(standIn.port()).isEqualTo(port);
        assertThat(standIn.baseUrl()).isEqualTo(url);
        assertThat(insert("", json("_msg", "after the outage", "_time", recent(4))).statusCode()).isEqualTo(200);
        assertThat(flushedQueryLines("outage")).hasSize(2);
        standIn.comeUp();
    }

    @Test
    void faultsCanBeSetFromManyThreads() throws Exception {
        start();
        List<CompletableFuture<Void>> setters = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            setters.add(CompletableFuture.runAsync(() -> {
                standIn.readOnly(n % 2 == 0);
                standIn.respondSlowly(Duration.ofMillis(n));
                standIn.failNextRequests(1, 500 + n);
                standIn.clear();
            }));
        }
        CompletableFuture.allOf(setters.toArray(CompletableFuture[]::new)).get();
        assertThat(insert("", json("_msg", "x")).statusCode()).isEqualTo(200);
    }

    @Test
    void lifecycleMisuseIsRefusedAndCloseIsIdempotent() {
        start();
        assertThatThrownBy(() -> standIn.start()).isInstanceOf(IllegalStateException.class);
        standIn.close();
        standIn.close();
        assertThat(standIn.isUp()).isFalse();
        assertThatThrownBy(() -> standIn.comeUp()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TestHttp.sendFresh(TestHttp.getRequest(url + "/health"))).hasCauseInstanceOf(ConnectException.class);
    }
}
