package foundation.foxlight.skulklogs.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.agent.checkpoint.DurableFiles;
import foundation.foxlight.skulklogs.agent.checkpoint.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journald source's position: the {@code __CURSOR} of the last journal entry whose line is durably in the
 * disk buffer. Persisted as a small versioned, checksummed JSON document ({@code {"version":1,"cursor":...,
 * "updated":...,"crc":...}}) written by temp file + fsync + atomic rename ({@link DurableFiles#replace}), so after
 * a crash it holds either the old or the new cursor.
 *
 * <p>Thread-safe (synchronized). {@link #open} and {@link #save()} do blocking I/O: call them on a worker thread.
 */
public final class JournaldCursorStore {
    private static final Logger LOG = LoggerFactory.getLogger(JournaldCursorStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VERSION = 1;

    private final Path file;
    private final Object saveLock = new Object();
    private String cursor; // the latest cursor put
    private String saved; // the cursor on disk
    private long updatedAtMillis;

    private JournaldCursorStore(Path file) {
        this.file = file;
    }

    /**
     * Loads the store. A missing file is an empty store (the source then starts per {@code read_from}); an
     * unreadable one (bad JSON, wrong checksum, unknown version) is logged, kept aside as {@code .corrupt} and
     * replaced by an empty store.
     */
    public static JournaldCursorStore open(Path file) throws IOException {
        JournaldCursorStore store = new JournaldCursorStore(file);
        StateFile.load(file, VERSION, "journald cursor", LOG, root -> {
            JsonNode c = root.get("cursor");
            if (c == null || !c.isTextual() || c.asText().isEmpty() || root.path("crc").asLong(-1) != StateFile.crc(c.asText())) {
                throw new IOException("checksum mismatch");
            }
            store.cursor = c.asText();
            store.saved = store.cursor;
            store.updatedAtMillis = root.path("updated").asLong();
        });
        return store;
    }

    /** The latest cursor (saved or not yet), if any. */
    public synchronized Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    /** The cursor as it is on disk, if any. */
    public synchronized Optional<String> savedCursor() {
        return Optional.ofNullable(saved);
    }

    /** Sets the cursor to save; does no I/O. */
    public synchronized void put(String newCursor) {
        if (newCursor == null || newCursor.isEmpty()) {
            throw new IllegalArgumentException("a journald cursor must not be empty");
        }
        if (!newCursor.equals(cursor)) {
            cursor = newCursor;
            updatedAtMillis = System.currentTimeMillis();
        }
    }

    /** Writes the cursor if it changed since the last successful save (retried on the next call after a failure). Blocking. */
    public void save() throws IOException {
        synchronized (saveLock) { // one writer at a time: an older cursor never overwrites a newer one
            String toSave;
            byte[] content;
            synchronized (this) {
                if (cursor == null || cursor.equals(saved)) {
                    return;
                }
                toSave = cursor;
                ObjectNode root = JSON.createObjectNode().put("version", VERSION).put("cursor", toSave)
                        .put("updated", updatedAtMillis).put("crc", StateFile.crc(toSave));
                content = root.toPrettyString().getBytes(StandardCharsets.UTF_8);
            }
            DurableFiles.replace(file, content);
            synchronized (this) {
                saved = toSave;
            }
        }
    }

    public Path file() {
        return file;
    }

}
