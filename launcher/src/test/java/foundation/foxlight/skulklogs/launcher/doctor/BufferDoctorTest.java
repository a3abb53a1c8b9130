package foundation.foxlight.skulklogs.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.agent.buffer.BufferConfig;
import foundation.foxlight.skulklogs.agent.buffer.BufferFullException;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.buffer.FsyncPolicy;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code buffer}: read offline from a real disk buffer when no agent answers, else from the agent's /metrics. */
class BufferDoctorTest {
    private static final String ONLY_BUFFER = "agent,logfile,kafka,relay,victorialogs,clock,skulk.env,disk";
    private static final long SMALL = 64 * 1024;

    @TempDir
    Path dir;

    private DoctorRun doctor(String... more) throws Exception {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "buffer:\n  max_bytes: " + SMALL + "\n  segment_bytes: 8192\nsources:\n  files:\n"
                + "    max_batch_bytes: 1024\n    max_line_bytes: 1024\n");
        String[] args = new String[more.length + 4];
        args[0] = "--skip";
        args[1] = ONLY_BUFFER;
        args[2] = "--config";
        args[3] = config.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return DoctorRun.of(Fixtures.array(Fixtures.args(dir, Fixtures.skulkLog(dir, 1), args)));
    }

    private DiskBuffer buffer() throws Exception {
        return DiskBuffer.open(new BufferConfig(dir.resolve("state/buffer"), SMALL, 8192, FsyncPolicy.defaultPolicy()));
    }

    @Test
    void noBufferYetIsSkipped() throws Exception {
        DoctorRun r = doctor();
        assertThat(r.status("buffer")).as(r.toString()).isEqualTo("SKIP");
        assertThat(r.what("buffer")).contains("no disk buffer at " + dir.resolve("state/buffer"));
    }

    @Test
    void aBufferWithABacklogIsReadOffline() throws Exception {
        try (DiskBuffer b = buffer()) {
            for (int i = 0; i < 3; i++) {
                b.append(new byte[100]);
            }
            b.sync();
            b.checkpoint();
        }
        DoctorRun r = doctor();
        assertThat(r.status("buffer")).as(r.toString()).isEqualTo("OK");
        assertThat(r.what("buffer")).contains("of 64 KiB", "3 record(s) not yet in Kafka");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void aNearlyFullBufferFails() throws Exception {
        try (DiskBuffer b = buffer()) {
            try {
                while (true) {
                    b.append(new byte[1000]);
                }
            } catch (BufferFullException expected) {
                // full
            }
            b.sync();
            b.checkpoint();
        }
        DoctorRun r = doctor();
        assertThat(r.status("buffer")).as(r.toString()).isEqualTo("FAIL");
        assertThat(r.what("buffer")).contains("the buffer is nearly full");
        assertThat(r.fix("buffer")).contains("kafka.* checks");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void aRunningAgentsMetricsShowAnOldBacklog() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (StandInServer agent = new StandInServer(vertx, 200, StandInServer.health(true, ""))) {
            agent.metrics = "# HELP skulk_agent_buffer_bytes disk buffer bytes on disk\n# TYPE skulk_agent_buffer_bytes gauge\n"
                    + "skulk_agent_buffer_bytes 16384.0\nskulk_agent_buffer_unacked_records 7.0\n"
                    + "skulk_agent_buffer_oldest_unacked_age_seconds 125.0\n";
            DoctorRun r = doctor("--agent-http", "127.0.0.1:" + agent.port());
            assertThat(r.status("buffer")).as(r.toString()).isEqualTo("WARN");
            assertThat(r.what("buffer")).contains("16 KiB of 64 KiB (25 %), 7 record(s) not yet in Kafka, oldest 125 s old",
                    "lines have waited 125 s for Kafka");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
