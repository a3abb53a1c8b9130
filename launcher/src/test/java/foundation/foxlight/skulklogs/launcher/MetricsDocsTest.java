package foundation.foxlight.skulklogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/metrics.md documents every metric the agent and relay register, and no metric they do not. */
class MetricsDocsTest {
    private static final Pattern NAME_IN_CODE = Pattern.compile("\"(skulk_(?:agent|relay)_[a-z_]+)\"");
    private static final Pattern NAME_IN_TABLE = Pattern.compile("(?m)^\\| `(skulk_[a-z_]+)` \\|");

    @Test
    void everyMetricIsDocumentedAndNothingElse() throws Exception {
        Set<String> inCode = new TreeSet<>();
        for (String module : new String[] {"agent", "relay", "common", "launcher"}) {
            try (Stream<Path> files = Files.walk(Path.of("..", module, "src", "main", "java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> collect(NAME_IN_CODE, read(f), inCode));
            }
        }
        Set<String> documented = new TreeSet<>();
        collect(NAME_IN_TABLE, Files.readString(Path.of("..", "docs", "metrics.md")), documented);

        assertThat(inCode).as("metric names found in the sources").hasSizeGreaterThan(20);
        assertThat(documented).as("metrics registered in code but missing from docs/metrics.md").containsAll(inCode);
        assertThat(inCode).as("metrics in docs/metrics.md that no code registers").containsAll(documented);
    }

    private static void collect(Pattern p, String text, Set<String> into) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
