package foundation.foxlight.skulklogs.it.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the reliability table ({@link ScenarioReport}) at the end of a test run and writes it to
 * {@code target/reliability/summary.md} (the module's pom prints that file after failsafe ran, because test output goes
 * to files). Registered through {@code META-INF/services}; starts each run with an empty table. Runs with no recorded
 * rows (unit tests) print and write nothing.
 */
public final class ReliabilitySummaryListener implements TestExecutionListener {
    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        ScenarioReport.reset();
        try {
            Files.deleteIfExists(summaryFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path summaryFile() {
        return ScenarioReport.directory().resolve("summary.md");
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        List<ScenarioReport.Row> rows = ScenarioReport.rows();
        if (rows.isEmpty()) {
            return;
        }
        String table = ScenarioReport.markdown(rows);
        Path summary = summaryFile();
        try {
            Files.writeString(summary, "# Reliability matrix" + (ScenarioReport.SOAK ? " (soak)" : "") + "\n\n" + table,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("\nReliability matrix" + (ScenarioReport.SOAK ? " (soak)" : "") + " (" + summary.toAbsolutePath() + "):\n" + table);
    }
}
