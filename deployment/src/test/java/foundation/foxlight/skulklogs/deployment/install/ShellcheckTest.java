package foundation.foxlight.skulklogs.deployment.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installers pass ShellCheck (following {@code source} into {@code lib/common.sh}). */
class ShellcheckTest {
    @Test
    void theInstallersAreShellcheckClean(@TempDir Path tmp) {
        assumeTrue(onPath("shellcheck"), "shellcheck is not installed (Debian/Ubuntu: apt-get install shellcheck)");
        InstallerSandbox box = new InstallerSandbox(tmp, "Linux");
        Path dir = InstallerSandbox.INSTALL_DIR;
        Path lib = dir.resolve("lib/common.sh");
        List<String> command = List.of("shellcheck", "-x", "--severity=style",
                dir.resolve("install-launchd.sh").toString(), dir.resolve("install-systemd.sh").toString(), lib.toString());
        assertThat(lib).exists();

        InstallerSandbox.Result r = box.exec(command, Map.of());

        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }
}
