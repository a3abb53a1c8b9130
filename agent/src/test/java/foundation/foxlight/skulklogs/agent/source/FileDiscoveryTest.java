package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import foundation.foxlight.skulklogs.agent.config.FileSourceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscoveryTest {
    @TempDir
    Path dir;

    private void touch(String... names) throws Exception {
        for (String n : names) {
            Files.writeString(dir.resolve(n), "{}\n");
        }
    }

    /** Skulk's wrapper copies the last 5 MB aside as skulk.stdout.log.1 at every start: a glob must not ship them again. */
    @Test
    void aPatternLeavesOutRotatedCopies_byDefault() throws Exception {
        touch("skulk.stdout.log", "skulk.stdout.log.1", "worker.log", "worker.log.12", "old.log.2.gz", "notes.txt");
        List<String> include = List.of(dir.resolve("*").toString());
        assertThat(new FileDiscovery(include, FileSourceConfig.DEFAULT_EXCLUDE).discover())
                .containsExactly(dir.resolve("notes.txt"), dir.resolve("skulk.stdout.log"), dir.resolve("worker.log"));
        assertThat(new FileDiscovery(include, List.of()).discover()).hasSize(6);
    }

    @Test
    void aPathNamedAsItIsIsFollowedEvenIfAnExcludeMatchesIt() throws Exception {
        touch("skulk.stdout.log.1");
        Path named = dir.resolve("skulk.stdout.log.1");
        assertThat(new FileDiscovery(List.of(named.toString()), FileSourceConfig.DEFAULT_EXCLUDE).discover()).containsExactly(named);
    }

    @Test
    void excludeGlobsAreChecked() {
        assertThat(FileDiscovery.globProblem("*.bak")).isNull();
        assertThat(FileDiscovery.globProblem("logs/*.1")).contains("without '/'");
        assertThat(FileDiscovery.globProblem("*.[0-9")).contains("not a glob");
    }
}
