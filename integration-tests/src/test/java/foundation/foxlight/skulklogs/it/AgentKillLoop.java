package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.matrix.Accounts;
import foundation.foxlight.skulklogs.it.matrix.DeliveryAccounting;
import foundation.foxlight.skulklogs.it.matrix.LineId;
import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.matrix.ScenarioReport;
import foundation.foxlight.skulklogs.it.pipeline.InProcessPipeline;
import foundation.foxlight.skulklogs.it.pipeline.KafkaProbe;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.BatchFormatException;
import foundation.foxlight.skulklogs.schema.LogEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent kill -9 tests share: an in-process broker per test, agent processes killed at random moments after
 * they made progress, the count of every numbered line ({@code seq}) found in the log topic, and the clean last run
 * that must deliver every line. Subclasses start the agent their way (file, journald). Use from the test thread.
 */
abstract class AgentKillLoop {
    /** What the agent logs at the end of a clean stop. */
    private static final Pattern STOPPED_CLEANLY = Pattern.compile("stopped cleanly");

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

    /** When a run is killed: once it made progress, a random pause of 0-700 ms later, at a moment of the caller's choosing. */
    interface KillTiming {
        /**
         * Called right after a run started: the sign that it made progress (awaited for at most 60 s), e.g.
         * {@link #kafkaGotSomething()}.
         */
        Callable<Boolean> progress() throws Exception;

        /** Whether the run may be killed now: checked after the pause every few milliseconds, for at most 10 s. */
        boolean reached() throws Exception;
    }

    /** Called with each killed run (e.g. for its peak memory). */
    @FunctionalInterface
    interface AfterKill {
        void killed(LauncherProcess run) throws Exception;
    }

    /** The agents' {@code state_dir}: checkpoints and disk buffer, kept from run to run. */
    Path stateDir() {
        return dir.resolve("state");
    }

    /**
     * Starts {@code skulk-logs agent} tailing {@code file} as {@code nodeId}, with its state in {@link #stateDir()} and no
     * HTTP endpoint; its output is appended to {@code agent.log} (shared by every run).
     */
    LauncherProcess startFileAgent(Path file, String nodeId) throws IOException {
        return LauncherProcess.start("agent", dir.resolve("agent.log"), List.of("--file", file.toString(), "--kafka",
                pipeline.bootstrapServers(), "--node-id", nodeId, "--state-dir", stateDir().toString(), "--http", "off"));
    }

    /** {@code kills} times: start a run, wait until Kafka got something from it, then kill -9 it within 0-700 ms. */
    void killRepeatedly(int kills, AgentStart start, AfterKill after) throws Exception {
        killRepeatedly(kills, start, new KillTiming() {
            @Override
            public Callable<Boolean> progress() {
                return kafkaGotSomething();
            }

            @Override
            public boolean reached() {
                return true;
            }
        }, after);
    }

    /**
     * {@code kills} times: start a run, wait until it made progress as {@code timing} says, let 0-700 ms pass, then kill -9
     * it as soon as {@code timing} is {@link KillTiming#reached() reached} (after 10 s it is killed anyway; the caller's
     * account of the kills says what they hit).
     */
    void killRepeatedly(int kills, AgentStart start, KillTiming timing, AfterKill after) throws Exception {
        Random random = new Random(ThreadLocalRandom.current().nextLong());
        for (int kill = 0; kill < kills; kill++) {
            agent = start.start();
            Callable<Boolean> progress = timing.progress();
            await().atMost(Duration.ofSeconds(60)).until(progress);
            LockSupport.parkNanos(random.nextInt(700) * 1_000_000L); // fault timing, not synchronisation
            try {
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(timing::reached);
            } catch (ConditionTimeoutException e) {
                // killed anyway
            }
            agent.kill();
            after.killed(agent);
        }
    }

    /** The usual sign that the run started last made progress: from now on, Kafka gets something. Call right after the start. */
    Callable<Boolean> kafkaGotSomething() {
        long before = kafka.endOffsetSum(InProcessPipeline.TOPIC);
        return () -> kafka.endOffsetSum(InProcessPipeline.TOPIC) > before;
    }

    /** How often each numbered line ({@code seq}) is in the log topic now; a record the codec cannot read fails the test. */
    Map<Long, Integer> linesInKafka() {
        Map<Long, Integer> copies = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(InProcessPipeline.TOPIC)) {
            try {
                for (LogEvent e : BatchCodec.decode(r.value()).events()) {
                    copies.merge((Long) e.get("seq"), 1, Integer::sum);
                }
            } catch (BatchFormatException e) {
                throw new AssertionError("an agent put an undecodable record into " + r.topic() + "-" + r.partition() + " at " + r.offset(), e);
            }
        }
        return copies;
    }

    /** Waits until the log topic holds every line {@code 0 .. total-1}; returns how often each {@code seq} is there. */
    Map<Long, Integer> awaitEveryLine(long total) {
        AtomicReference<Map<Long, Integer>> seen = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            seen.set(linesInKafka());
            return seen.get().size() == total;
        });
        return seen.get();
    }

    /**
     * The run after the kills: {@code start}s the agent once more, waits until Kafka holds every line {@code 0 .. total-1}
     * of {@code nodeId} (at most 2 minutes), stops it with SIGTERM, records the scenario's row in the reliability matrix
     * ({@link ScenarioReport}; the run's peak RSS goes into {@code peaks} under {@code peakName}) and then asserts that no
     * line is missing and that the run stopped cleanly.
     *
     * @return the account of the lines in Kafka (delivered, duplicates)
     */
    DeliveryAccounting.Account lastRunDeliversEveryLine(AgentStart start, String nodeId, long total, String scenario, PeakMemory.Table peaks,
            String peakName) throws Exception {
        agent = start.start();
        DeliveryAccounting accounting = new DeliveryAccounting().written(nodeId, total);
        DeliveryAccounting.Account account = Accounts.awaitEveryLine(() -> {
            List<LineId> copies = new ArrayList<>();
            linesInKafka().forEach((seq, n) -> copies.addAll(Collections.nCopies(n, new LineId(nodeId, seq))));
            return accounting.account(copies, List.of());
        }, Duration.ofMinutes(2));
        peaks.add(peakName, agent.peakRssBytes());
        // SIGTERM: the JVM exits with 128+15 after the shutdown hook ran; the log says whether the stop was clean.
        int exitStatus = agent.stop();
        ScenarioReport.record(scenario, account, peaks.addThisJvm().asMap());
        assertThat(account.missing()).as("lines missing in Kafka: %s", account).isZero();
        assertThat(exitStatus).as("exit status after SIGTERM").isIn(0, 143);
        assertThat(agent.logged(STOPPED_CLEANLY)).as("the last run stopped cleanly (%s)", agent.log()).isTrue();
        return account;
    }
}
