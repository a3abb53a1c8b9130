package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skulk's wrapper, at every Skulk start: copy the last 5 MB of {@code skulk.stdout.log} to
 * {@code skulk.stdout.log.1} (cut by bytes, may start mid-line), then truncate {@code skulk.stdout.log} in
 * place. Lines written after the tailer's last read and before the truncation must still arrive, exactly
 * once, and the copy must not be shipped again.
 */
class SkulkRestartTruncationTest {
    @TempDir
    Path dir;

    private static final int COPY_BYTES = 5 * 1024 * 1024;

    private static String line(int i) {
        return "{\"ts\": \"2026-11-28T12:00:00." + String.format("%03d", i % 1000) + "Z\", \"level\": \"INFO\", \"msg\": \"line " + i + "\"}";
    }

    private static void append(Path file, int from, int to) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(line(i)).append('\n');
        }
        Files.writeString(file, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** What Skulk's wrapper does: tail copy by bytes, then truncate in place (same inode). */
    private static void skulkRestart(Path file, int copyBytes) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] copy = Arrays.copyOfRange(all, Math.max(0, all.length - copyBytes), all.length);
        Files.write(file.resolveSibling(file.getFileName() + ".1"), copy);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0);
        }
    }

    private static List<String> texts(List<Line> lines) {
        List<String> out = new ArrayList<>();
        for (Line l : lines) {
            out.add(new String(l.bytes(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(line(i));
        }
        return out;
    }

    @Test
    void linesWrittenBetweenLastReadAndTruncationAreRecoveredFromTheCopyOnce() throws IOException {
        Path file = dir.resolve("skulk.stdout.log");
        append(file, 0, 100);
        try (FileTailer tailer = new FileTailer(file, FileTailer.ReadFrom.BEGINNING, 256 * 1024, 64 * 1024, null)) {
            List<Line> got = new ArrayList<>(tailer.poll(1 << 20));
            append(file, 100, 130); // written after our last read...
            skulkRestart(file, COPY_BYTES); // ...then Skulk restarts
            append(file, 1000, 1010); // the new Skulk writes
            got.addAll(tailer.poll(1 << 20));
            got.addAll(tailer.poll(1 << 20));

            List<String> want = expected(0, 130);
            want.addAll(expected(1000, 1010));
            assertThat(texts(got)).containsExactlyElementsOf(want);
            assertThat(tailer.truncations()).isEqualTo(1);
            assertThat(tailer.unrecoveredTruncations()).isZero();
            assertThat(tailer.checkpointPosition().offset()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void aCopyThatStartsMidLineAndAPartialLastLineAreHandled() throws IOException {
        Path file = dir.resolve("skulk.stdout.log");
        append(file, 0, 50);
        try (FileTailer tailer = new FileTailer(file, FileTailer.ReadFrom.BEGINNING, 256 * 1024, 64 * 1024, null)) {
            List<Line> got = new ArrayList<>(tailer.poll(1 << 20));
            append(file, 50, 60);
            Files.writeString(file, "{\"msg\": \"crashed mid-li", StandardOpenOption.APPEND); // Skulk died mid-line
            skulkRestart(file, 1200); // a small copy, cut mid-line, still holding the last bytes we read
            append(file, 2000, 2002);
            got.addAll(tailer.poll(1 << 20));

            List<String> want = expected(0, 60);
            want.add("{\"msg\": \"crashed mid-li");
            want.addAll(expected(2000, 2002));
            assertThat(texts(got)).containsExactlyElementsOf(want);
            assertThat(got.get(60).kind()).isEqualTo(Line.Kind.PARTIAL);
        }
    }

    @Test
    void aCopyWithoutTheLastBytesReadIsCountedAsUnrecovered() throws IOException {
        Path file = dir.resolve("skulk.stdout.log");
        append(file, 0, 50);
        try (FileTailer tailer = new FileTailer(file, FileTailer.ReadFrom.BEGINNING, 256 * 1024, 64 * 1024, null)) {
            List<Line> got = new ArrayList<>(tailer.poll(1 << 20));
            append(file, 50, 100); // more than the copy will hold
            skulkRestart(file, 300);
            append(file, 3000, 3001);
            got.addAll(tailer.poll(1 << 20));
            List<String> want = expected(0, 50);
            want.addAll(expected(3000, 3001));
            assertThat(texts(got)).containsExactlyElementsOf(want);
            assertThat(tailer.unrecoveredTruncations()).isEqualTo(1);
        }
    }

    @Test
    void repeatedRestartsNeverShipTheCopyTwice() throws IOException {
        Path file = dir.resolve("skulk.stdout.log");
        List<String> want = new ArrayList<>();
        List<Line> got = new ArrayList<>();
        try (FileTailer tailer = new FileTailer(file, FileTailer.ReadFrom.BEGINNING, 256 * 1024, 64 * 1024, null)) {
            int next = 0;
            for (int restart = 0; restart < 5; restart++) {
                append(file, next, next + 40);
                got.addAll(tailer.poll(1 << 20));
                append(file, next + 40, next + 45);
                want.addAll(expected(next, next + 45));
                next += 45;
                skulkRestart(file, 2000);
            }
            append(file, next, next + 3);
            want.addAll(expected(next, next + 3));
            got.addAll(tailer.poll(1 << 20));
            got.addAll(tailer.poll(1 << 20));
        }
        assertThat(texts(got)).containsExactlyElementsOf(want);
    }

    @Test
    void withoutACopyTheNewContentIsReadFromTheStart() throws IOException {
        Path file = dir.resolve("app.log");
        append(file, 0, 10);
        try (FileTailer tailer = new FileTailer(file, FileTailer.ReadFrom.BEGINNING, 256 * 1024, 64 * 1024, null)) {
            List<Line> got = new ArrayList<>(tailer.poll(1 << 20));
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(0);
            }
            append(file, 500, 505);
            got.addAll(tailer.poll(1 << 20));
            List<String> want = expected(0, 10);
            want.addAll(expected(500, 505));
            assertThat(texts(got)).containsExactlyElementsOf(want);
        }
    }

    @Test
    void agentDownWhileSkulkRestarts_theRestIsFoundInATailCopyThroughTheCheckpointsLastBytes() throws IOException {
        Path file = dir.resolve("skulk.stdout.log");
        append(file, 0, 2000);
        FileCheckpointStore.Entry checkpoint;
        try (FileTailer tailer = new FileTailer(file, FileTailer.ReadFrom.BEGINNING, 256 * 1024, 64 * 1024, null)) {
            List<Line> got = tailer.poll(1 << 20);
            assertThat(got).hasSize(2000);
            checkpoint = tailer.checkpointPosition();
        }
        append(file, 2000, 2100); // written while the agent is down
        skulkRestart(file, 20_000); // the copy holds only the end: it starts mid-file, mid-line
        append(file, 5000, 5002);
        try (FileTailer tailer = new FileTailer(file, FileTailer.ReadFrom.BEGINNING, 256 * 1024, 64 * 1024, checkpoint)) {
            List<Line> got = new ArrayList<>(tailer.poll(1 << 20));
            got.addAll(tailer.poll(1 << 20));
            List<String> want = expected(2000, 2100);
            want.addAll(expected(5000, 5002));
            assertThat(texts(got)).containsExactlyElementsOf(want);
            assertThat(tailer.unrecoveredTruncations()).isZero();
        }
    }
}
