package foundation.foxlight.skulklogs.it.pipeline;

import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code skulk-logs} service (agent, relay) as a separate OS process, started through the real command line
 * (same class path as the tests), so that {@link #kill()} is a real SIGKILL. Output goes to {@code log}.
 * Its peak RSS is read just before {@link #kill()} and {@link #stop()} ({@link #peakRssBytes()}).
 * {@link #startMain} starts a test's own entry point instead (e.g. the real agent with a test seam installed).
 */
public final class LauncherProcess implements AutoCloseable {
    private static final Pattern HTTP_ADDRESS = Pattern.compile("health and metrics at http://([^/\\s]+)/health");

    private final Process process;
    private final Path log;
    private volatile long lastPeakRss = -1;

    private LauncherProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code skulk-logs <command>} with these arguments. */
    public static LauncherProcess start(String command, Path log, List<String> args) throws IOException {
        List<String> commandAndArgs = new ArrayList<>();
        commandAndArgs.add(command);
        commandAndArgs.addAll(args);
        return startMain("foundation.foxlight.skulklogs.launcher.SkulkLogs", log, commandAndArgs);
    }

    /**
     * Starts {@code mainClass} (found on the tests' class path) with these arguments, in a JVM and environment set up
     * as for {@link #start}.
     */
    public static LauncherProcess startMain(String mainClass, Path log, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("SKULK_LOG_FILE");
        pb.environment().remove("SKULK_LOGS_KAFKA");
        pb.environment().put("HOME", log.getParent().toString()); // never read the developer's ~/.skulk/skulk.env
        return new LauncherProcess(pb.start(), log);
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() throws InterruptedException {
        readPeakRss();
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (a clean shutdown), and wait. Returns the exit code. */
    public int stop() throws InterruptedException {
        readPeakRss();
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Where its output goes (shared with other processes when they were given the same file). */
    public Path log() {
        return log;
    }

    /** Whether its log (see {@link #log()}) has a match of {@code pattern} so far. */
    public boolean logged(Pattern pattern) {
        try {
            return pattern.matcher(Files.readString(log, StandardCharsets.ISO_8859_1)).find();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The {@code /metrics} base URL ({@code http://host:port}) the service logged once its HTTP server listened
     * (start it with {@code --http 127.0.0.1:0} and a log file of its own); empty until then.
     */
    public Optional<String> httpBaseUrl() {
        try {
            Matcher m = HTTP_ADDRESS.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            String found = null;
            while (m.find()) {
                found = m.group(1);
            }
            return Optional.ofNullable(found).map(a -> "http://" + a);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The process's standard input (for {@code --stdin}); closing it is the writer going away. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /**
     * Peak resident set size in bytes ({@code VmHWM}): read now while the process runs, else the value read just
     * before it was killed or stopped; empty when unknown (no {@code /proc}).
     */
    public OptionalLong peakRssBytes() {
        if (process.isAlive()) {
            readPeakRss();
        }
        return lastPeakRss < 0 ? OptionalLong.empty() : OptionalLong.of(lastPeakRss);
    }

    private void readPeakRss() {
        PeakMemory.ofProcess(process.pid()).ifPresent(b -> lastPeakRss = Math.max(lastPeakRss, b));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
