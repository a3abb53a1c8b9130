package foundation.foxlight.skulklogs.deployment.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import foundation.foxlight.skulklogs.deployment.compose.ComposeFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The skulk-logs image tarball (launcher/target/jib-image.tar, built by the launcher's {@code image} profile):
 * its manifest and config, its files, and — where chroot is permitted (root on Linux) — that its entrypoint
 * really runs {@code --version} and that its health probe answers, inside the extracted image filesystem.
 * Skipped with the build command when the tarball was not built.
 */
class ImageTarballTest {
    private static final String VERSION = System.getProperty("skulk.version");
    private static final Path TARBALL = Path.of(System.getProperty("skulk.image.tarball", "../launcher/target/jib-image.tar"));
    private static ImageTarball tarball;

    @BeforeAll
    static void openTarball() throws IOException {
        tarball = Files.isRegularFile(TARBALL) ? ImageTarball.open(TARBALL) : null;
    }

    /** The tarball; each test is skipped (with the build command) when it was not built. */
    private static ImageTarball image() {
        assumeTrue(tarball != null, "image tarball " + TARBALL + " not built: build it with"
                + " `./mvnw -B -pl launcher -am -Pimage package` (off by default; see deployment/README.md)");
        return tarball;
    }

    private static JsonNode config() {
        return image().config().path("config");
    }

    @Test
    void theTarballIsTaggedWithTheProjectVersion() {
        List<String> tags = new ArrayList<>();
        image().manifest().path("RepoTags").forEach(t -> tags.add(t.asText()));
        assertThat(tags).contains("skulk-logs:" + VERSION);
        assertThat(image().config().path("os").asText()).isEqualTo("linux");
    }

    @Test
    void theConfigRunsTheLauncherAsANonRootUserWithPortsAndLabels() {
        List<String> entrypoint = strings(config().path("Entrypoint"));
        assertThat(entrypoint).startsWith("/opt/java/openjdk/bin/java").endsWith("foundation.foxlight.skulklogs.launcher.SkulkLogs");
        assertThat(config().path("ExposedPorts").has("8687/tcp")).isTrue();
        assertThat(config().path("ExposedPorts").has("8688/tcp")).isTrue();
        assertThat(config().path("ExposedPorts").has("9429/tcp")).isTrue();
        String user = config().path("User").asText();
        assertThat(user).isNotBlank().doesNotStartWith("0").isNotEqualTo("root");
        JsonNode labels = config().path("Labels");
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(VERSION);
        assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("skulk-logs");
    }

    @Test
    void theLayersHoldTheLauncherItsLibrariesAndTheHealthProbe() throws IOException {
        Map<String, ImageTarball.Entry> files = image().files();
        assertThat(files).containsKeys("app/classpath/skulk-logs.jar", "app/jib-classpath-file", "opt/skulk-logs/probe/HealthProbe.class");
        assertThat(files.keySet().stream().filter(p -> p.startsWith("app/libs/") && p.endsWith(".jar")).count()).isGreaterThan(50);
        assertThat(files.get("var/lib/skulk-logs").mode()).as("state dir writable by the non-root user").isEqualTo(0777);
        if (config().path("Labels").path("org.opencontainers.image.base.name").asText().equals("scratch")) {
            // the self-contained runtime: Java, its shared libraries, the loader, a user database and /tmp
            assertThat(files.get("opt/java/openjdk/bin/java").mode() & 0111).as("java is executable").isNotZero();
            assertThat(files).containsKeys("opt/java/openjdk/lib/server/libjvm.so", "opt/java/openjdk/lib/security/cacerts",
                    "lib64/ld-linux-x86-64.so.2", "etc/passwd");
            assertThat(files.keySet()).anyMatch(p -> p.matches("(usr/)?lib/x86_64-linux-gnu/libc\\.so\\.6"));
            assertThat(files.get("tmp").mode()).isEqualTo(0777);
        }
    }

    @Test
    void theEntrypointPrintsTheVersionInsideTheImageFilesystem(@TempDir Path tmp) throws Exception {
        Path rootfs = extract(tmp);
        List<String> cmd = new ArrayList<>(strings(config().path("Entrypoint")));
        cmd.add("--version");
        Run r = chroot(rootfs, cmd);
        assertThat(r.exit).as(r.stderr).isZero();
        assertThat(r.stdout.strip()).isEqualTo("skulk-logs " + VERSION);
    }

    @Test
    void theComposeHealthCheckCommandProbesAnHttpEndpoint(@TempDir Path tmp) throws Exception {
        Path rootfs = extract(tmp);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/down", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> check = ComposeFile.relayHealthCheck("compose.yaml");
            assertThat(chroot(rootfs, withUrl(check, base + "/health")).exit).isZero();
            assertThat(chroot(rootfs, withUrl(check, base + "/down")).exit).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    private static List<String> withUrl(List<String> check, String url) {
        List<String> out = new ArrayList<>(check.subList(1, check.size() - 1));
        out.add(url);
        return out;
    }

    /** Extracts every layer into {@code tmp/rootfs} with GNU tar (modes kept); skips where that or chroot cannot work here. */
    private static Path extract(Path tmp) throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "chroot run needs Linux");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/chroot")) && Files.isExecutable(Path.of("/bin/tar")), "chroot run needs /usr/sbin/chroot and /bin/tar");
        assumeTrue("root".equals(System.getProperty("user.name")), "chroot run needs root (chroot(2) is privileged); image checked statically only");
        Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
        for (Path layer : image().copyLayers(tmp)) {
            Run r = run(List.of("/bin/tar", "-xzpf", layer.toString(), "-C", rootfs.toString(), "--numeric-owner"), Map.of());
            assertThat(r.exit).as(r.stderr).isZero();
            Files.delete(layer);
        }
        return rootfs;
    }

    /** Runs a command as the image's user in the extracted filesystem, with the image's environment. */
    private static Run chroot(Path rootfs, List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec=" + config().path("User").asText(), rootfs.toString()));
        cmd.addAll(command);
        Map<String, String> env = new java.util.HashMap<>();
        config().path("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        });
        // A container has /proc, through which the loader resolves java's $ORIGIN RPATH; a bare chroot has not.
        env.put("LD_LIBRARY_PATH", "/opt/java/openjdk/lib");
        Run r = run(cmd, env);
        assumeTrue(!r.stderr.contains("Operation not permitted"), "chroot not permitted here: " + r.stderr.strip());
        return r;
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(List<String> cmd, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile("image-run", ".out");
        Path err = Files.createTempFile("image-run", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
