package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs.Reply;
import foundation.foxlight.skulklogs.schema.LogEvent;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RejectedLineSplitterTest {
    private static final String BAD_MESSAGE = "cannot parse line: bad on purpose";
    private static final InsertOutcome.Rejected FIRST_400 = new InsertOutcome.Rejected(400, BAD_MESSAGE);

    private FakeVictoriaLogs fake;
    private VictoriaLogsService service;
    private VictoriaLogsRequestBuilder builder;

    @BeforeEach
    void start(Vertx vertx) {
        fake = await(FakeVictoriaLogs.start(vertx));
        fake.rejectLinesWhere(line -> line.path("bad").asBoolean(false), BAD_MESSAGE);
        VictoriaLogsSinkConfig config = VictoriaLogsSinkConfig.defaults().withUrl(fake.baseUrl());
        builder = new VictoriaLogsRequestBuilder(config);
        service = VictoriaLogsService.create(vertx, config);
    }

    @AfterEach
    void stop() {
        service.close();
        await(fake.close());
    }

    private static List<LogEvent> events(int n, Set<Integer> bad) {
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LogEvent.Builder b = LogEvent.builder().put("ts", Instant.now().toString()).put("node_id", "laptop-1")
                    .put("component", "worker").put("msg", "event " + i).put("i", (long) i);
            if (bad.contains(i)) {
                b.put("bad", Boolean.TRUE);
            }
            out.add(b.build());
        }
        return out;
    }

    private List<Long> storedIndices() {
        return fake.stored().stream().map(n -> n.get("i").asLong()).toList();
    }

    @Test
    void findsExactlyTheThreeBadLinesAndDeliversTheOther97ExactlyOnce(Vertx vertx) {
        Set<Integer> bad = Set.of(7, 50, 93);
        List<LogEvent> events = events(100, bad);
        RejectedLineSplitter splitter = new RejectedLineSplitter(vertx, builder, service, Instant::now);

        SplitResult result = await(splitter.split(events, FIRST_400));

        assertThat(result.rejected()).extracting(SplitResult.RejectedEvent::index).containsExactly(7, 50, 93);
        assertThat(result.rejected()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.reason()).isEqualTo(BAD_MESSAGE);
            assertThat(r.event()).isSameAs(events.get(r.index()));
        });
        assertThat(result.deliveredCount()).isEqualTo(97);
        assertThat(result.delivered()).doesNotContainAnyElementsOf(List.of(7, 50, 93)).doesNotHaveDuplicates();
        assertThat(result.pending()).isEmpty();
        assertThat(result.isComplete()).isTrue();
        assertThat(result.interruptedBy()).isNull();

        List<Long> stored = storedIndices();
        assertThat(stored).hasSize(97).doesNotHaveDuplicates();
        assertThat(new HashSet<>(stored)).isEqualTo(IntStream.range(0, 100).filter(i -> !bad.contains(i))
                .mapToObj(i -> (long) i).collect(Collectors.toSet()));
        int log2n = 7;
        assertThat(result.requests()).isEqualTo(fake.requests().size()).isLessThanOrEqualTo(2 * log2n * bad.size());
    }

    @Test
    void sendsTheWholeBatchFirstWhenNoRejectionIsKnown(Vertx vertx) {
        RejectedLineSplitter splitter = new RejectedLineSplitter(vertx, builder, service, Instant::now);
        SplitResult result = await(splitter.split(events(10, Set.of())));
        assertThat(result.deliveredCount()).isEqualTo(10);
        assertThat(result.requests()).isEqualTo(1);
        assertThat(storedIndices()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void aSingleRejectedEventNeedsNoRequest(Vertx vertx) {
        RejectedLineSplitter splitter = new RejectedLineSplitter(vertx, builder, service, Instant::now);
        List<LogEvent> one = events(1, Set.of(0));
        SplitResult result = await(splitter.split(one, FIRST_400));
        assertThat(result.requests()).isZero();
        assertThat(result.rejected()).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(BAD_MESSAGE));
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void storeGoingDownInterruptsAndLeavesTheRestPending(Vertx vertx) {
        List<LogEvent> events = events(16, Set.of(3));
        // first half [0,8) refused (contains 3), then [0,4) refused, then [0,2) delivered, then 503
        fake.enqueue(Reply.emulate(), Reply.emulate(), Reply.emulate(), Reply.status(503, "busy"));
        RejectedLineSplitter splitter = new RejectedLineSplitter(vertx, builder, service, Instant::now);

        SplitResult result = await(splitter.split(events, FIRST_400));

        assertThat(result.delivered()).containsExactly(0, 1);
        assertThat(result.rejected()).isEmpty();
        assertThat(result.pending()).containsExactlyElementsOf(IntStream.range(2, 16).boxed().toList());
        assertThat(result.interruptedBy()).isInstanceOf(InsertOutcome.Retry.class);
        assertThat(result.isComplete()).isFalse();
        assertThat(storedIndices()).containsExactly(0L, 1L);
    }

    @Test
    void misconfigurationAnswerInterruptsWithoutRejectingAnything(Vertx vertx) {
        fake.enqueue(Reply.status(404, "unsupported path"));
        RejectedLineSplitter splitter = new RejectedLineSplitter(vertx, builder, service, Instant::now);
        SplitResult result = await(splitter.split(events(8, Set.of(1)), FIRST_400));
        assertThat(result.rejected()).isEmpty();
        assertThat(result.delivered()).isEmpty();
        assertThat(result.pending()).hasSize(8);
        assertThat(result.interruptedBy()).isEqualTo(new InsertOutcome.Rejected(404, "unsupported path"));
    }

    @Test
    void requestsStayWithinTheBudgetWhenEverythingIsBad(Vertx vertx) {
        int n = 100;
        Set<Integer> all = IntStream.range(0, n).boxed().collect(Collectors.toSet());
        RejectedLineSplitter splitter = new RejectedLineSplitter(vertx, builder, service, Instant::now, 2);
        int budget = RejectedLineSplitter.requestBudget(n, 2);
        assertThat(budget).isEqualTo(2 * 7 * 2);

        SplitResult result = await(splitter.split(events(n, all), FIRST_400));

        assertThat(result.requests()).isEqualTo(budget);
        assertThat(fake.requests()).hasSize(budget);
        assertThat(result.delivered()).isEmpty();
        assertThat(result.rejected().size() + result.pending().size()).isEqualTo(n);
        assertThat(result.rejected()).extracting(SplitResult.RejectedEvent::index).doesNotHaveDuplicates();
        assertThat(result.rejected()).anyMatch(r -> r.reason().contains("not bisected further"));
        assertThat(fake.stored()).isEmpty();
    }

    @Test
    void budgetFormula() {
        assertThat(RejectedLineSplitter.requestBudget(0, 32)).isZero();
        assertThat(RejectedLineSplitter.requestBudget(1, 32)).isZero();
        assertThat(RejectedLineSplitter.requestBudget(2, 32)).isEqualTo(2);
        assertThat(RejectedLineSplitter.requestBudget(100, 32)).isEqualTo(198);
        assertThat(RejectedLineSplitter.requestBudget(10_000, 32)).isEqualTo(2 * 14 * 32);
    }

    @Test
    void everyIndexEndsUpInExactlyOneBucket(Vertx vertx) {
        Set<Integer> bad = Set.of(0, 1, 2, 30, 31);
        List<LogEvent> events = events(33, bad);
        RejectedLineSplitter splitter = new RejectedLineSplitter(vertx, builder, service, Instant::now);
        SplitResult result = await(splitter.split(events, FIRST_400));
        List<Integer> all = new ArrayList<>(result.delivered());
        result.rejected().forEach(r -> all.add(r.index()));
        all.addAll(result.pending());
        assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 33).boxed().toList());
        assertThat(result.rejected()).extracting(SplitResult.RejectedEvent::index).containsExactly(0, 1, 2, 30, 31);
        List<ObjectNode> stored = fake.stored();
        assertThat(stored).hasSize(28);
    }
}
