package foundation.foxlight.skulklogs.deployment.install;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.deployment.install.InstallerSandbox.Installer;
import foundation.foxlight.skulklogs.deployment.install.InstallerSandbox.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** {@code install-launchd.sh}: the LaunchAgent plist, the launchctl calls, and Skulk's Vector agent. */
class InstallLaunchdTest extends InstallerScriptTest {
    private static final String LABEL = "foundation.foxlight.skulk-logs";
    private static final String VECTOR = "foundation.foxlight.skulk-vector";
    private static final String DOMAIN = "gui/" + InstallerSandbox.UID;

    InstallLaunchdTest() {
        super(Installer.LAUNCHD);
    }

    /** Checks the launchctl calls so far: {@code first}, then the two that start the agent. */
    private void assertCallsThenStart(String... first) {
        List<String> expected = new ArrayList<>(List.of(first));
        expected.addAll(List.of("launchctl enable " + DOMAIN + "/" + LABEL, "launchctl bootstrap " + DOMAIN + " " + serviceFile));
        assertThat(box.calls()).isEqualTo(expected);
    }

    @Test
    void installsALaunchAgentThatRestartsOnCrashAndLogsBesideSkulk() throws Exception {
        Result r = install("--kafka", "kafka.lan:9092");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertCallsThenStart();
        Map<String, Object> p = parsePlist(serviceFile);
        assertThat(p.get("Label")).isEqualTo(LABEL);
        assertThat(p.get("ProgramArguments")).isEqualTo(List.of(box.wrapper().toString(), "agent"));
        assertThat(p.get("RunAtLoad")).isEqualTo(true);
        assertThat(p.get("KeepAlive")).isEqualTo(Map.of("SuccessfulExit", false));
        assertThat(p.get("ThrottleInterval")).isEqualTo(10L);
        Path logs = box.home.resolve(".skulk/logs");
        assertThat(p.get("StandardOutPath")).isEqualTo(logs.resolve("skulk-logs.stdout.log").toString());
        assertThat(p.get("StandardErrorPath")).isEqualTo(logs.resolve("skulk-logs.stderr.log").toString());
        assertThat(logs).isDirectory(); // launchd does not create it
        // The file the agent tails by default, and its copy, are neither of the agent's own logs.
        assertThat(List.of(p.get("StandardOutPath"), p.get("StandardErrorPath")))
                .doesNotContain(logs.resolve("skulk.stdout.log").toString(), logs.resolve("skulk.stdout.log.1").toString());
        assertThat(p).doesNotContainKey("EnvironmentVariables");
    }

    @Test
    void passesTheNodeIdAndReloadsTheAgentWhenItChanges() throws Exception {
        Result first = install("--kafka", "kafka.lan:9092", "--node-id", "mini-1");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(parsePlist(serviceFile).get("ProgramArguments")).isEqualTo(List.of(box.wrapper().toString(), "agent", "--node-id", "mini-1"));
        box.clearCalls();

        Result second = install("--node-id", "mini-2");

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(parsePlist(serviceFile).get("ProgramArguments")).isEqualTo(List.of(box.wrapper().toString(), "agent", "--node-id", "mini-2"));
        assertCallsThenStart("launchctl bootout " + DOMAIN + "/" + LABEL);
    }

