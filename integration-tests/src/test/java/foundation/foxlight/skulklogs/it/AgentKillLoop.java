package foundation.foxlight.skulklogs.it;

import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.pipeline.InProcessPipeline;
import foundation.foxlight.skulklogs.it.pipeline.KafkaProbe;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.LogEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent kill -9 tests share: an in-process broker per test, agent processes killed at random moments after
 * they made progress, and the count of every numbered line ({@code seq}) found in the log topic. Subclasses start the
 * agent their way (file, journald). Use from the test thread.
 */
abstract class AgentKillLoop {
    @TempDir
    Path dir;
    InProcessPipeline pipeline;
    KafkaProbe kafka;
    LauncherProcess agent;

    @BeforeEach
    void startBroker() throws Exception {
        pipeline = InProcessPipeline.startBroker(dir);
        kafka = new KafkaProbe(pipeline.bootstrapServers());
    }

    @AfterEach
    void stopAll() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** An agent run, started. */
    @FunctionalInterface
    interface AgentStart {
        LauncherProcess start() throws Exception;
    }

    /** Called with each killed run (e.g. for its peak memory). */
    @FunctionalInterface
    interface AfterKill {
        void killed(LauncherProcess run) throws Exception;
    }

    /** {@code kills} times: start a run, wait until Kafka got something from it, then kill -9 it within 0-700 ms. */
    void killRepeatedly(int kills, AgentStart start, AfterKill after) throws Exception {
        Random random = new Random(ThreadLocalRandom.current().nextLong());
        for (int kill = 0; kill < kills; kill++) {
            agent = start.start();
            long before = kafka.endOffsetSum(InProcessPipeline.TOPIC);
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.endOffsetSum(InProcessPipeline.TOPIC) > before);
            LockSupport.parkNanos(random.nextInt(700) * 1_000_000L); // fault timing, not synchronisation
            agent.kill();
            after.killed(agent);
        }
    }

    /** Waits until the log topic holds every line {@code 0 .. total-1}; returns how often each {@code seq} is there. */
    Map<Long, Integer> awaitEveryLine(long total) {
        Map<Long, Integer> seen = new HashMap<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            seen.clear();
            for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(InProcessPipeline.TOPIC)) {
                for (LogEvent e : BatchCodec.decode(r.value()).events()) {
                    seen.merge((Long) e.get("seq"), 1, Integer::sum);
                }
            }
            return seen.size() == total;
        });
        return seen;
    }
}
