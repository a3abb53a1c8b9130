package foundation.foxlight.skulklogs.launcher.doctor;

import foundation.foxlight.skulklogs.common.config.Bytes;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code disk}: free space where the agent keeps its state (the disk buffer must be able to grow to
 * {@code buffer.max_bytes}: FAIL when it cannot) and where the tailed log files live (WARN under 1 GiB: Skulk's log
 * grows until Skulk restarts).
 */
record DiskSpaceCheck(DoctorContext ctx, List<Path> logFiles) implements Check {
    static final long LOW_BYTES = 1L << 30;

    DiskSpaceCheck {
        logFiles = List.copyOf(logFiles);
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public CheckResult run() throws IOException {
        Findings f = new Findings(name());
        Path state = ctx.agent().stateDir();
        Path existing = existingAncestor(state);
        FileStore store = Files.getFileStore(existing);
        long free = store.getUsableSpace();
        long max = ctx.agent().buffer().maxBytes();
        long used = sizeOf(ctx.agent().buffer().directory());
        long room = Math.max(0, max - used);
        f.fact(Bytes.human(free) + " free for " + state);
        if (free < room) {
            f.fail("the disk buffer (" + Bytes.human(used) + " now) may need " + Bytes.human(room) + " more to reach buffer.max_bytes ("
                    + Bytes.human(max) + ") but only " + Bytes.human(free) + " are free",
                    "free space on that filesystem, lower buffer.max_bytes, or move state_dir");
        } else if (free < LOW_BYTES) {
            f.warn("less than " + Bytes.human(LOW_BYTES) + " free there", "free space on that filesystem");
        }
        Map<FileStore, Path> others = new LinkedHashMap<>();
        for (Path p : logFiles) {
            FileStore s = Files.getFileStore(existingAncestor(p));
            if (!s.equals(store)) {
                others.putIfAbsent(s, p);
            }
        }
        List<String> low = new ArrayList<>();
        others.forEach((s, p) -> {
            try {
                if (s.getUsableSpace() < LOW_BYTES) {
                    low.add(Bytes.human(s.getUsableSpace()) + " free for " + p);
                }
            } catch (IOException e) {
                low.add("free space for " + p + " unknown (" + e.getMessage() + ")");
            }
        });
        for (String l : low) {
            f.warn(l + ": Skulk's log grows until Skulk restarts (a 29 GB log once filled a disk)", "free space on that filesystem");
        }
        return f.result();
    }

    static Path existingAncestor(Path p) {
        Path a = p.toAbsolutePath();
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        return a == null ? Path.of("/") : a;
    }

    private static long sizeOf(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
