package foundation.foxlight.skulklogs.deployment.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A temporary HOME and a PATH on which the service managers ({@code launchctl}, {@code systemctl},
 * {@code loginctl}) are recorder scripts: each call appends {@code "<command> <args>"} to one log and answers
 * as configured (exit 0 and no output unless told otherwise). {@code uname} and {@code id} are stubbed too,
 * so a test picks the OS and gets uid 501 / user {@code tester} on any host. Everything else (bash, java,
 * cp, awk, ...) is the real thing. Not thread-safe: one sandbox per test.
 */
final class InstallerSandbox {
    static final String USER = "tester";
    static final String UID = "501";
    static final Path INSTALL_DIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("install");

    /** The two installers and the OS each one expects. */
    enum Installer {
        LAUNCHD("install-launchd.sh", "Darwin"),
        SYSTEMD("install-systemd.sh", "Linux");

        final String script;
        final String os;

        Installer(String script, String os) {
            this.script = script;
            this.os = os;
        }

        /** The file that defines the service (plist or unit) under {@code home}. */
        Path serviceFile(Path home) {
            return this == LAUNCHD ? home.resolve("Library/LaunchAgents/foundation.foxlight.skulk-logs.plist")
                    : home.resolve(".config/systemd/user/skulk-logs-agent.service");
        }
    }

    /** What a run printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    final Path root;
    final Path home;
    final Path bin;
    final Path lingerDir;
    final Path callsLog;
    private final Map<String, List<String>> rules = new LinkedHashMap<>();
    private final Map<String, String> extraEnv = new LinkedHashMap<>();
    private String os;

    InstallerSandbox(Path root, String os) {
        this.root = root;
        this.home = root.resolve("home");
        this.bin = root.resolve("stub-bin");
        this.lingerDir = root.resolve("linger");
        this.callsLog = root.resolve("calls.log");
        this.os = os;
        try {
            Files.createDirectories(home);
            Files.createDirectories(bin);
            Files.createDirectories(lingerDir);
            Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // launchctl print answers "not loaded" unless a test says otherwise.
        rules.put("launchctl", new ArrayList<>(List.of("'print '*) echo 'Could not find service' >&2; exit 113 ;;")));
        rules.put("systemctl", new ArrayList<>());
        rules.put("loginctl", new ArrayList<>(List.of(
                "'enable-linger '*) : >" + shQuote(lingerDir.toString()) + "/\"$2\" ;;")));
    }

    InstallerSandbox(Path root, Installer installer) {
        this(root, installer.os);
    }

    /** Makes {@code command} answer the exact argument list {@code args} with this output and exit code (latest rule wins). */
    InstallerSandbox respond(String command, String args, int exitCode, String stdout) {
        rules.get(command).add(0, shQuote(args) + ") printf '%s' " + shQuote(stdout) + "; exit " + exitCode + " ;;");
        return this;
    }

    InstallerSandbox os(String os) {
        this.os = os;
        return this;
    }

