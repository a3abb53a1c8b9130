package foundation.foxlight.skulklogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneCommandTest {
    @TempDir
    Path dir;

    @Test
    void createsTheMissingDirectoryOfAPlainFollowedFileOnly() throws Exception {
        Path plain = dir.resolve("home/.skulk/logs/skulk.stdout.log");
        Path glob = dir.resolve("other/*.log");
        Path existing = dir.resolve("there.log");

        List<Path> created = StandaloneCommand.createMissingDirectories(List.of(plain.toString(), glob.toString(), existing.toString()));

        assertThat(created).containsExactly(plain.getParent());
        assertThat(plain.getParent()).isDirectory();
        assertThat(dir.resolve("other")).doesNotExist();
        assertThat(Files.exists(plain)).as("the file itself is Skulk's to create").isFalse();
        assertThat(StandaloneCommand.createMissingDirectories(List.of(plain.toString()))).isEmpty();
    }
}
