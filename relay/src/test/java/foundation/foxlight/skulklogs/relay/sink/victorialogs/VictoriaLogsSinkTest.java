package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.relay.deadletter.DeadLetterQueue;
import foundation.foxlight.skulklogs.relay.sink.DeliveryLines;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.testing.FakeVictoriaLogs.Reply;
import foundation.foxlight.skulklogs.relay.telemetry.RelayMetrics;
import foundation.foxlight.skulklogs.schema.LogEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class VictoriaLogsSinkTest {
    private FakeVictoriaLogs fake;
    private VictoriaLogsSink sink;

    @BeforeEach
    void start(Vertx vertx) {
        fake = await(FakeVictoriaLogs.start(vertx));
        VictoriaLogsSinkConfig config = VictoriaLogsSinkConfig.defaults().withUrl(fake.baseUrl())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
        // No line is refused here, so the dead-letter topic (a Kafka producer) is never written.
        sink = new VictoriaLogsSink(vertx, WebClient.create(vertx), config, new DeadLetterQueue(null, "unused"),
                new RelayMetrics(new SimpleMeterRegistry()));
    }

    @AfterEach
    void stop() {
        sink.stop();
        await(fake.close());
    }

    /** Lines that are built afresh at every read; remembers each read's list weakly. */
    private static final class TrackedLines implements DeliveryLines {
        private final int count;
        private final List<WeakReference<List<LogEvent>>> reads = new ArrayList<>();

        TrackedLines(int count) {
            this.count = count;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public synchronized List<LogEvent> read() {
            List<LogEvent> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(LogEvent.builder().put("ts", Instant.now().toString()).put("node_id", "laptop-1")
                        .put("component", "worker").put("msg", "line " + i).build());
            }
            reads.add(new WeakReference<>(out));
            return out;
        }

        synchronized int reads() {
            return reads.size();
        }

        synchronized boolean noReadIsHeld() {
            return reads.stream().allMatch(r -> r.get() == null);
        }
    }

    @Test
    void holdsNoDecodedLinesWhileARequestIsInFlightOrWaitsForItsRetry(Vertx vertx) throws Exception {
        // A request that gets no answer (timeout after 1 s), then three 503s (backoff 0.2, 0.4, 0.8 s), then stored.
        fake.enqueue(Reply.hang(), Reply.status(503), Reply.status(503), Reply.status(503));
        TrackedLines lines = new TrackedLines(500);
        CompletableFuture<Future<Void>> started = new CompletableFuture<>();
        vertx.runOnContext(v -> started.complete(sink.deliver(lines)));
        Future<Void> delivered = started.get();

        // While the delivery is outstanding, every list the sink read can be collected: it holds the lines' source only.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return lines.reads() >= 1 && lines.noReadIsHeld() && !delivered.isComplete();
        });

        await(delivered);
        long inserts = fake.requests().stream().filter(r -> r.path().equals("/insert/jsonline")).count();
        assertThat(inserts).isEqualTo(5);
        assertThat(lines.reads()).as("one read per attempt").isEqualTo(5);
        assertThat(fake.stored()).hasSize(500);
        assertThat(fake.stored().get(499).path("msg").asText()).isEqualTo("line 499");
    }
}