    /** An extra environment variable for the installer (e.g. to unset JAVA_HOME, pass an empty value). */
    InstallerSandbox env(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    /** Runs {@code bash install/<script> args...} with HOME, PATH and the stubs of this sandbox. */
    Result run(Installer installer, String... args) {
        return run(installer.script, args);
    }

    /** Runs the installer with {@code --dist dist} followed by {@code args}. */
    Result run(Installer installer, Path dist, String... args) {
        List<String> all = new ArrayList<>(List.of("--dist", dist.toString()));
        all.addAll(List.of(args));
        return run(installer.script, all.toArray(String[]::new));
    }

    /**
     * Runs the installer with {@code args} and checks that it failed without changing a file under HOME (see
     * {@link #snapshot()}) or calling a service manager; returns the result for its message.
     */
    Result runRefused(Installer installer, String... args) {
        Map<String, String> before = snapshot();
        List<String> callsBefore = calls();
        Result r = run(installer, args);
        assertThat(r.exitCode()).as("exit code of a refused run: %s", r.output()).isNotZero();
        assertThat(snapshot()).as("files under HOME after a refused run").isEqualTo(before);
        assertThat(calls()).as("service-manager calls of a refused run").isEqualTo(callsBefore);
        return r;
    }

    Result run(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", INSTALL_DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        return exec(command, Map.of());
    }

    /** Runs a command with the sandbox's environment plus {@code env}. */
    Result exec(List<String> command, Map<String, String> env) {
        writeStubs();
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        Map<String, String> e = pb.environment();
        e.clear();
        e.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("HOME", home.toString());
        e.put("USER", USER);
        e.put("LANG", "C");
        e.put("TMPDIR", root.resolve("tmp").toString());
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("SKULK_LOGS_LINGER_DIR", lingerDir.toString());
        e.putAll(extraEnv);
        e.putAll(env);
        e.values().removeIf(String::isEmpty);
        Path out = root.resolve("stdout.txt");
        Path err = root.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e1) {
            throw new UncheckedIOException(e1);
        } catch (InterruptedException e2) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e2);
        }
    }

    /** The service-manager calls made so far, in order. */
    List<String> calls() {
        try {
            return Files.exists(callsLog) ? Files.readAllLines(callsLog) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void clearCalls() {
        try {
            Files.deleteIfExists(callsLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every file and directory under HOME with what would show a rewrite: bytes (SHA-256), mtime (ns),
     * inode (the installers replace a file by renaming a new one over it) and permissions.
     */
    Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String content = Files.isRegularFile(p) ? sha256(Files.readAllBytes(p)) : "dir";
                out.put(home.relativize(p).toString(), content
                        + " mtime=" + Files.getLastModifiedTime(p).toInstant()
                        + " ino=" + Files.getAttribute(p, "unix:ino")
                        + " mode=" + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    Path envFile() {
        return home.resolve(".skulk/skulk.env");
    }

    void writeEnvFile(String content) {
        write(envFile(), content);
    }

    Path prefix() {
        return home.resolve(".skulk/skulk-logs");
    }

    Path wrapper() {
        return prefix().resolve("bin/skulk-logs");
    }

    /**
     * A product directory as the build leaves it: {@code skulk-logs.jar} (runnable: its main class is
     * {@link WrapperProbe}; {@code version} goes into its manifest) and {@code lib/<name>} for each lib
     * (its content depends on the name only: a new library version has a new name, as Maven's jars do).
     */
    Path dist(String name, String version, String... libs) {
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir.resolve("lib"));
            Manifest m = new Manifest();
            m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, WrapperProbe.class.getName());
            m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
            String entryName = WrapperProbe.class.getName().replace('.', '/') + ".class";
            try (OutputStream os = Files.newOutputStream(dir.resolve("skulk-logs.jar"));
                 JarOutputStream jar = new JarOutputStream(os, m);
                 InputStream in = WrapperProbe.class.getResourceAsStream("/" + entryName)) {
                assertThat(in).as("compiled " + entryName).isNotNull();
                JarEntry entry = new JarEntry(entryName);
                entry.setTime(0);
                jar.putNextEntry(entry);
                in.transferTo(jar);
                jar.closeEntry();
            }
            for (String lib : libs) {
                Files.writeString(dir.resolve("lib").resolve(lib), "library " + lib); // versioned by name, as Maven's are
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String shQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void writeStubs() {
        for (Map.Entry<String, List<String>> r : rules.entrySet()) {
            StringBuilder sb = new StringBuilder("#!/bin/sh\n")
                    .append("printf '%s\\n' \"").append(r.getKey()).append(" $*\" >>").append(shQuote(callsLog.toString())).append('\n')
                    .append("case \"$*\" in\n");
            r.getValue().forEach(rule -> sb.append("  ").append(rule).append('\n'));
            sb.append("esac\nexit 0\n");
            executable(r.getKey(), sb.toString());
        }
        executable("uname", "#!/bin/sh\necho " + os + "\n");
        executable("id", "#!/bin/sh\ncase \"$1\" in -u) echo " + UID + " ;; -un) echo " + USER + " ;; *) exit 1 ;; esac\n");
    }

    /** Writes an executable script into the stub directory (first on PATH). */
    Path executable(String name, String content) {
        return executable(bin.resolve(name), content);
    }

    static Path executable(Path p, String content) {
        write(p, content);
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
