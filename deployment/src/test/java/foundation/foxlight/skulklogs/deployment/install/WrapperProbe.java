package foundation.foxlight.skulklogs.deployment.install;

import java.lang.management.ManagementFactory;

/**
 * Stands in for the skulk-logs launcher in the fake product the installer tests install: prints the
 * arguments it got, the JVM's flags and the malloc arena limit, one per line, so a test can check what the wrapper starts.
 */
public final class WrapperProbe {
    private WrapperProbe() {
    }

    public static void main(String[] args) {
        for (String a : args) {
            System.out.println("arg " + a);
        }
        for (String f : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            System.out.println("jvm " + f);
        }
        System.out.println("env MALLOC_ARENA_MAX=" + System.getenv("MALLOC_ARENA_MAX"));
    }
}
