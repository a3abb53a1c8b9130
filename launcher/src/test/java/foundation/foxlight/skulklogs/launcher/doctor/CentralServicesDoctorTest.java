package foundation.foxlight.skulklogs.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.launcher.doctor.probe.HostPort;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code relay.health}, {@code victorialogs.health} and {@code clock} against real HTTP servers standing in for the
 * relay and VictoriaLogs: healthy, not ready (503), down, and answering with a skewed {@code Date}.
 */
class CentralServicesDoctorTest {
    private static final String ONLY_CENTRAL = "agent,logfile,kafka,buffer,disk,skulk.env";
    private static final String READY = StandInServer.health(true, StandInServer.part("kafka", true, "1 broker(s) reachable")
            + "," + StandInServer.part("victorialogs", true, "VictoriaLogs answers"));

    @TempDir
    Path dir;
    Vertx vertx;

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private DoctorRun doctor(String relay, String victoriaLogs) throws Exception {
        return DoctorRun.of(Fixtures.array(Fixtures.args(dir, Fixtures.skulkLog(dir, 1), "--relay", relay, "--victorialogs", victoriaLogs,
                "--skip", ONLY_CENTRAL)));
    }

    @Test
    void healthyRelayAndVictoriaLogsWithASynchronisedClockAreOk() throws Exception {
        try (StandInServer relay = new StandInServer(vertx, 200, READY); StandInServer vl = new StandInServer(vertx, 200, "OK")) {
            DoctorRun r = doctor(relay.url(), vl.url());
            assertThat(r.named("FAIL")).as(r.toString()).isEmpty();
            assertThat(r.status("relay.health")).isEqualTo("OK");
            assertThat(r.what("relay.health")).contains("ready", "victorialogs: VictoriaLogs answers");
            assertThat(r.status("victorialogs.health")).isEqualTo("OK");
            assertThat(r.status("clock")).isEqualTo("OK");
            assertThat(r.what("clock")).contains("within 2.0 s of the relay");
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void aRelayThatIsNotReadyFailsWithWhatItNames() throws Exception {
        String notReady = StandInServer.health(false, StandInServer.part("kafka", true, "ok")
                + "," + StandInServer.part("victorialogs", false, "VictoriaLogs at http://vl:9428 is not reachable"));
        try (StandInServer relay = new StandInServer(vertx, 503, notReady); StandInServer vl = new StandInServer(vertx, 503, "busy")) {
            DoctorRun r = doctor(relay.url(), vl.url());
            assertThat(r.status("relay.health")).isEqualTo("FAIL");
            assertThat(r.what("relay.health")).contains("not ready: victorialogs: VictoriaLogs at http://vl:9428 is not reachable")
                    .doesNotContain("kafka: ok");
            assertThat(r.fix("relay.health")).contains("start VictoriaLogs");
            assertThat(r.status("victorialogs.health")).isEqualTo("FAIL");
            assertThat(r.what("victorialogs.health")).contains("answered HTTP 503 \"busy\"");
            assertThat(r.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void aRelayThatIsDownFailsAndTheClockIsReadFromVictoriaLogs() throws Exception {
        try (StandInServer vl = new StandInServer(vertx, 200, "OK")) {
            String nowhere = "http://127.0.0.1:" + Fixtures.closedPort();
            DoctorRun r = doctor(nowhere, vl.url());
            assertThat(r.status("relay.health")).isEqualTo("FAIL");
            assertThat(r.what("relay.health")).contains("no relay answers at " + nowhere + "/health (connection refused)");
            assertThat(r.fix("relay.health")).contains("--relay http://CENTRAL:8688");
            assertThat(r.status("clock")).isEqualTo("OK");
            assertThat(r.what("clock")).contains("VictoriaLogs");
        }
        DoctorRun none = doctor("http://127.0.0.1:" + Fixtures.closedPort(), "http://127.0.0.1:" + Fixtures.closedPort());
        assertThat(none.status("victorialogs.health")).isEqualTo("FAIL");
        assertThat(none.status("clock")).isEqualTo("SKIP");
    }

    @Test
    void aClockFiveMinutesOffFailsAndTenSecondsOffWarns() throws Exception {
        try (StandInServer relay = new StandInServer(vertx, 200, READY); StandInServer vl = new StandInServer(vertx, 200, "OK")) {
            relay.skew = Duration.ofMinutes(5);
            DoctorRun r = doctor(relay.url(), vl.url());
            assertThat(r.status("clock")).isEqualTo("FAIL");
            assertThat(r.what("clock")).matches("this node's clock is (299|300)\\.\\d s behind the relay .*");
            assertThat(r.fix("clock")).contains("timedatectl set-ntp true", "retention");
            assertThat(r.exitCode()).isEqualTo(1);

            relay.skew = Duration.ofSeconds(-10);
            DoctorRun warn = doctor(relay.url(), vl.url());
            assertThat(warn.status("clock")).isEqualTo("WARN");
            assertThat(warn.what("clock")).matches("this node's clock is (9|10)\\.\\d s ahead of the relay .*");
            assertThat(warn.exitCode()).isZero();
        }
    }

    /** On a node, VictoriaLogs at its default address is not reachable: the relay's view of it is taken instead. */
    @Test
    void anUnreachableDefaultVictoriaLogsDefersToTheRelaysView() throws Exception {
        try (StandInServer relay = new StandInServer(vertx, 200, READY)) {
            DoctorContext ctx = new DoctorContext(new DoctorContext.Settings(dir, DoctorContext.Os.OTHER, null, "n/a", dir.resolve("skulk.env"),
                    null, HostPort.parse("127.0.0.1:" + Fixtures.closedPort()), URI.create(relay.url()),
                    URI.create("http://127.0.0.1:" + Fixtures.closedPort()), false, Duration.ofSeconds(2), Clock.systemUTC()));
            CheckResult r = new VictoriaLogsHealthCheck(ctx).run();
            assertThat(r.status()).isEqualTo(Status.SKIP);
            assertThat(r.what()).contains("the relay reports it up (VictoriaLogs answers)");

            relay.body = StandInServer.health(false, StandInServer.part("victorialogs", false, "down"));
            DoctorContext fresh = new DoctorContext(ctx.settings());
            assertThat(new VictoriaLogsHealthCheck(fresh).run().status()).isEqualTo(Status.FAIL);
            assertThat(List.of(new RelayHealthCheck(fresh).run().status())).containsExactly(Status.FAIL);
        }
    }
}
