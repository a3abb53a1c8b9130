package foundation.foxlight.skulklogs.it.matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Keeps the service logs of a scenario (its temp directory is deleted afterwards) under {@code target/reliability/logs/<scenario>/}. */
public final class KeptLogs {
    private KeptLogs() {
    }

    /** Copies every {@code *.log} directly in {@code dir} (the processes' output); best effort. Returns where they went. */
    public static Path keep(Path dir, String scenario) {
        Path target = ScenarioReport.directory().resolve("logs").resolve(scenario);
        try (Stream<Path> files = Files.list(dir)) {
            Files.createDirectories(target);
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p)
                    && !p.getFileName().toString().contains("stdout")).toList()) {
                Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("could not keep the logs of " + scenario + ": " + e);
        }
        return target;
    }
}
