package foundation.foxlight.skulklogs.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skulk.env}: Skulk's env file against what the agent needs. */
class SkulkEnvDoctorTest {
    private static final String ONLY_ENV = "agent,logfile,kafka,relay,victorialogs,clock,buffer,disk";

    @TempDir
    Path dir;

    private DoctorRun doctor(String... more) throws Exception {
        String[] args = new String[more.length + 2];
        args[0] = "--skip";
        args[1] = ONLY_ENV;
        System.arraycopy(more, 0, args, 2, more.length);
        return DoctorRun.of(Fixtures.array(Fixtures.args(dir, Fixtures.skulkLog(dir, 1), args)));
    }

    @Test
    void externalLoggingOnIsOk() throws Exception {
        Fixtures.envFile(dir, "export SKULK_LOGGING_EXTERNAL=1\n");
        DoctorRun r = doctor();
        assertThat(r.status("skulk.env")).as(r.toString()).isEqualTo("OK");
        assertThat(r.what("skulk.env")).isEqualTo("SKULK_LOGGING_EXTERNAL=1");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void externalLoggingOffOrNoEnvFileFails() throws Exception {
        DoctorRun absent = doctor();
        assertThat(absent.status("skulk.env")).isEqualTo("FAIL");
        assertThat(absent.what("skulk.env")).contains("skulk.env does not exist");
        assertThat(absent.fix("skulk.env")).contains("SKULK_LOGGING_EXTERNAL=1");

        Fixtures.envFile(dir, "SKULK_LOGGING_EXTERNAL=0\n");
        DoctorRun off = doctor();
        assertThat(off.status("skulk.env")).isEqualTo("FAIL");
        assertThat(off.what("skulk.env")).contains("SKULK_LOGGING_EXTERNAL is '0'");
        assertThat(off.fix("skulk.env")).startsWith("set SKULK_LOGGING_EXTERNAL=1 in ");
        assertThat(off.exitCode()).isEqualTo(1);
    }

    @Test
    void anIngestUrlWithoutSkulksFieldsFailsWithTheExactUrl() throws Exception {
        Fixtures.envFile(dir, "SKULK_LOGGING_EXTERNAL=1\nSKULK_LOGGING_INGEST_URL=http://logs.lan:9428/insert/jsonline?_msg_field=msg\n");
        DoctorRun r = doctor();
        assertThat(r.status("skulk.env")).isEqualTo("FAIL");
        assertThat(r.fix("skulk.env")).contains("SKULK_LOGGING_INGEST_URL=http://logs.lan:9428/insert/jsonline?"
                + "_stream_fields=node_id,component&_msg_field=msg&_time_field=ts");
    }

    @Test
    void aCorrectIngestUrlNextToARunningAgentWarnsOfDoubleShipping() throws Exception {
        Fixtures.envFile(dir, "SKULK_LOGGING_EXTERNAL=1\nSKULK_LOGGING_INGEST_URL='http://logs.lan:9428/insert/jsonline?"
                + "_time_field=ts&_msg_field=msg&_stream_fields=component,node_id'\n");
        DoctorRun alone = doctor();
        assertThat(alone.status("skulk.env")).as("no agent installed or running here").isEqualTo("OK");

        Vertx vertx = Vertx.vertx();
        try (StandInServer agent = new StandInServer(vertx, 200, StandInServer.health(true, ""))) {
            DoctorRun r = doctor("--agent-http", "127.0.0.1:" + agent.port());
            assertThat(r.status("skulk.env")).isEqualTo("WARN");
            assertThat(r.what("skulk.env")).contains("straight into VictoriaLogs at logs.lan:9428, bypassing Kafka", "every line is stored twice");
            assertThat(r.fix("skulk.env")).contains("remove SKULK_LOGGING_INGEST_URL");
            assertThat(r.exitCode()).isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLogFileTheAgentDoesNotTailWarns() throws Exception {
        Fixtures.envFile(dir, "SKULK_LOGGING_EXTERNAL=1\nSKULK_LOG_FILE=" + dir.resolve("elsewhere.log") + "\n");
        DoctorRun r = doctor();
        assertThat(r.status("skulk.env")).isEqualTo("WARN");
        assertThat(r.what("skulk.env")).contains("Skulk writes " + dir.resolve("elsewhere.log") + " (SKULK_LOG_FILE");
    }
}
