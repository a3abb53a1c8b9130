package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static FileCheckpointStore.Entry entry(String path, long offset) {
        return new FileCheckpointStore.Entry(path, new FileFingerprint(256, 0xFFFF_FFF0L), offset, 1_700_000_000_000L);
    }

    private List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A checkpoint document as {@link FileCheckpointStore} writes it, with a correct checksum. */
    private static String document(int version, ArrayNode files) {
        CRC32C c = new CRC32C();
        c.update(files.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode root = JSON.createObjectNode().put("version", version);
        root.set("files", files);
        root.put("crc", c.getValue());
        return root.toPrettyString();
    }

    @Test
    void aMissingFileIsAnEmptyStore() throws IOException {
        FileCheckpointStore store = FileCheckpointStore.open(dir.resolve("cp.json"));
        assertThat(store.get("/var/log/a")).isEmpty();
        store.save();
        assertThat(siblings()).as("nothing to save, nothing written").isEmpty();
    }

    @Test
    void roundTrip() throws IOException {
        Path file = dir.resolve("cp.json");
        FileCheckpointStore store = FileCheckpointStore.open(file);
        FileCheckpointStore.Entry a = entry("/home/u/.skulk/logs/skulk.stdout.log", 123_456_789_012L);
        FileCheckpointStore.Entry b = new FileCheckpointStore.Entry("/tmp/ünïcödé \"quoted\".log", new FileFingerprint(0, 0), 0, 0);
        FileCheckpointStore.Entry c = new FileCheckpointStore.Entry("/x", new FileFingerprint(17, 12345), 17, Long.MAX_VALUE);
        store.put(a);
        store.put(b);
        store.put(c);
        store.save();
        assertThat(siblings()).containsExactly("cp.json");

        FileCheckpointStore again = FileCheckpointStore.open(file);
        assertThat(again.get(a.path())).contains(a);
        assertThat(again.get(b.path())).contains(b);
        assertThat(again.get(c.path())).contains(c);
        assertThat(Files.readString(file)).contains("\"version\"").contains("\"crc\"");
    }

    @Test
    void aLaterPutReplacesTheEntryOfItsPath() throws IOException {
        Path file = dir.resolve("cp.json");
        FileCheckpointStore store = FileCheckpointStore.open(file);
        store.put(entry("/a", 10));
        store.put(entry("/a", 20));
        store.save();
        assertThat(FileCheckpointStore.open(file).get("/a")).contains(entry("/a", 20));
    }

    @Test
    void savesOnlyWhenSomethingChanged() throws IOException {
        Path file = dir.resolve("cp.json");
        FileCheckpointStore store = FileCheckpointStore.open(file);
        store.put(entry("/a", 10));
        store.save();
        Files.delete(file);
        store.save();
        assertThat(file).as("not dirty: no write").doesNotExist();
        store.put(entry("/a", 10)); // the same entry again
        store.save();
        assertThat(file).as("an equal entry is no change").doesNotExist();
        store.put(entry("/a", 11));
        store.save();
        assertThat(file).exists();
    }

    @Test
    void aCorruptFileIsMovedAsideAndTheStoreStartsEmpty() throws IOException {
        Path file = dir.resolve("cp.json");
        Files.writeString(file, "{ this is not json");
        FileCheckpointStore store = FileCheckpointStore.open(file);
        assertThat(store.get("/a")).isEmpty();
        assertThat(siblings()).containsExactly("cp.json.corrupt");
        assertThat(Files.readString(dir.resolve("cp.json.corrupt"))).isEqualTo("{ this is not json");

        store.put(entry("/a", 5));
        store.save();
        assertThat(FileCheckpointStore.open(file).get("/a")).contains(entry("/a", 5));
        assertThat(siblings()).containsExactly("cp.json", "cp.json.corrupt");
    }

    @Test
    void anEmptyFileIsCorrupt() throws IOException {
        Path file = dir.resolve("cp.json");
        Files.write(file, new byte[0]);
        assertThat(FileCheckpointStore.open(file).get("/a")).isEmpty();
        assertThat(siblings()).containsExactly("cp.json.corrupt");
    }

    @Test
    void anotherVersionIsMovedAside() throws IOException {
        Path file = dir.resolve("cp.json");
        ArrayNode files = JSON.createArrayNode();
        files.addObject().put("path", "/a").put("fp_len", 10).put("fp_crc", 1).put("offset", 5).put("updated", 0);
        Files.writeString(file, document(FileCheckpointStore.VERSION + 1, files));
        assertThat(FileCheckpointStore.open(file).get("/a")).isEmpty();
        assertThat(siblings()).containsExactly("cp.json.corrupt");
    }

    @Test
    void aChecksumMismatchIsMovedAside() throws IOException {
        Path file = dir.resolve("cp.json");
        FileCheckpointStore store = FileCheckpointStore.open(file);
        store.put(entry("/a", 1000));
        store.save();
        String text = Files.readString(file);
        assertThat(text).contains("1000");
        Files.writeString(file, text.replace("1000", "9000")); // a bit flip on disk
        assertThat(FileCheckpointStore.open(file).get("/a")).isEmpty();
        assertThat(siblings()).containsExactly("cp.json.corrupt");
    }

    @Test
    void aDocumentWithAValidChecksumIsRead() throws IOException {
        // guards the tests above: the hand-made document is accepted when nothing is wrong with it
        Path file = dir.resolve("cp.json");
        ArrayNode files = JSON.createArrayNode();
        files.addObject().put("path", "/a").put("fp_len", 10).put("fp_crc", 1).put("offset", 5).put("updated", 7);
        Files.writeString(file, document(FileCheckpointStore.VERSION, files));
        assertThat(FileCheckpointStore.open(file).get("/a"))
                .contains(new FileCheckpointStore.Entry("/a", new FileFingerprint(10, 1), 5, 7));
        assertThat(siblings()).containsExactly("cp.json");
    }

    @Test
    void missingFieldsOrImpossibleValuesAreCorrupt() throws IOException {
        Path file = dir.resolve("cp.json");
        List<ObjectNode> bad = List.of(
                JSON.createObjectNode().put("fp_len", 10).put("fp_crc", 1).put("offset", 5),
                JSON.createObjectNode().put("path", "/a").put("fp_crc", 1).put("offset", 5),
                JSON.createObjectNode().put("path", "/a").put("fp_len", 10).put("fp_crc", 1),
                JSON.createObjectNode().put("path", "/a").put("fp_len", 10).put("fp_crc", 1).put("offset", -5),
                JSON.createObjectNode().put("path", "/a").put("fp_len", 100_000).put("fp_crc", 1).put("offset", 5));
        for (ObjectNode entry : bad) {
            ArrayNode files = JSON.createArrayNode();
            files.add(entry);
            Files.writeString(file, document(FileCheckpointStore.VERSION, files));
            assertThat(FileCheckpointStore.open(file).get("/a")).as("%s", entry).isEmpty();
            assertThat(siblings()).as("%s", entry).containsExactly("cp.json.corrupt");
            Files.delete(dir.resolve("cp.json.corrupt"));
        }
    }

    @Test
    void aFailedSaveKeepsTheStoreDirtySoTheNextSaveWrites() throws IOException {
        // The parent "directory" is a regular file: the write fails whatever the user (root ignores permissions).
        Path blocker = dir.resolve("state");
        Files.writeString(blocker, "not a directory");
        Path file = blocker.resolve("cp.json");
        FileCheckpointStore store = FileCheckpointStore.open(file);
        store.put(entry("/a", 42));
        assertThatThrownBy(store::save).isInstanceOf(IOException.class);

        Files.delete(blocker);
        Files.createDirectory(blocker);
        store.save(); // nothing was put since: only a store still dirty writes
        assertThat(FileCheckpointStore.open(file).get("/a")).contains(entry("/a", 42));
    }

    @Test
    void concurrentSavesNeverWriteATornFile() throws Exception {
        Path file = dir.resolve("cp.json");
        FileCheckpointStore store = FileCheckpointStore.open(file);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String path = "/file-" + t;
                Callable<Void> task = () -> {
                    for (int i = 1; i <= 150; i++) {
                        store.put(entry(path, i));
                        store.save();
                    }
                    return null;
                };
                futures.add(pool.submit(task));
            }
            for (Future<Void> f : futures) {
                f.get(); // an IOException from a clashing temp file fails here
            }
        } finally {
            pool.shutdownNow();
        }
        store.save();
        FileCheckpointStore again = FileCheckpointStore.open(file);
        for (int t = 0; t < 4; t++) {
            assertThat(again.get("/file-" + t)).contains(entry("/file-" + t, 150));
        }
        assertThat(siblings()).containsExactly("cp.json");
    }

    private static FileCheckpointStore.Entry entry(String path, long offset, long updatedAtMillis) {
        return new FileCheckpointStore.Entry(path, new FileFingerprint(256, 0xFFFF_FFF0L), offset, updatedAtMillis);
    }

    /** A saved position for /a (100), then positions noted in records 7 (/a at 180) and 8 (/b at 50), then a kill. */
    private Path crashAfterNotingPositions() throws IOException {
        Path file = dir.resolve("cp.json");
        FileCheckpointStore store = FileCheckpointStore.open(file);
        store.put(entry("/a", 100, 1_000));
        store.save();
        store.noteBuffered(entry("/a", 180, 2_000), 7);
        store.noteBuffered(entry("/b", 50, 2_000), 8);
        return file; // not closed, not saved: the process is killed here
    }

    @Test
    void aPositionNotedSinceTheLastSaveIsResumedWhenItsBufferRecordSurvived() throws IOException {
        Path file = crashAfterNotingPositions();
        try (FileCheckpointStore again = FileCheckpointStore.open(file, id -> id == 7 || id == 8)) {
            assertThat(again.get("/a")).contains(entry("/a", 180, 2_000));
            assertThat(again.get("/b")).contains(entry("/b", 50, 2_000));
            again.save(); // what was taken over is now durable
        }
        assertThat(FileCheckpointStore.open(file).get("/a")).contains(entry("/a", 180, 2_000));
    }

    @Test
    void aPositionWhoseBufferRecordWasLostIsNotResumed() throws IOException {
        Path file = crashAfterNotingPositions();
        try (FileCheckpointStore again = FileCheckpointStore.open(file, id -> id == 8)) {
            assertThat(again.get("/a")).as("record 7 lost: re-read from the saved position").contains(entry("/a", 100, 1_000));
            assertThat(again.get("/b")).contains(entry("/b", 50, 2_000));
        }
    }

    @Test
    void hintsAreUsedAtMostOnce() throws IOException {
        Path file = crashAfterNotingPositions();
        FileCheckpointStore.open(file, id -> true).close(); // crashed again before saving
        assertThat(FileCheckpointStore.open(file, id -> true).get("/a")).as("re-read: duplicates, never a skipped line")
                .contains(entry("/a", 100, 1_000));
    }

    @Test
    void aNotedPositionOlderThanTheSavedOneIsIgnored() throws IOException {
        Path file = dir.resolve("cp.json");
        try (FileCheckpointStore store = FileCheckpointStore.open(file)) {
            store.noteBuffered(entry("/a", 180, 2_000), 7);
            store.put(entry("/a", 300, 3_000)); // e.g. a later hint write failed, the save did not
            store.save();
        }
        assertThat(FileCheckpointStore.open(file, id -> true).get("/a")).contains(entry("/a", 300, 3_000));
    }

    @Test
    void tornOrForeignHintsAreIgnored() throws IOException {
        Path file = dir.resolve("cp.json");
        try (FileCheckpointStore store = FileCheckpointStore.open(file)) {
            store.put(entry("/a", 100, 1_000));
            store.save();
            store.noteBuffered(entry("/a", 180, 2_000), 7);
        }
        Path hint = dir.resolve("cp.json.hint");
        byte[] bytes = Files.readAllBytes(hint);
        bytes[bytes.length - 2] ^= 1;
        Files.write(hint, bytes);
        assertThat(FileCheckpointStore.open(file, id -> true).get("/a")).contains(entry("/a", 100, 1_000));
        Files.writeString(hint, "not a hint");
        assertThat(FileCheckpointStore.open(file, id -> true).get("/a")).contains(entry("/a", 100, 1_000));
    }

    @Test
    void hintsHoldOnlyPositionsNotYetSaved() throws IOException {
        Path file = dir.resolve("cp.json");
        try (FileCheckpointStore store = FileCheckpointStore.open(file)) {
            store.noteBuffered(entry("/a", 180, 2_000), 7);
            store.put(entry("/a", 180, 2_000)); // record 7 became durable and was checkpointed
            store.save();
            store.noteBuffered(entry("/b", 50, 3_000), 8);
        }
        String hint = new String(foundation.foxlight.skulklogs.agent.checkpoint.CrashHintFile.read(dir.resolve("cp.json.hint"))
                .orElseThrow(), StandardCharsets.UTF_8);
        assertThat(hint).contains("\"/b\"").doesNotContain("\"/a\"");
    }
}
