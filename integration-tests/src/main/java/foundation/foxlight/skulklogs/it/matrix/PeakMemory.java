package foundation.foxlight.skulklogs.it.matrix;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Peak memory of a process: its peak resident set size ({@code VmHWM} in {@code /proc/<pid>/status}, Linux).
 * Read it just before the process is stopped: afterwards {@code /proc/<pid>} is gone.
 */
public final class PeakMemory {
    /** The label of the test JVM's own row (it hosts in-process brokers, relays and agents, over the whole run so far). */
    public static final String TEST_JVM = "test JVM (in-process parts, whole run)";

    private PeakMemory() {
    }

    /**
     * Peaks per process name for one scenario row: several processes under one name (an agent restarted 20 times,
     * four agents) keep the highest. Not thread-safe.
     */
    public static final class Table {
        private final Map<String, Long> peaks = new LinkedHashMap<>();

        /** Keeps {@code bytes} under {@code name} if higher than what is there; ignores an unknown value. */
        public Table add(String name, OptionalLong bytes) {
            bytes.ifPresent(b -> peaks.merge(name, b, Math::max));
            return this;
        }

        /** Adds this JVM's peak under {@link #TEST_JVM}. */
        public Table addThisJvm() {
            peaks.merge(TEST_JVM, ofThisJvm(), Math::max);
            return this;
        }

        /** Name to peak bytes, in the order first added. */
        public Map<String, Long> asMap() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(peaks));
        }
    }

    /** Peak RSS in bytes of the process {@code pid}; empty when {@code /proc} does not say (not Linux, process gone). */
    public static OptionalLong ofProcess(long pid) {
        return vmHwm(Path.of("/proc", Long.toString(pid), "status"));
    }

    /**
     * Peak memory of this JVM: its peak RSS where {@code /proc} says, else the sum of the peak usage of its memory
     * pools (heap and non-heap, a lower bound).
     */
    public static long ofThisJvm() {
        OptionalLong rss = vmHwm(Path.of("/proc/self/status"));
        if (rss.isPresent()) {
            return rss.getAsLong();
        }
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static OptionalLong vmHwm(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    long kib = Long.parseLong(parts[0]);
                    return OptionalLong.of(kib * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // no procfs, or the process is gone
        }
    }
}
