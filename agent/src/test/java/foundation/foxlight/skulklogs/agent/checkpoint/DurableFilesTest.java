package foundation.foxlight.skulklogs.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @TempDir
    Path dir;

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createsTheFileAndItsDirectories() throws IOException {
        Path target = dir.resolve("a/b/checkpoint.json");
        DurableFiles.replace(target, "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("hello");
        assertThat(names(target.getParent())).containsExactly("checkpoint.json");
    }

    @Test
    void replacesTheContentAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("checkpoint.json");
        DurableFiles.replace(target, "a much longer first version".getBytes(StandardCharsets.UTF_8));
        DurableFiles.replace(target, "v2".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("v2");
        assertThat(names(dir)).containsExactly("checkpoint.json");
    }

    @Test
    void aStaleTempFileFromACrashDoesNotLeakIntoTheNewContent() throws IOException {
        Path target = dir.resolve("checkpoint.json");
        Files.writeString(dir.resolve("checkpoint.json.tmp"), "stale content of an interrupted write, longer than the new one");
        DurableFiles.replace(target, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("new");
        assertThat(names(dir)).containsExactly("checkpoint.json");
    }

    @Test
    void aRelativeTargetWorks() throws IOException {
        Path target = dir.resolve("x.json");
        Path relative = Path.of("").toAbsolutePath().relativize(target);
        DurableFiles.replace(relative, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
    }

    @Test
    void emptyAndLargeContent() throws IOException {
        Path empty = dir.resolve("empty");
        DurableFiles.replace(empty, new byte[0]);
        assertThat(Files.size(empty)).isZero();
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Path large = dir.resolve("large");
        DurableFiles.replace(large, big);
        assertThat(Files.readAllBytes(large)).isEqualTo(big);
    }

    @Test
    void aFailedRenameKeepsTheTargetAndLeavesNoTempFile() throws IOException {
        // the target is a non-empty directory: the rename over it fails
        Path target = dir.resolve("checkpoint.json");
        Files.createDirectories(target.resolve("in-the-way"));
        assertThatThrownBy(() -> DurableFiles.replace(target, "x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(target.resolve("in-the-way")).isDirectory();
        assertThat(names(dir)).containsExactly("checkpoint.json");
    }

    @Test
    void aFailedWriteLeavesNoTempFile() throws IOException {
        // the temp file's name is taken by a directory: it cannot be opened for writing
        Path target = dir.resolve("checkpoint.json");
        Files.writeString(target, "old");
        Files.createDirectories(dir.resolve("checkpoint.json.tmp"));
        assertThatThrownBy(() -> DurableFiles.replace(target, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(target).hasContent("old");
        assertThat(names(dir)).containsExactly("checkpoint.json");
    }

    @Test
    void fsyncOfAMissingDirectoryIsIgnored() {
        assertThatCode(() -> DurableFiles.fsyncDirectory(dir.resolve("missing"))).doesNotThrowAnyException();
        assertThatCode(() -> DurableFiles.fsyncDirectory(dir)).doesNotThrowAnyException();
    }
}
