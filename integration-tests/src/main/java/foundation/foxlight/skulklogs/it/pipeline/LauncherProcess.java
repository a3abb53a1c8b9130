package foundation.foxlight.skulklogs.it.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code skulk-logs} service (agent, relay) as a separate OS process, started through the real command line
 * (same class path as the tests), so that {@link #kill()} is a real SIGKILL. Output goes to {@code log}.
 */
public final class LauncherProcess implements AutoCloseable {
    private final Process process;

    private LauncherProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code skulk-logs <command>} with these arguments. */
    public static LauncherProcess start(String command, Path log, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("foundation.foxlight.skulklogs.launcher.SkulkLogs");
        cmd.add(command);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("SKULK_LOG_FILE");
        pb.environment().remove("SKULK_LOGS_KAFKA");
        pb.environment().put("HOME", log.getParent().toString()); // never read the developer's ~/.skulk/skulk.env
        return new LauncherProcess(pb.start());
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (a clean shutdown), and wait. Returns the exit code. */
    public int stop() throws InterruptedException {
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

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
