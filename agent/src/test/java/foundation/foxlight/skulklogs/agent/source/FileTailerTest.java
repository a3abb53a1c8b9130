package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileTailer} as it behaves today: rotation (rename + create, copytruncate, truncate in place),
 * deletion, inode reuse, checkpoints, read_from, partial and over-long lines. Skulk's own restart (copy the
 * last 5 MB to {@code .1}, truncate in place) is covered in depth by {@link SkulkRestartTruncationTest}.
 */
class FileTailerTest {
    private static final int ALL = 1 << 20;
    private static final int MAX_LINE = 64 * 1024;

    @TempDir
    Path dir;

    private final List<FileTailer> tailers = new ArrayList<>();

    @AfterEach
    void closeTailers() throws IOException {
        for (FileTailer t : tailers) {
            t.close();
        }
    }

    private Path log() {
        return dir.resolve("skulk.stdout.log");
    }

    private FileTailer tailer(Path path, FileTailer.ReadFrom readFrom, int maxLineBytes, int chunk, FileCheckpointStore.Entry cp) {
        FileTailer t = new FileTailer(path, readFrom, maxLineBytes, chunk, cp);
        tailers.add(t);
        return t;
    }

    private FileTailer tailer() {
        return tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 64 * 1024, null);
    }

    private static String line(String tag, int i) {
        return "{\"ts\": \"2026-05-04T12:34:56." + String.format("%03d", i % 1000) + "Z\", \"level\": \"INFO\", \"node_id\": \"n\", "
                + "\"component\": \"worker\", \"msg\": \"" + tag + " line " + i + "\"}";
    }

    private static List<String> lines(String tag, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(line(tag, i));
        }
        return out;
    }

    private static void append(Path file, List<String> lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        appendRaw(file, b.toString());
    }

    private static void appendRaw(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void truncateInPlace(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    private static List<String> texts(List<Line> lines) {
        return lines.stream().map(l -> new String(l.bytes(), StandardCharsets.UTF_8)).toList();
    }

    /**
     * Polls until three polls in a row return nothing (at most 100 polls): a poll that finishes a rotated or
     * deleted file may return nothing, and the next one opens the file now at the path.
     */
    private static List<Line> drain(FileTailer t, int maxBytes) throws IOException {
        List<Line> all = new ArrayList<>();
        int empty = 0;
        for (int i = 0; i < 100; i++) {
            List<Line> got = t.poll(maxBytes);
            all.addAll(got);
            empty = got.isEmpty() ? empty + 1 : 0;
            if (empty == 3) {
                return all;
            }
        }
        throw new AssertionError("the tailer keeps returning lines");
    }

    // ------------------------------------------------------------------ plain reading

    @Test
    void readsCompleteLinesWithTheirOffsets() throws IOException {
        append(log(), List.of("one", "two", "three"));
        FileTailer t = tailer();
        List<Line> got = t.poll(ALL);
        assertThat(texts(got)).containsExactly("one", "two", "three");
        assertThat(got).extracting(Line::startOffset).containsExactly(0L, 4L, 8L);
        assertThat(got).extracting(Line::endOffset).containsExactly(4L, 8L, 14L);
        assertThat(t.checkpointPosition().offset()).isEqualTo(14);
        assertThat(t.checkpointPosition().path()).isEqualTo(log().toString());
        assertThat(t.poll(ALL)).isEmpty();
    }

    @Test
    void aPathThatCannotBeReadFailsTheSameWayEveryPoll_andIsReadOnceItCan() throws IOException {
        Files.createDirectory(log()); // --file pointed at a directory: opening works, reading does not
        FileTailer t = tailer();
        for (int i = 0; i < 3; i++) { // not a half-open tailer that fails differently (it did: a NullPointerException)
            assertThatThrownBy(() -> t.poll(ALL)).isInstanceOf(IOException.class).hasMessageContaining("Is a directory");
            assertThat(t.isOpen()).isFalse();
        }
        Files.delete(log());
        append(log(), List.of("a"));
        assertThat(texts(t.poll(ALL))).containsExactly("a");
    }

    @Test
    void aMissingFileIsWaitedFor() throws IOException {
        FileTailer t = tailer();
        assertThat(t.poll(ALL)).isEmpty();
        assertThat(t.isOpen()).isFalse();
        assertThat(t.checkpointPosition()).isNull();
        append(log(), List.of("a"));
        assertThat(texts(t.poll(ALL))).containsExactly("a");
        assertThat(t.isOpen()).isTrue();
    }

    @Test
    void aBudgetSpreadsReadingOverSeveralPollsWithoutLossOrDuplicates() throws IOException {
        List<String> want = lines("x", 0, 300);
        append(log(), want);
        FileTailer t = tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 7, null); // tiny read chunks
        List<Line> first = t.poll(1000);
        assertThat(first).isNotEmpty();
        assertThat(first.get(first.size() - 1).endOffset()).isLessThanOrEqualTo(1000);
        List<Line> all = new ArrayList<>(first);
        all.addAll(drain(t, 1000));
        assertThat(texts(all)).containsExactlyElementsOf(want);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).startOffset()).isEqualTo(all.get(i - 1).endOffset());
        }
    }

    @Test
    void linesOverMaxLineBytesComeAsSplitPieces() throws IOException {
        String longLine = "x".repeat(25);
        append(log(), List.of(longLine, "short"));
        FileTailer t = tailer(log(), FileTailer.ReadFrom.BEGINNING, 10, 4, null);
        List<Line> got = t.poll(ALL);
        assertThat(texts(got)).containsExactly("x".repeat(10), "x".repeat(10), "x".repeat(5), "short");
        assertThat(got).extracting(Line::kind).containsExactly(Line.Kind.SPLIT, Line.Kind.SPLIT, Line.Kind.COMPLETE,
                Line.Kind.COMPLETE);
        assertThat(got).extracting(Line::endOffset).containsExactly(10L, 20L, 26L, 32L);
    }

    @Test
    void aPartialLastLineWaitsThenIsShippedWhenIdle() throws IOException {
        appendRaw(log(), "done\nhalf a li");
        FileTailer t = tailer();
        assertThat(texts(t.poll(ALL))).containsExactly("done");
        assertThat(t.flushPartialIfIdle(Duration.ofHours(1).toMillis())).as("data just came").isNull();
        assertThat(t.checkpointPosition().offset()).as("not past the unterminated line").isEqualTo(5);

        Line partial = await().atMost(Duration.ofSeconds(5)).until(() -> t.flushPartialIfIdle(50), l -> l != null);
        assertThat(partial.kind()).isEqualTo(Line.Kind.PARTIAL);
        assertThat(new String(partial.bytes(), StandardCharsets.UTF_8)).isEqualTo("half a li");
        assertThat(partial.startOffset()).isEqualTo(5);
        assertThat(partial.endOffset()).isEqualTo(14);
        assertThat(t.checkpointPosition().offset()).isEqualTo(14);
        assertThat(t.flushPartialIfIdle(0)).as("shipped once").isNull();

        appendRaw(log(), "ne\nnext\n");
        List<Line> rest = t.poll(ALL);
        assertThat(texts(rest)).as("the rest of the line comes as a line of its own").containsExactly("ne", "next");
        assertThat(rest.get(0).startOffset()).isEqualTo(14);
    }

    @Test
    void aPartialLineCompletedBeforeTheTimeoutIsOneLine() throws IOException {
        appendRaw(log(), "{\"msg\": \"hel");
        FileTailer t = tailer();
        assertThat(t.poll(ALL)).isEmpty();
        assertThat(t.flushPartialIfIdle(Duration.ofHours(1).toMillis())).isNull();
        appendRaw(log(), "lo\"}\n");
        assertThat(texts(t.poll(ALL))).containsExactly("{\"msg\": \"hello\"}");
    }

    @Test
    void rewindReadsTheLinesAfterTheOffsetAgain() throws IOException {
        append(log(), List.of("a", "b", "c"));
        FileTailer t = tailer();
        List<Line> got = t.poll(ALL);
        t.rewind(got.get(0).endOffset());
        assertThat(texts(t.poll(ALL))).containsExactly("b", "c");
    }

    // ------------------------------------------------------------------ rotation

    @Test
    void renameAndCreateReadsTheOldFileToItsEndThenTheNewOneFromZero() throws IOException {
        append(log(), lines("old", 0, 10));
        FileTailer t = tailer();
        assertThat(texts(t.poll(ALL))).containsExactlyElementsOf(lines("old", 0, 10));
        append(log(), lines("old", 10, 15)); // written after our last read
        appendRaw(log(), "old unterminated");
        Files.move(log(), dir.resolve("skulk.stdout.log.rotated"));
        append(log(), lines("new", 0, 5));

        List<Line> fromOld = t.poll(ALL);
        List<String> wantOld = new ArrayList<>(lines("old", 10, 15));
        wantOld.add("old unterminated");
        assertThat(texts(fromOld)).containsExactlyElementsOf(wantOld);
        assertThat(fromOld.get(fromOld.size() - 1).kind()).isEqualTo(Line.Kind.PARTIAL);
        assertThat(t.rotations()).isEqualTo(1);
        assertThat(t.isOpen()).as("the old file is released").isFalse();

        List<Line> fromNew = t.poll(ALL);
        assertThat(texts(fromNew)).containsExactlyElementsOf(lines("new", 0, 5));
        assertThat(fromNew.get(0).startOffset()).isZero();
        assertThat(t.truncations()).isZero();
    }

    @Test
    void renamedAwayWithNoNewFileYet() throws IOException {
        append(log(), lines("old", 0, 3));
        FileTailer t = tailer();
        t.poll(ALL);
        append(log(), lines("old", 3, 4));
        Files.move(log(), dir.resolve("skulk.stdout.log.1"));
        assertThat(texts(t.poll(ALL))).containsExactlyElementsOf(lines("old", 3, 4));
        assertThat(t.isOpen()).isFalse();
        assertThat(t.poll(ALL)).isEmpty();
        append(log(), lines("new", 0, 2));
        assertThat(texts(t.poll(ALL))).containsExactlyElementsOf(lines("new", 0, 2));
    }

    @Test
    void copyTruncateIsDetectedBecauseTheFileIsShorterThanTheOffset() throws IOException {
        append(log(), lines("old", 0, 20));
        FileTailer t = tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 64 * 1024, null);
        assertThat(t.poll(ALL)).hasSize(20);
        // logrotate copytruncate: copy the whole file away, truncate it in place (same inode)
        Files.copy(log(), dir.resolve("skulk.stdout.log.1"), StandardCopyOption.REPLACE_EXISTING);
        truncateInPlace(log());
        append(log(), lines("new", 0, 3));

        List<Line> got = drain(t, ALL);
        assertThat(texts(got)).as("nothing of the copy again, the new content from 0").containsExactlyElementsOf(lines("new", 0, 3));
        assertThat(got.get(0).startOffset()).isZero();
        assertThat(t.truncations()).isEqualTo(1);
        assertThat(t.rotations()).isZero();
    }

    @Test
    void truncationIsDetectedWhenTheFirstBytesChangedEvenIfTheFileGrewPastTheOffset() throws IOException {
        append(log(), lines("old", 0, 2));
        FileTailer t = tailer();
        assertThat(t.poll(ALL)).hasSize(2);
        truncateInPlace(log());
        append(log(), lines("new", 0, 50)); // larger than the old offset before the next poll
        List<Line> got = drain(t, ALL);
        assertThat(texts(got)).containsExactlyElementsOf(lines("new", 0, 50));
        assertThat(t.truncations()).isEqualTo(1);
    }

    @Test
    void truncateInPlaceWithoutACopyReadsTheNewContentFromZero() throws IOException {
        append(log(), lines("old", 0, 5));
        FileTailer t = tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 64 * 1024, null);
        t.poll(ALL);
        truncateInPlace(log());
        assertThat(t.poll(ALL)).isEmpty();
        assertThat(t.truncations()).isEqualTo(1);
        append(log(), lines("new", 0, 2));
        assertThat(texts(t.poll(ALL))).containsExactlyElementsOf(lines("new", 0, 2));
    }

    @Test
    void aGrowingShortFileIsNotMistakenForATruncatedOne() throws IOException {
        appendRaw(log(), "a\n"); // shorter than the fingerprint: its identity is refined as it grows
        FileTailer t = tailer();
        assertThat(texts(t.poll(ALL))).containsExactly("a");
        for (int i = 0; i < 40; i++) {
            append(log(), List.of("line " + i));
            assertThat(texts(t.poll(ALL))).containsExactly("line " + i);
        }
        assertThat(t.truncations()).isZero();
        assertThat(t.fingerprint().isComplete()).isTrue();
    }

    // ------------------------------------------------------------------ deletion and inode reuse

    @Test
    void aFileDeletedWhileBeingReadIsReadToItsEndAndReleased() throws IOException {
        List<String> want = lines("x", 0, 200);
        append(log(), want);
        FileTailer t = tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 512, null);
        List<Line> got = new ArrayList<>(t.poll(2048)); // part of it
        assertThat(got.size()).isLessThan(want.size());
        Files.delete(log());
        got.addAll(t.poll(ALL));
        assertThat(texts(got)).containsExactlyElementsOf(want);
        assertThat(t.isOpen()).as("a deleted file must not be held open").isFalse();
        assertThat(t.poll(ALL)).isEmpty();
        assertThat(t.isOpen()).isFalse();
    }

    @Test
    void aNewFileAtTheSamePathIsReadFromZeroWhetherOrNotItsInodeIsReused() throws IOException {
        append(log(), lines("old", 0, 5));
        FileTailer t = tailer();
        assertThat(t.poll(ALL)).hasSize(5);
        Files.delete(log());
        append(log(), lines("new", 0, 30)); // longer, other first bytes; the file system may hand out the same inode
        List<Line> got = drain(t, ALL);
        assertThat(texts(got)).containsExactlyElementsOf(lines("new", 0, 30));
        assertThat(got.get(0).startOffset()).isZero();
    }

    @Test
    void aNewFileAtTheSamePathShorterThanTheOffsetIsReadFromZero() throws IOException {
        append(log(), lines("old", 0, 20));
        FileTailer t = tailer();
        t.poll(ALL);
        Files.delete(log());
        append(log(), lines("new", 0, 1));
        assertThat(texts(drain(t, ALL))).containsExactlyElementsOf(lines("new", 0, 1));
    }

    // ------------------------------------------------------------------ checkpoints and read_from

    @Test
    void aMatchingCheckpointResumesAtItsOffset() throws IOException {
        append(log(), lines("x", 0, 10));
        FileTailer first = tailer();
        List<Line> got = first.poll(ALL);
        FileCheckpointStore.Entry cp = first.position(got.get(4).endOffset());
        first.close();
        append(log(), lines("x", 10, 12));

        FileTailer second = tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 64 * 1024, cp);
        List<Line> resumed = second.poll(ALL);
        assertThat(texts(resumed)).containsExactlyElementsOf(lines("x", 5, 12));
        assertThat(resumed.get(0).startOffset()).isEqualTo(cp.offset());
    }

    @Test
    void aCheckpointOfAShortFileThatGrewStillMatches() throws IOException {
        appendRaw(log(), "a\nb\n");
        FileTailer first = tailer();
        first.poll(ALL);
        FileCheckpointStore.Entry cp = first.checkpointPosition();
        assertThat(cp.fingerprint().isComplete()).isFalse();
        first.close();
        append(log(), lines("x", 0, 20));
        FileTailer second = tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 64 * 1024, cp);
        assertThat(texts(second.poll(ALL))).containsExactlyElementsOf(lines("x", 0, 20));
    }

    @Test
    void aCheckpointOfOtherContentStartsAtZero() throws IOException {
        append(log(), lines("old", 0, 10));
        FileTailer first = tailer();
        first.poll(ALL);
        FileCheckpointStore.Entry cp = first.checkpointPosition();
        first.close();
        // while the agent was down the path came to hold another file (inode reuse, rotation, truncate + rewrite)
        Files.delete(log());
        append(log(), lines("new", 0, 20));

        FileTailer second = tailer(log(), FileTailer.ReadFrom.END, MAX_LINE, 64 * 1024, cp);
        List<Line> got = second.poll(ALL);
        assertThat(texts(got)).as("read_from END does not apply: the path was seen before").containsExactlyElementsOf(lines("new", 0, 20));
        assertThat(got.get(0).startOffset()).isZero();
    }

    @Test
    void aCheckpointBeyondTheEndOfTheFileStartsAtZero() throws IOException {
        append(log(), lines("x", 0, 10));
        FileTailer first = tailer();
        first.poll(ALL);
        FileCheckpointStore.Entry cp = first.position(Files.size(log()) + 100);
        first.close();
        FileTailer second = tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 64 * 1024, cp);
        assertThat(second.poll(ALL)).hasSize(10);
    }

    @Test
    void readFromEndSkipsWhatAFileSeenForTheFirstTimeHolds() throws IOException {
        append(log(), lines("before", 0, 10));
        FileTailer t = tailer(log(), FileTailer.ReadFrom.END, MAX_LINE, 64 * 1024, null);
        assertThat(t.poll(ALL)).isEmpty();
        assertThat(t.checkpointPosition().offset()).isEqualTo(Files.size(log()));
        append(log(), lines("after", 0, 3));
        assertThat(texts(t.poll(ALL))).containsExactlyElementsOf(lines("after", 0, 3));
    }

    @Test
    void readFromEndDoesNotApplyToTheFileThatReplacesARotatedOne() throws IOException {
        append(log(), lines("before", 0, 10));
        FileTailer t = tailer(log(), FileTailer.ReadFrom.END, MAX_LINE, 64 * 1024, null);
        t.poll(ALL);
        Files.move(log(), dir.resolve("rotated.log"));
        append(log(), lines("new", 0, 4));
        assertThat(t.poll(ALL)).isEmpty(); // the old file had nothing new
        assertThat(texts(t.poll(ALL))).containsExactlyElementsOf(lines("new", 0, 4));
    }

    @Test
    void readFromEndReadsAFileCreatedAfterStartupFromItsBeginning() throws IOException {
        FileTailer t = tailer(log(), FileTailer.ReadFrom.END, MAX_LINE, 64 * 1024, null);
        assertThat(t.poll(ALL)).isEmpty(); // no file yet
        append(log(), lines("first", 0, 5)); // Skulk starts and writes before our next poll
        assertThat(texts(t.poll(ALL))).containsExactlyElementsOf(lines("first", 0, 5));
    }

    @Test
    void linesWrittenBeforeATruncationWhileTheAgentWasDownAreRecoveredFromTheCopy() throws IOException {
        append(log(), lines("old", 0, 10));
        FileTailer first = tailer();
        List<Line> got = first.poll(ALL);
        FileCheckpointStore.Entry cp = first.position(got.get(got.size() - 1).endOffset());
        first.close();
        append(log(), lines("old", 10, 15)); // written after the last checkpoint
        // the agent is down; Skulk restarts: copy the last 5 MB (here: all of it), truncate in place
        Files.copy(log(), dir.resolve("skulk.stdout.log.1"), StandardCopyOption.REPLACE_EXISTING);
        truncateInPlace(log());
        append(log(), lines("new", 0, 3));

        FileTailer second = tailer(log(), FileTailer.ReadFrom.BEGINNING, MAX_LINE, 64 * 1024, cp);
        List<String> want = new ArrayList<>(lines("old", 10, 15));
        want.addAll(lines("new", 0, 3));
        assertThat(texts(drain(second, ALL))).containsExactlyElementsOf(want);
    }

    // ------------------------------------------------------------------ a random workload

    @Test
    void randomAppendsAndPollsReturnEveryLineOnceInOrder() throws IOException {
        Random random = new Random(42);
        FileTailer t = tailer(log(), FileTailer.ReadFrom.BEGINNING, 300, 97, null);
        List<String> written = new ArrayList<>();
        List<Line> read = new ArrayList<>();
        for (int step = 0; step < 500; step++) {
            if (random.nextInt(3) > 0) {
                String l = "line " + step + " " + "y".repeat(random.nextInt(250));
                written.add(l);
                // written in two writes: a reader may see half a line
                int cut = random.nextInt(l.length() + 1);
                appendRaw(log(), l.substring(0, cut));
                if (random.nextBoolean()) {
                    read.addAll(t.poll(1 + random.nextInt(2000)));
                }
                appendRaw(log(), l.substring(cut) + "\n");
            }
            read.addAll(t.poll(1 + random.nextInt(2000)));
        }
        read.addAll(drain(t, ALL));
        assertThat(read).extracting(Line::kind).containsOnly(Line.Kind.COMPLETE);
        assertThat(texts(read)).containsExactlyElementsOf(written);
    }
}
