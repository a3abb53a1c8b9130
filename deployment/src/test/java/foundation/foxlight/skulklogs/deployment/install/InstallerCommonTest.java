package foundation.foxlight.skulklogs.deployment.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import foundation.foxlight.skulklogs.deployment.install.InstallerSandbox.Installer;
import foundation.foxlight.skulklogs.deployment.install.InstallerSandbox.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What both node installers do alike: the product, the wrapper, skulk.env, idempotency, uninstall. */
class InstallerCommonTest {
    private static final String LABEL = "foundation.foxlight.skulk-logs";
    private static final String UNIT = "skulk-logs-agent.service";
    private static final String OTHER_ENV = """
            # Skulk's settings
            SKULK_LOGGING_EXTERNAL=1
            SKULK_LOGGING_INGEST_URL='http://logs.lan:9428/insert/jsonline?_stream_fields=node_id,component&token=s3cret'
            """;

    @TempDir
    Path tmp;

    private static List<String> restartCalls(Installer installer) {
        return installer == Installer.LAUNCHD ? List.of("launchctl kickstart -k gui/501/" + LABEL)
                : List.of("systemctl --user restart " + UNIT);
    }

    private static List<String> uninstallCalls(Installer installer) {
        return installer == Installer.LAUNCHD ? List.of("launchctl bootout gui/501/" + LABEL)
                : List.of("systemctl --user disable --now " + UNIT, "systemctl --user daemon-reload");
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void aSecondRunChangesNoFileAndCallsNoServiceManager(Installer installer) {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        Path dist = box.dist("dist", "1.0", "dep-a-1.jar", "dep-b-1.jar");
        box.writeEnvFile(OTHER_ENV);
        Result first = box.run(installer, "--kafka", "kafka.lan:9092", "--dist", dist.toString());
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(box.calls()).isNotEmpty();
        Map<String, String> installed = box.snapshot();

        for (List<String> args : List.of(List.of("--kafka", "kafka.lan:9092", "--dist", dist.toString()),
                List.of("--dist", dist.toString()))) {
            box.clearCalls();
            Result again = box.run(installer, args.toArray(String[]::new));
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.stdout()).contains("nothing to change");
            assertThat(box.calls()).as("service-manager calls of a run that changes nothing").isEmpty();
            assertThat(box.snapshot()).as("files under HOME (bytes, mtime, inode, mode)").isEqualTo(installed);
        }
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void installsTheProductAndTheWrapper(Installer installer) throws IOException {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        Path dist = box.dist("dist", "1.0", "dep-a-1.jar", "dep-b-1.jar");
        Result r = box.run(installer, "--kafka", "kafka.lan:9092", "--dist", dist.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();

        assertThat(box.prefix().resolve("skulk-logs.jar")).hasSameBinaryContentAs(dist.resolve("skulk-logs.jar"));
        for (String lib : List.of("dep-a-1.jar", "dep-b-1.jar")) {
            assertThat(box.prefix().resolve("lib").resolve(lib)).hasSameBinaryContentAs(dist.resolve("lib").resolve(lib));
        }
        assertThat(Files.isExecutable(box.wrapper())).isTrue();
        assertThat(InstallerSandbox.read(box.wrapper())).contains(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(r.stdout()).contains("created " + box.wrapper(), "created " + box.prefix().resolve("skulk-logs.jar"),
                box.prefix().resolve("lib") + "/: 2 created, 0 updated, 0 removed", "created " + installer.serviceFile(box.home));
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void theWrapperStartsTheJarWithTheAgentFlagsOfBinSkulkLogs(Installer installer) {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        Result r = box.run(installer, "--kafka", "kafka.lan:9092", "--dist", box.dist("dist", "1.0", "dep-a-1.jar").toString());
        assertThat(r.exitCode()).as(r.output()).isZero();

        Result run = box.exec(List.of("sh", box.wrapper().toString(), "agent", "--node-id", "mini 1"), Map.of());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(lines(run.stdout(), "arg ")).containsExactly("agent", "--node-id", "mini 1");
        assertThat(lines(run.stdout(), "jvm ")).containsSubsequence(agentFlagsOfBinSkulkLogs());
        assertThat(lines(run.stdout(), "env ")).containsExactly("MALLOC_ARENA_MAX=2");

        Result overridden = box.exec(List.of("sh", box.wrapper().toString(), "agent"), Map.of("SKULK_LOGS_JAVA_OPTS", "-Xmx64m -Xss1m"));
        assertThat(overridden.exitCode()).as(overridden.output()).isZero();
        assertThat(lines(overridden.stdout(), "jvm ")).contains("-Xmx64m", "-Xss1m").doesNotContain("-Xms16m");
    }

    /** The agent's JVM flags as bin/skulk-logs has them (its default branch), so the two cannot drift apart. */
    private static List<String> agentFlagsOfBinSkulkLogs() {
        String launcher = InstallerSandbox.read(InstallerSandbox.INSTALL_DIR.resolve("../../bin/skulk-logs").normalize());
        Matcher m = Pattern.compile("\\*\\)\\s+DEFAULT_OPTS=\"([^\"]+)\"").matcher(launcher);
        assertThat(m.find()).as("agent flags in bin/skulk-logs").isTrue();
        return Arrays.asList(m.group(1).split(" "));
    }

    private static List<String> lines(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void replacesOnlyTheKafkaKeyInSkulkEnvAndMakesItPrivate(Installer installer) throws IOException {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        box.writeEnvFile("""
                # Skulk's settings
                SKULK_LOGGING_EXTERNAL=1
                export SKULK_LOGS_KAFKA=old-host:9092   # the old one
                SKULK_LOGGING_INGEST_URL='http://logs.lan:9428/insert/jsonline?token=s3cret'

                SKULK_LOGS_KAFKA=older-host:9092
                SKULK_VECTOR_DATA_DIR=~/.skulk/vector""");
        Files.setPosixFilePermissions(box.envFile(), PosixFilePermissions.fromString("rw-r--r--"));

        Result r = box.run(installer, "--kafka", "new-host:9093", "--dist", box.dist("dist", "1.0").toString());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(box.envFile()).hasContent("""
                # Skulk's settings
                SKULK_LOGGING_EXTERNAL=1
                export SKULK_LOGS_KAFKA=new-host:9093
                SKULK_LOGGING_INGEST_URL='http://logs.lan:9428/insert/jsonline?token=s3cret'

                SKULK_VECTOR_DATA_DIR=~/.skulk/vector
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(box.envFile()))).isEqualTo("rw-------");
        // The service definition copies nothing from the env file: the agent reads it itself.
        assertThat(InstallerSandbox.read(installer.serviceFile(box.home))).doesNotContain("new-host", "s3cret", "SKULK_LOGS_KAFKA=", "Environment");
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void addsTheKafkaKeyAfterTheOtherLinesAndCreatesAMissingEnvFile(Installer installer) throws IOException {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        Path dist = box.dist("dist", "1.0");
        box.writeEnvFile(OTHER_ENV);
        Result r = box.run(installer, "--kafka", "a.lan:9092,b.lan:9092", "--dist", dist.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(box.envFile()).hasContent(OTHER_ENV + "SKULK_LOGS_KAFKA=a.lan:9092,b.lan:9092\n");

        InstallerSandbox fresh = new InstallerSandbox(tmp.resolve("fresh"), installer);
        Result created = fresh.run(installer, "--kafka", "[::1]:9092", "--dist", dist.toString());
        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(fresh.envFile()).hasContent("SKULK_LOGS_KAFKA=[::1]:9092\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.envFile()))).isEqualTo("rw-------");
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void takesTheKafkaAddressFromSkulkEnvWithoutRewritingIt(Installer installer) throws IOException {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        box.writeEnvFile(OTHER_ENV + "export SKULK_LOGS_KAFKA=\"kafka.lan:9092\"  # set by hand\n");
        Files.setPosixFilePermissions(box.envFile(), PosixFilePermissions.fromString("rw-------"));
        Map<String, String> before = box.snapshot();

        Result r = box.run(installer, "--dist", box.dist("dist", "1.0").toString());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).contains("Kafka address from " + box.envFile() + ": kafka.lan:9092");
        String env = ".skulk/skulk.env";
        assertThat(box.snapshot().get(env)).as("skulk.env untouched").isEqualTo(before.get(env));
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void failsWithoutAKafkaAddressAndWritesNothing(Installer installer) {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        Path dist = box.dist("dist", "1.0", "dep-a-1.jar");
        assertThat(box.runRefused(installer, "--dist", dist.toString()).stderr())
                .contains("no Kafka address", "--kafka HOST:PORT", "SKULK_LOGS_KAFKA");

        box.writeEnvFile(OTHER_ENV);
        assertThat(box.runRefused(installer, "--dist", dist.toString()).stderr()).contains("no Kafka address");
        assertThat(box.runRefused(installer, "--kafka", "kafka.lan", "--dist", dist.toString()).stderr())
                .contains("--kafka must be HOST:PORT", "kafka.lan");
        assertThat(box.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void failsClearlyOnAMissingDistOrABadOption(Installer installer) {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        assertThat(box.runRefused(installer, "--kafka", "kafka.lan:9092", "--dist", tmp.resolve("nowhere").toString()).stderr())
                .contains("skulk-logs.jar not found");
        assertThat(box.runRefused(installer, "--kafka", "kafka.lan:9092", "--bogus").stderr()).contains("unknown option '--bogus'");
        assertThat(box.runRefused(installer, "--purge").stderr()).contains("--purge goes with --uninstall");
        assertThat(box.runRefused(installer, "--kafka", "kafka.lan:9092", "--node-id", "a b").stderr()).contains("--node-id must be");
        assertThat(box.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void failsWhenNoJava17IsFoundAndWritesNothing(Installer installer) {
        // On macOS the launchd installer would also find a real JDK through java_home or Homebrew.
        assumeTrue(Stream.of("/usr/libexec/java_home", "/opt/homebrew/opt", "/usr/local/opt").noneMatch(p -> Files.exists(Path.of(p))),
                "this host has a JDK location the installer searches on macOS; the test needs none");
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        String java11 = "#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n";
        Path oldHome = tmp.resolve("jdk11");
        InstallerSandbox.executable(oldHome.resolve("bin/java"), java11);
        box.executable("java", java11);
        box.env("JAVA_HOME", oldHome.toString());

        Result r = box.runRefused(installer, "--kafka", "kafka.lan:9092", "--dist", box.dist("dist", "1.0").toString());

        assertThat(r.stderr()).contains("need Java 17 or newer", oldHome.resolve("bin/java") + " (11)", "--java PATH");
        assertThat(box.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void refusesToRunOnTheOtherOs(Installer installer) {
        Installer other = installer == Installer.LAUNCHD ? Installer.SYSTEMD : Installer.LAUNCHD;
        InstallerSandbox box = new InstallerSandbox(tmp, other.os);

        Result r = box.runRefused(installer, "--kafka", "kafka.lan:9092", "--dist", box.dist("dist", "1.0", "dep-a-1.jar").toString());

        assertThat(r.stderr()).contains(installer == Installer.LAUNCHD ? "for macOS" : "for Linux", other.script);
        assertThat(box.home).isEmptyDirectory();
        assertThat(box.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void aNewVersionReplacesTheProductAndRestartsTheAgentOnly(Installer installer) {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        Result first = box.run(installer, "--kafka", "kafka.lan:9092", "--dist", box.dist("v1", "1.0", "dep-a-1.jar", "dep-b-1.jar").toString());
        assertThat(first.exitCode()).as(first.output()).isZero();
        Map<String, String> v1 = box.snapshot();
        box.clearCalls();

        Path v2 = box.dist("v2", "2.0", "dep-a-1.jar", "dep-b-2.jar");
        Result update = box.run(installer, "--dist", v2.toString());

        assertThat(update.exitCode()).as(update.output()).isZero();
        assertThat(box.calls()).isEqualTo(restartCalls(installer));
        assertThat(box.prefix().resolve("skulk-logs.jar")).hasSameBinaryContentAs(v2.resolve("skulk-logs.jar"));
        assertThat(box.prefix().resolve("lib/dep-b-2.jar")).hasSameBinaryContentAs(v2.resolve("lib/dep-b-2.jar"));
        assertThat(box.prefix().resolve("lib/dep-b-1.jar")).doesNotExist();
        assertThat(update.stdout()).contains(box.prefix().resolve("lib") + "/: 1 created, 0 updated, 1 removed");
        Map<String, String> v2Files = box.snapshot();
        for (String unchanged : List.of(".skulk/skulk-logs/lib/dep-a-1.jar", ".skulk/skulk.env",
                box.home.relativize(installer.serviceFile(box.home)).toString())) {
            assertThat(v2Files.get(unchanged)).as(unchanged).isNotNull().isEqualTo(v1.get(unchanged));
        }
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void uninstallRemovesTheAgentAndKeepsItsStateUnlessPurged(Installer installer) throws IOException {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        box.writeEnvFile(OTHER_ENV);
        Result installed = box.run(installer, "--kafka", "kafka.lan:9092", "--dist", box.dist("dist", "1.0", "dep-a-1.jar").toString());
        assertThat(installed.exitCode()).as(installed.output()).isZero();
        Path checkpoints = box.prefix().resolve("file-checkpoints.json");
        Path segment = box.prefix().resolve("buffer/segment-0");
        InstallerSandbox.write(checkpoints, "{}");
        InstallerSandbox.write(segment, "data");
        String env = InstallerSandbox.read(box.envFile());
        box.clearCalls();

        Result r = box.run(installer, "--uninstall");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(box.calls()).isEqualTo(uninstallCalls(installer));
        assertThat(installer.serviceFile(box.home)).doesNotExist();
        assertThat(box.prefix().resolve("skulk-logs.jar")).doesNotExist();
        assertThat(box.prefix().resolve("lib")).doesNotExist();
        assertThat(box.prefix().resolve("bin")).doesNotExist();
        assertThat(checkpoints).exists();
        assertThat(segment).exists();
        assertThat(box.envFile()).hasContent(env);
        assertThat(r.stdout()).contains("kept the state directory " + box.prefix());

        box.clearCalls();
        Result again = box.run(installer, "--uninstall");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.stdout()).contains("nothing to uninstall");
        assertThat(box.calls()).isEmpty();

        Result purge = box.run(installer, "--uninstall", "--purge");
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        assertThat(box.prefix()).doesNotExist();
        assertThat(box.envFile()).hasContent(env);
    }

    @ParameterizedTest
    @EnumSource(Installer.class)
    void purgeDeletesTheStateWhereTheAgentKeepsIt(Installer installer) {
        InstallerSandbox box = new InstallerSandbox(tmp, installer);
        box.writeEnvFile("SKULK_VECTOR_DATA_DIR=~/vector-data\n");
        Path state = box.home.resolve("vector-data/skulk-logs/file-checkpoints.json");
        Path vectorOwn = box.home.resolve("vector-data/vector.db");
        InstallerSandbox.write(state, "{}");
        InstallerSandbox.write(vectorOwn, "vector");

        Result r = box.run(installer, "--uninstall", "--purge");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(state.getParent()).doesNotExist();
        assertThat(vectorOwn).exists();
        assertThat(r.stdout()).contains("removed the state directory " + state.getParent());
    }
}
