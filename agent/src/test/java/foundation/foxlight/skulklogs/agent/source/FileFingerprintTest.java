package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFingerprintTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static FileFingerprint of(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            return FileFingerprint.of(ch);
        }
    }

    private static boolean matches(FileFingerprint fp, Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            return fp.matches(ch);
        }
    }

    private static byte[] lines(String prefix, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"ts\": \"2026-05-04T12:34:56.").append(String.format("%03d", i)).append("Z\", \"msg\": \"")
                    .append(prefix).append(i).append("\"}\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theChecksumCoversTheFirstBytesOnly() throws IOException {
        byte[] content = lines("a", 50);
        assertThat(content.length).isGreaterThan(FileFingerprint.MAX_BYTES);
        FileFingerprint fp = of(write("f", content));
        CRC32C crc = new CRC32C();
        crc.update(content, 0, FileFingerprint.MAX_BYTES);
        assertThat(fp).isEqualTo(new FileFingerprint(FileFingerprint.MAX_BYTES, crc.getValue()));
        assertThat(fp.isComplete()).isTrue();
    }

    @Test
    void aShortFileIsFingerprintedOverWhatItHas() throws IOException {
        FileFingerprint fp = of(write("f", "hello\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(fp.length()).isEqualTo(6);
        assertThat(fp.isComplete()).isFalse();
    }

    @Test
    void anEmptyFile() throws IOException {
        FileFingerprint fp = of(write("empty", new byte[0]));
        assertThat(fp.length()).isZero();
        assertThat(matches(fp, write("other", "x".getBytes(StandardCharsets.UTF_8))))
                .as("nothing to compare: an empty fingerprint matches every file").isTrue();
    }

    @Test
    void aGrowingFileKeepsMatching() throws IOException {
        Path f = write("f", "short line\n".getBytes(StandardCharsets.UTF_8));
        FileFingerprint fp = of(f);
        Files.write(f, lines("b", 30), StandardOpenOption.APPEND);
        assertThat(matches(fp, f)).isTrue();
        FileFingerprint full = of(f);
        Files.write(f, lines("c", 30), StandardOpenOption.APPEND);
        assertThat(matches(full, f)).isTrue();
    }

    @Test
    void aRenamedFileKeepsItsIdentity() throws IOException {
        Path f = write("skulk.stdout.log", lines("a", 20));
        FileFingerprint fp = of(f);
        Path moved = Files.move(f, dir.resolve("skulk.stdout.log.1"));
        assertThat(matches(fp, moved)).isTrue();
    }

    @Test
    void otherContentDoesNotMatch() throws IOException {
        FileFingerprint fp = of(write("a", lines("a", 20)));
        assertThat(matches(fp, write("b", lines("b", 20)))).isFalse();
        byte[] oneByteChanged = lines("a", 20);
        oneByteChanged[FileFingerprint.MAX_BYTES - 1] ^= 1;
        assertThat(matches(fp, write("c", oneByteChanged))).isFalse();
        byte[] changedAfterPrefix = lines("a", 20);
        changedAfterPrefix[FileFingerprint.MAX_BYTES] ^= 1;
        assertThat(matches(fp, write("d", changedAfterPrefix))).as("only the first bytes count").isTrue();
    }

    @Test
    void aShorterFileDoesNotMatch() throws IOException {
        byte[] content = lines("a", 20);
        FileFingerprint fp = of(write("a", content));
        assertThat(matches(fp, write("b", Arrays.copyOf(content, FileFingerprint.MAX_BYTES - 1)))).isFalse();
        assertThat(matches(fp, write("empty", new byte[0]))).isFalse();
    }

    @Test
    void truncatedAndRewrittenWithDifferentContentDoesNotMatch() throws IOException {
        Path f = write("f", lines("old", 20));
        FileFingerprint fp = of(f);
        Files.write(f, lines("new", 20), StandardOpenOption.TRUNCATE_EXISTING);
        assertThat(matches(fp, f)).isFalse();
    }
}