    @Test
    void warnsButLeavesALoadedVectorAloneByDefault() {
        InstallerSandbox.write(box.home.resolve("Library/LaunchAgents/" + VECTOR + ".plist"), "<plist/>");
        box.respond("launchctl", "print " + DOMAIN + "/" + VECTOR, 0, "state = running");

        Result r = install("--kafka", "kafka.lan:9092");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stderr()).contains("Vector (" + VECTOR + ") is loaded too", "--replace-vector");
        assertCallsThenStart("launchctl print " + DOMAIN + "/" + VECTOR);
    }

    @Test
    void replaceVectorStopsAndDisablesItOnce() {
        InstallerSandbox.write(box.home.resolve("Library/LaunchAgents/" + VECTOR + ".plist"), "<plist/>");
        box.respond("launchctl", "print " + DOMAIN + "/" + VECTOR, 0, "state = running")
                .respond("launchctl", "print-disabled " + DOMAIN, 0, "disabled services = {\n\t\"com.example.other\" => disabled\n}\n");

        Result r = install("--kafka", "kafka.lan:9092", "--replace-vector");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertCallsThenStart(
                "launchctl print " + DOMAIN + "/" + VECTOR,
                "launchctl bootout " + DOMAIN + "/" + VECTOR,
                "launchctl print-disabled " + DOMAIN,
                "launchctl disable " + DOMAIN + "/" + VECTOR);
        assertThat(r.stdout()).contains("stopped Vector", "disabled Vector");

        // Now launchd reports Vector as not loaded and disabled: a second run only looks.
        box.respond("launchctl", "print " + DOMAIN + "/" + VECTOR, 113, "")
                .respond("launchctl", "print-disabled " + DOMAIN, 0, "disabled services = {\n\t\"" + VECTOR + "\" => disabled\n}\n");
        Map<String, String> files = box.snapshot();
        box.clearCalls();
        Result again = install("--replace-vector");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(box.calls()).containsExactly("launchctl print " + DOMAIN + "/" + VECTOR, "launchctl print-disabled " + DOMAIN);
        assertThat(box.snapshot()).isEqualTo(files);
    }

    @Test
    void aFailedBootstrapRemovesThePlistSoThatTheNextRunTriesAgain() {
        box.respond("launchctl", "bootstrap " + DOMAIN + " " + serviceFile, 5, "Bootstrap failed: 5: Input/output error");

        Result failed = install("--kafka", "kafka.lan:9092");

        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.stderr()).contains("launchctl bootstrap " + DOMAIN + " " + serviceFile + " failed");
        assertThat(serviceFile).doesNotExist();

        box.respond("launchctl", "bootstrap " + DOMAIN + " " + serviceFile, 0, "");
        box.clearCalls();
        Result retried = install();
        assertThat(retried.exitCode()).as(retried.output()).isZero();
        assertCallsThenStart();
        assertThat(serviceFile).exists();
    }

    @Test
    void refusesALogFileGlobThatWouldTailTheAgentsOwnOutput() {
        box.writeEnvFile("SKULK_LOGS_KAFKA=kafka.lan:9092\nSKULK_LOG_FILE=~/.skulk/logs/*.log\n");

        Result r = box.runRefused(Installer.LAUNCHD, "--dist", dist.toString());

        assertThat(r.stderr()).contains("matches the agent's own log", "skulk-logs.stdout.log");
        assertThat(box.calls()).isEmpty();
    }

    @Test
    void uninstallWithPurgeAlsoDeletesTheAgentsLogs() {
        Result installed = install("--kafka", "kafka.lan:9092");
        assertThat(installed.exitCode()).as(installed.output()).isZero();
        Path stderrLog = box.home.resolve(".skulk/logs/skulk-logs.stderr.log");
        Path skulkLog = box.home.resolve(".skulk/logs/skulk.stdout.log");
        InstallerSandbox.write(stderrLog, "agent output\n");
        InstallerSandbox.write(skulkLog, "{\"msg\":\"skulk\"}\n");

        Result kept = box.run(Installer.LAUNCHD, "--uninstall");
        assertThat(kept.exitCode()).as(kept.output()).isZero();
        assertThat(stderrLog).exists();

        Result purged = box.run(Installer.LAUNCHD, "--uninstall", "--purge");
        assertThat(purged.exitCode()).as(purged.output()).isZero();
        assertThat(stderrLog).doesNotExist();
        assertThat(skulkLog).exists();
    }

    /** The plist's top-level dict: string, integer (Long), true/false, array (List) and dict (Map) values. */
    static Map<String, Object> parsePlist(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // no network
        Element root = f.newDocumentBuilder().parse(Files.newInputStream(file)).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("plist");
        @SuppressWarnings("unchecked")
        Map<String, Object> dict = (Map<String, Object>) value(elements(root).get(0));
        return dict;
    }

    private static Object value(Element e) {
        return switch (e.getTagName()) {
            case "string" -> e.getTextContent();
            case "integer" -> Long.parseLong(e.getTextContent().trim());
            case "true" -> true;
            case "false" -> false;
            case "array" -> elements(e).stream().map(InstallLaunchdTest::value).toList();
            case "dict" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                List<Element> kv = elements(e);
                for (int i = 0; i < kv.size(); i += 2) {
                    assertThat(kv.get(i).getTagName()).isEqualTo("key");
                    assertThat(m.put(kv.get(i).getTextContent(), value(kv.get(i + 1)))).as("duplicate key").isNull();
                }
                yield m;
            }
            default -> throw new AssertionError("unexpected plist element " + e.getTagName());
        };
    }

    private static List<Element> elements(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                out.add(el);
            }
        }
        return out;
    }
}
