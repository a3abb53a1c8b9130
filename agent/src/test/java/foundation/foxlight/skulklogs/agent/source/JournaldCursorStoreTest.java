package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaldCursorStoreTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsAnEmptyStoreAndNothingIsWrittenUntilACursorIsPut() throws Exception {
        Path file = dir.resolve("state/journald-cursor.json");
        JournaldCursorStore store = JournaldCursorStore.open(file);
        assertThat(store.cursor()).isEmpty();
        store.save();
        assertThat(file).doesNotExist();
    }

    @Test
    void aSavedCursorSurvivesReopeningAndOnlyPutDoesNoIo() throws Exception {
        Path file = dir.resolve("journald-cursor.json");
        JournaldCursorStore store = JournaldCursorStore.open(file);
        store.put("s=abc;i=1f;b=00;m=1;t=5f;x=9");
        assertThat(file).doesNotExist();
        assertThat(store.savedCursor()).isEmpty();
        store.save();
        assertThat(store.savedCursor()).contains("s=abc;i=1f;b=00;m=1;t=5f;x=9");
        assertThat(JournaldCursorStore.open(file).cursor()).contains("s=abc;i=1f;b=00;m=1;t=5f;x=9");
        assertThat(Files.readString(file)).contains("\"version\" : 1");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("journald-cursor.json");
        }

        store.put("s=abc;i=20");
        store.save();
        assertThat(JournaldCursorStore.open(file).cursor()).contains("s=abc;i=20");
    }

    @Test
    void aTamperedOrUnknownFileIsSetAsideAndTheStoreStartsEmpty() throws Exception {
        Path file = dir.resolve("journald-cursor.json");
        JournaldCursorStore store = JournaldCursorStore.open(file);
        store.put("s=abc;i=1");
        store.save();
        Files.writeString(file, Files.readString(file).replace("i=1", "i=2"));

        assertThat(JournaldCursorStore.open(file).cursor()).isEmpty();
        assertThat(dir.resolve("journald-cursor.json.corrupt")).exists();
        assertThat(file).doesNotExist();

        Files.writeString(file, "{\"version\":2,\"cursor\":\"x\",\"crc\":0}");
        assertThat(JournaldCursorStore.open(file).cursor()).isEmpty();
        Files.writeString(file, "not json at all");
        assertThat(JournaldCursorStore.open(file).cursor()).isEmpty();
    }

    @Test
    void anEmptyCursorIsRefused() throws Exception {
        JournaldCursorStore store = JournaldCursorStore.open(dir.resolve("c.json"));
        assertThatThrownBy(() -> store.put("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCursorNotedSinceTheLastSaveIsResumedOnlyWhenItsBufferRecordSurvived() throws Exception {
        Path file = dir.resolve("journald-cursor.json");
        try (JournaldCursorStore store = JournaldCursorStore.open(file)) {
            store.put("s=abc;i=1f;t=5f");
            store.save();
            store.noteBuffered("s=abc;i=2a;t=6a", 12);
            // no save: the process is killed here
        }
        Path hint = dir.resolve("journald-cursor.json.hint");
        byte[] noted = Files.readAllBytes(hint);
        try (JournaldCursorStore again = JournaldCursorStore.open(file, id -> id == 12)) {
            assertThat(again.cursor()).contains("s=abc;i=2a;t=6a");
            assertThat(again.savedCursor()).as("not durable until saved").contains("s=abc;i=1f;t=5f");
        }
        assertThat(JournaldCursorStore.open(file, id -> id == 12).cursor()).as("a hint is used once").contains("s=abc;i=1f;t=5f");
        Files.write(hint, noted);
        assertThat(JournaldCursorStore.open(file, id -> false).cursor()).as("record lost: re-read").contains("s=abc;i=1f;t=5f");
    }

    @Test
    void aNotedCursorOlderThanTheSavedOneIsIgnored() throws Exception {
        Path file = dir.resolve("journald-cursor.json");
        try (JournaldCursorStore store = JournaldCursorStore.open(file)) {
            store.noteBuffered("s=abc;i=1f;t=5f", 3);
            store.put("s=abc;i=2a;t=6a"); // e.g. later hint writes failed, the save did not
            store.save();
        }
        assertThat(JournaldCursorStore.open(file, id -> true).cursor()).contains("s=abc;i=2a;t=6a");
    }
}
