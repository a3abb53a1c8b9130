package foundation.foxlight.skulklogs.deployment.install;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.deployment.install.InstallerSandbox.Installer;
import foundation.foxlight.skulklogs.deployment.install.InstallerSandbox.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code install-systemd.sh}: the user unit, the systemctl and loginctl calls. */
class InstallSystemdTest extends InstallerScriptTest {
    private static final String UNIT = "skulk-logs-agent.service";
    private static final String LINGER = "loginctl enable-linger " + InstallerSandbox.USER;

    InstallSystemdTest() {
        super(Installer.SYSTEMD);
    }

    @Test
    void installsAJournaldUserUnitEnablesItAndLinger() {
        Result r = install("--kafka", "kafka.lan:9092");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(box.calls()).containsExactly("systemctl --user daemon-reload", "systemctl --user enable --now " + UNIT, LINGER);
        Map<String, Map<String, List<String>>> u = parseUnit(serviceFile);
        assertThat(u.get("Service").get("ExecStart")).containsExactly(box.wrapper() + " agent --journald");
        assertThat(u.get("Service").get("Restart")).containsExactly("on-failure");
        assertThat(u.get("Service").get("SuccessExitStatus")).containsExactly("143");
        assertThat(u.get("Install").get("WantedBy")).containsExactly("default.target");
        assertThat(u.get("Service")).doesNotContainKeys("Environment", "EnvironmentFile");
        assertThat(box.lingerDir.resolve(InstallerSandbox.USER)).exists();
        assertThat(r.stdout()).contains("enabled and started " + UNIT, "enabled linger for " + InstallerSandbox.USER);
    }

    @Test
    void aChangedUnitIsReloadedAndRestartedNotEnabledAgain() {
        Result first = install("--kafka", "kafka.lan:9092");
        assertThat(first.exitCode()).as(first.output()).isZero();
        box.clearCalls();

        Result second = install("--node-id", "lab-7");

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(parseUnit(serviceFile).get("Service").get("ExecStart")).containsExactly(box.wrapper() + " agent --journald --node-id lab-7");
        assertThat(box.calls()).containsExactly("systemctl --user daemon-reload", "systemctl --user restart " + UNIT);
    }

    @Test
    void leavesLingerAloneWhenItIsOnAndWarnsWhenItCannotBeTurnedOn() {
        InstallerSandbox.write(box.lingerDir.resolve(InstallerSandbox.USER), "");
        Result on = install("--kafka", "kafka.lan:9092");
        assertThat(on.exitCode()).as(on.output()).isZero();
        assertThat(box.calls()).doesNotContain(LINGER).hasSize(2);

        InstallerSandbox other = new InstallerSandbox(tmp.resolve("other"), Installer.SYSTEMD)
                .respond("loginctl", "enable-linger " + InstallerSandbox.USER, 1, "");
        Result refused = other.run(Installer.SYSTEMD, "--kafka", "kafka.lan:9092", "--dist", dist.toString());
        assertThat(refused.exitCode()).as(refused.output()).isZero();
        assertThat(refused.stderr()).contains("could not enable linger", "sudo loginctl enable-linger " + InstallerSandbox.USER);
    }

    @Test
    void aFailedStartRemovesTheUnitSoThatTheNextRunTriesAgain() {
        box.respond("systemctl", "--user enable --now " + UNIT, 1, "");

        Result failed = install("--kafka", "kafka.lan:9092");

        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.stderr()).contains("systemctl --user enable --now " + UNIT + " failed", "journalctl --user -u " + UNIT);
        assertThat(serviceFile).doesNotExist();

        box.respond("systemctl", "--user enable --now " + UNIT, 0, "");
        box.clearCalls();
        Result retried = install();
        assertThat(retried.exitCode()).as(retried.output()).isZero();
        assertThat(box.calls()).containsExactly("systemctl --user daemon-reload", "systemctl --user enable --now " + UNIT, LINGER);
        assertThat(serviceFile).exists();
    }

    @Test
    void quotesAnExecStartPathThatSystemdWouldSplitOrExpand() {
        InstallerSandbox odd = new InstallerSandbox(tmp.resolve("with space%"), Installer.SYSTEMD);
        Result r = odd.run(Installer.SYSTEMD, "--kafka", "kafka.lan:9092", "--dist", dist.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        String expectedPath = odd.wrapper().toString().replace("%", "%%");
        assertThat(parseUnit(Installer.SYSTEMD.serviceFile(odd.home)).get("Service").get("ExecStart"))
                .containsExactly("\"" + expectedPath + "\" agent --journald");
    }

    /** Sections of a unit file, each key with its values in order (comments and blank lines dropped). */
    static Map<String, Map<String, List<String>>> parseUnit(Path file) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        for (String line : InstallerSandbox.read(file).lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = out.computeIfAbsent(line.substring(1, line.indexOf(']')), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(section).as("key outside a section: " + line).isNotNull();
            assertThat(eq).as("not key=value: " + line).isPositive();
            section.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return out;
    }
}
