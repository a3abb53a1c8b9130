package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import foundation.foxlight.skulklogs.it.pipeline.LauncherProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A real agent process ({@code skulk-logs agent}) tailing one file, stopped and started again as a scenario needs
 * (a reboot, an inode swap). Run {@code n} logs to {@code dir/agent-n.log}; every run keeps its state in
 * {@code dir/state}, so each resumes from the last checkpoint. Use from the test thread; {@link #close()} (in
 * {@code @AfterEach}) kills a run still going.
 */
final class AgentProcessRuns implements AutoCloseable {
    /** What the agent logs when it opened the file at its first poll. */
    private static final Pattern FILE_OPENED = Pattern.compile("reading from the start|resuming at offset|not the one checkpointed");

    private final Path dir;
    private final String nodeId;
    private final String bootstrapServers;
    private final List<String> moreArgs;
    private final PeakMemory.Table peaks;
    private LauncherProcess current;
    private int runs;

    /**
     * Runs for node {@code nodeId} against the Kafka at {@code bootstrapServers}, each with {@code moreArgs} added to
     * its command line (e.g. {@code --http}); each stopped run's peak RSS goes into {@code peaks} as "agent".
     */
    AgentProcessRuns(Path dir, String nodeId, String bootstrapServers, List<String> moreArgs, PeakMemory.Table peaks) {
        this.dir = dir;
        this.nodeId = nodeId;
        this.bootstrapServers = bootstrapServers;
        this.moreArgs = List.copyOf(moreArgs);
        this.peaks = peaks;
    }

    /** Starts a run tailing {@code file} and waits until it opened the file (as launchd had it running before Skulk's next start). */
    LauncherProcess start(Path file) throws IOException {
        runs++;
        List<String> args = new ArrayList<>(List.of("--file", file.toString(), "--kafka", bootstrapServers, "--node-id", nodeId,
                "--state-dir", dir.resolve("state").toString()));
        args.addAll(moreArgs);
        LauncherProcess p = LauncherProcess.start("agent", dir.resolve("agent-" + runs + ".log"), args);
        current = p;
        await().atMost(Duration.ofSeconds(60)).until(() -> p.logged(FILE_OPENED));
        return p;
    }

    /** The run going on (started and not stopped since). */
    LauncherProcess current() {
        if (current == null) {
            throw new IllegalStateException("no agent running");
        }
        return current;
    }

    /** Clean stop (SIGTERM) of the run going on: records its peak RSS and checks its exit status (0, or 143 for the signal). */
    void stop() throws InterruptedException {
        LauncherProcess p = current();
        peaks.add("agent", p.peakRssBytes());
        assertThat(p.stop()).as("agent exit status after SIGTERM").isIn(0, 143);
        current = null;
    }

    /** Kills a run still going (after a failed test). */
    @Override
    public void close() throws InterruptedException {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
