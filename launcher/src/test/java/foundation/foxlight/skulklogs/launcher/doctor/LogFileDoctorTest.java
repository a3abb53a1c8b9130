package foundation.foxlight.skulklogs.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logfile} against real files: good JSON, empty, plain text, missing, stale with ANSI codes, a glob matching nothing. */
class LogFileDoctorTest {
    private static final String ONLY_FILES = "agent,kafka,relay,victorialogs,clock,buffer,disk,skulk.env";

    @TempDir
    Path dir;

    private DoctorRun doctor(Path file) throws Exception {
        return DoctorRun.of(Fixtures.array(Fixtures.args(dir, file, "--skip", ONLY_FILES)));
    }

    @Test
    void skulkJsonFileIsOk() throws Exception {
        Path f = Fixtures.skulkLog(dir, 30);
        DoctorRun r = doctor(f);
        assertThat(r.status("logfile")).as(r.toString()).isEqualTo("OK");
        assertThat(r.what("logfile")).contains(f.toString(), "last 20 line(s) are Skulk JSON");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void emptyFileFailsWithTheExternalLoggingFix() throws Exception {
        Path f = Files.createFile(dir.resolve("skulk.stdout.log"));
        DoctorRun r = doctor(f);
        assertThat(r.status("logfile")).isEqualTo("FAIL");
        assertThat(r.what("logfile")).contains("empty");
        assertThat(r.fix("logfile")).contains("SKULK_LOGGING_EXTERNAL=1");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void plainTextFileFailsWithTheExternalLoggingFix() throws Exception {
        Path f = dir.resolve("skulk.stdout.log");
        Files.writeString(f, "2026-05-04 12:34:56.789 | INFO     | skulk.worker.runner:run:42 - started\n".repeat(5));
        DoctorRun r = doctor(f);
        assertThat(r.status("logfile")).isEqualTo("FAIL");
        assertThat(r.what("logfile")).contains("last 5 line(s) are not JSON", "2026-05-04 12:34:56.789 | INFO");
        assertThat(r.fix("logfile")).contains("set SKULK_LOGGING_EXTERNAL=1 in", "skulk.env", "restart Skulk");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void missingFileFails() throws Exception {
        DoctorRun r = doctor(dir.resolve("nowhere.log"));
        assertThat(r.status("logfile")).isEqualTo("FAIL");
        assertThat(r.what("logfile")).contains("nowhere.log does not exist");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void staleFileWithAnsiCodesWarnsButDoesNotFail() throws Exception {
        Path f = dir.resolve("skulk.stdout.log");
        Files.writeString(f, Fixtures.skulkLine(1, "\\u001b[32mready\\u001b[0m") + Fixtures.skulkLine(2, "plain"));
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        DoctorRun r = doctor(f);
        assertThat(r.status("logfile")).isEqualTo("WARN");
        assertThat(r.what("logfile")).contains("written 3 h ago", "nothing written for 3 h", "1 of its last 2 lines contain ANSI escape codes");
        assertThat(r.fix("logfile")).contains("sources.strip_ansi: true", "is Skulk running?");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void anUnterminatedLastLineIsNotJudged() throws Exception {
        Path f = Fixtures.skulkLog(dir, 3);
        Files.writeString(f, "{\"ts\": \"2026-05-04T12:", java.nio.file.StandardOpenOption.APPEND);
        DoctorRun r = doctor(f);
        assertThat(r.status("logfile")).isEqualTo("OK");
        assertThat(r.what("logfile")).contains("last 3 line(s) are Skulk JSON");
    }

    @Test
    void aGlobMatchingNothingFails() throws Exception {
        DoctorRun r = doctor(dir.resolve("*.log"));
        assertThat(r.status("logfile")).isEqualTo("FAIL");
        assertThat(r.what("logfile")).contains("no file matches " + dir.resolve("*.log"));
    }
}
