package foundation.foxlight.skulklogs.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.launcher.SkulkLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The runner: deadline, exceptions, skipping, exit status, rendering. */
class DoctorTest {
    private static Check check(String name, Callable<CheckResult> run) {
        return new Check() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run() throws Exception {
                return run.call();
            }
        };
    }

    @Test
    void aCheckThatHangsFailsAtTheDeadlineAndTheOthersStillReport() {
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        DoctorReport report = new Doctor(Duration.ofMillis(500)).run(List.of(
                check("hangs", () -> {
                    never.await();
                    return CheckResult.ok("hangs", "unreachable");
                }),
                check("fine", () -> CheckResult.ok("fine", "all good"))), n -> false);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(report.result("hangs").status()).isEqualTo(Status.FAIL);
        assertThat(report.result("hangs").what()).contains("did not finish within");
        assertThat(report.result("fine").status()).isEqualTo(Status.OK);
        assertThat(report.exitCode()).isEqualTo(1);
    }

    @Test
    void aCheckThatThrowsIsAFailNamingTheException() {
        DoctorReport report = new Doctor(Duration.ofSeconds(5)).run(List.of(check("boom", () -> {
            throw new IllegalStateException("kaput");
        })), n -> false);
        assertThat(report.result("boom").status()).isEqualTo(Status.FAIL);
        assertThat(report.result("boom").what()).contains("IllegalStateException: kaput");
    }

    @Test
    void skippedChecksDoNotRunAndPrefixesSkipAFamily() {
        var skip = Checks.skipping(List.of("kafka", " relay.health", ""));
        assertThat(skip.test("kafka.topic")).isTrue();
        assertThat(skip.test("kafka")).isTrue();
        assertThat(skip.test("kafkaesque")).isFalse();
        assertThat(skip.test("relay.health")).isTrue();
        assertThat(skip.test("clock")).isFalse();
        DoctorReport report = new Doctor(Duration.ofSeconds(5)).run(List.of(check("kafka.topic", () -> {
            throw new AssertionError("must not run");
        })), skip);
        assertThat(report.result("kafka.topic").status()).isEqualTo(Status.SKIP);
        assertThat(report.exitCode()).isZero();
    }

    @Test
    void warningsDoNotFailAndTheTextIsAlignedWithTheFixAfterAnArrow() {
        DoctorReport report = new DoctorReport(List.of(CheckResult.ok("clock", "in sync"),
                CheckResult.warn("kafka.advertised", "broker advertises kafka:9092", "set X"),
                CheckResult.skip("buffer", "none")));
        assertThat(report.exitCode()).isZero();
        assertThat(report.text()).isEqualTo(String.join("\n",
                "OK    clock             in sync",
                "WARN  kafka.advertised  broker advertises kafka:9092 → set X",
                "SKIP  buffer            none",
                "no problem found: 0 FAIL, 1 WARN, 1 OK, 1 SKIP", ""));
        assertThat(report.json()).contains("\"ok\" : true", "\"status\" : \"WARN\"", "\"fix\" : \"set X\"", "\"fix\" : null");
    }

    @Test
    void badOptionsExit2WithAMessage() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new SkulkLogs());
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("doctor", "--relay", "ftp://central")).isEqualTo(2);
        assertThat(err.toString()).contains("--relay must be an http(s) URL");
        assertThat(cmd.execute("doctor", "--agent-http", "no-port")).isEqualTo(2);
        assertThat(cmd.execute("doctor", "--timeout", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--timeout must be at least 1 second");
    }
}
