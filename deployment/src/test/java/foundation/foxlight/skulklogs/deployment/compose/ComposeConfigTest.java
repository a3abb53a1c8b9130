package foundation.foxlight.skulklogs.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code docker compose config} (needs the compose CLI, no engine) accepts both files, and refuses them
 * without GF_SECURITY_ADMIN_PASSWORD or KAFKA_ADVERTISED_HOST. Skipped where no Compose v2 CLI is installed.
 */
class ComposeConfigTest {
    /** The variables both compose files require, with values for the test. */
    private static final Map<String, String> REQUIRED = Map.of("GF_SECURITY_ADMIN_PASSWORD", "secret-for-test",
            "KAFKA_ADVERTISED_HOST", "logs.example.lan");
    private static List<String> compose;

    @BeforeAll
    static void findComposeV2() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.addAll(List.of("version", "--short"));
            Result r = run(version, Map.of(), null);
            // Compose v1 (Python, e.g. Debian's docker-compose 1.29) does not know the Compose Specification's top-level `name`
            if (r != null && r.exit == 0 && r.stdout.strip().matches("v?2\\..*|v?[3-9]\\..*")) {
                compose = candidate;
                return;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.scale-out.yaml"})
    void composeAcceptsTheFileWithTheRequiredVariables(String file, @TempDir Path tmp) throws IOException {
        Result r = config(file, REQUIRED, tmp);
        assertThat(r.exit).as(r.stderr).isZero();
        assertThat(r.stdout).contains("EXTERNAL://logs.example.lan:9092").contains("secret-for-test").doesNotContain("${");
    }

    @ParameterizedTest
    @CsvSource({"compose.yaml, GF_SECURITY_ADMIN_PASSWORD", "compose.yaml, KAFKA_ADVERTISED_HOST",
            "compose.scale-out.yaml, GF_SECURITY_ADMIN_PASSWORD", "compose.scale-out.yaml, KAFKA_ADVERTISED_HOST"})
    void composeRefusesToStartWithoutARequiredVariable(String file, String missing, @TempDir Path tmp) throws IOException {
        Map<String, String> env = new HashMap<>(REQUIRED);
        assertThat(env.remove(missing)).as("a required variable").isNotNull();
        Result r = config(file, env, tmp);
        assertThat(r.exit).isNotZero();
        assertThat(r.stderr).contains(missing);
    }

    private static Result config(String file, Map<String, String> env, Path tmp) throws IOException {
        assumeTrue(compose != null, "no Docker Compose v2 CLI here (`docker compose version` failed): compose files checked by parsing only");
        List<String> cmd = new ArrayList<>(compose);
        cmd.addAll(List.of("-f", ComposeFile.DEPLOYMENT_DIR.resolve(file).toString(), "config"));
        // an empty .env-free project directory, so no stray .env file or variable of the caller leaks in
        Result r = run(cmd, env, tmp);
        assertThat(r).as("compose ran").isNotNull();
        return r;
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    /** Runs a command with only PATH, HOME and {@code env} set; null when it cannot be started or hangs. */
    private static Result run(List<String> cmd, Map<String, String> env, Path workDir) {
        try {
            Path dir = workDir != null ? workDir : Files.createTempDirectory("compose");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
            pb.environment().putAll(env);
            Path out = dir.resolve("compose.out");
            Path err = dir.resolve("compose.err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            if (workDir == null) {
                Files.delete(dir);
            }
            return r;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
