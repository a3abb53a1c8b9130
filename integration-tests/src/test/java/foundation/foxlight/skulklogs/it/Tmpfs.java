package foundation.foxlight.skulklogs.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test's directory: a real file system that really runs out of space ({@code ENOSPC}),
 * the way a laptop's disk fills up. Mounting needs root with {@code CAP_SYS_ADMIN}; where that is missing the test
 * is skipped and says so. {@link #close()} unmounts it (lazily, should a process still hold a file in it).
 */
final class Tmpfs implements AutoCloseable {
    private final Path mountPoint;
    private Path filler;
    private int inodeFillers;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code bytes} (a multiple of the page size) on {@code mountPoint}, creating it; or skips the test. */
    static Tmpfs mount(Path mountPoint, long bytes) throws IOException, InterruptedException {
        return mount(mountPoint, String.valueOf(bytes));
    }

    private static Tmpfs mount(Path mountPoint, String size) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", mountPoint.toString());
        assumeTrue(out == null, () -> "needs to mount a small tmpfs to fill a disk for real (root with CAP_SYS_ADMIN): " + out);
        return new Tmpfs(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    long usableBytes() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /** Mounts a tmpfs with room for {@code inodes} files and directories (its own root among them). */
    static Tmpfs mountWithInodes(Path mountPoint, long bytes, int inodes) throws IOException, InterruptedException {
        return mount(mountPoint, bytes + ",nr_inodes=" + inodes);
    }

    /** Takes every free inode with empty files: no file can be created any more, though bytes are free. */
    void fillInodes() throws IOException {
        Path dir = mountPoint.resolve("inodes");
        try {
            Files.createDirectories(dir);
            for (int i = 0; ; i++) {
                Files.createFile(dir.resolve("i" + i));
                inodeFillers++;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    /** Takes all space but about {@code leaveFree} bytes with a filler file (grown further on a second call). */
    void fillLeaving(long leaveFree) throws IOException {
        if (filler == null) {
            filler = mountPoint.resolve("filler");
        }
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (usableBytes() > leaveFree + block.length) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            if (usableBytes() > leaveFree + block.length) {
                throw e; // not for lack of space
            }
        }
    }

    /** Removes the fillers: the disk has space and inodes again. */
    void free() throws IOException {
        if (filler != null) {
            Files.deleteIfExists(filler);
        }
        for (int i = 0; i < inodeFillers; i++) {
            Files.delete(mountPoint.resolve("inodes").resolve("i" + i));
        }
        inodeFillers = 0;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (run("umount", mountPoint.toString()) != null) {
            run("umount", "-l", mountPoint.toString());
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return command[0] + " could not be started: " + e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return command[0] + " did not finish";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + " exited with " + p.exitValue() + ": " + out;
    }
}
