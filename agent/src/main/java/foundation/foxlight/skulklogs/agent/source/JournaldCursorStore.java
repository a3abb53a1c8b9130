package foundation.foxlight.skulklogs.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.agent.checkpoint.DurableFiles;
import foundation.foxlight.skulklogs.agent.checkpoint.PositionHints;
import foundation.foxlight.skulklogs.agent.checkpoint.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journald source's position: the {@code __CURSOR} of the last journal entry whose line is durably in the
 * disk buffer. Persisted as a small versioned, checksummed JSON document ({@code {"version":1,"cursor":...,
 * "updated":...,"crc":...}}) written by temp file + fsync + atomic rename ({@link DurableFiles#replace}), so after
 * a crash it holds either the old or the new cursor.
 *
 * <p>The cursor of the latest batch appended to the buffer is also noted at once ({@link #noteBuffered}) in
 * {@link PositionHints} ({@code <name>.hint}, no fsync): after a process crash {@link #open(Path, LongPredicate)}
 * resumes from it when the buffer says that batch's record survived, instead of re-reading what was buffered since
 * the last save.
 *
 * <p>Thread-safe (synchronized). {@link #open}, {@link #save()} and {@link #noteBuffered} do blocking I/O: call them
 * on a worker thread.
 */
public final class JournaldCursorStore implements java.io.Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(JournaldCursorStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VERSION = 1;

    private final Path file;
    private final Object saveLock = new Object();
    private String cursor; // the latest cursor put
    private String saved; // the cursor on disk
    private long updatedAtMillis;
    private final PositionHints hints;

    private JournaldCursorStore(Path file) {
        this.file = file;
        this.hints = new PositionHints(file, VERSION, LOG);
    }

    /**
     * Loads the store. A missing file is an empty store (the source then starts per {@code read_from}); an
     * unreadable one (bad JSON, wrong checksum, unknown version) is logged, kept aside as {@code .corrupt} and
     * replaced by an empty store. A position hint, if any, is discarded: there is no buffer to check it against.
     */
    public static JournaldCursorStore open(Path file) throws IOException {
        return open(file, bufferId -> false);
    }

    /**
     * Loads the store, then takes over the cursor noted after the last save when its buffer record
     * {@code survivedInBuffer} ({@code DiskBuffer.survivedRestart}). Call it once the buffer is open.
     */
    public static JournaldCursorStore open(Path file, LongPredicate survivedInBuffer) throws IOException {
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
        store.hints.take().ifPresent(h -> {
            String hinted = h.path("cursor").asText("");
            long updated = h.path("updated").asLong();
            boolean newer = store.cursor == null
                    || JournaldSource.cursorRealtimeMicros(hinted) >= JournaldSource.cursorRealtimeMicros(store.cursor);
            if (!hinted.isEmpty() && !hinted.equals(store.cursor) && newer && survivedInBuffer.test(h.path("buffer_id").asLong(0))) {
                LOG.info("journald resumes after the entries buffered since the last save (cursor from {}), not from {}",
                        store.hints.path(), file);
                store.cursor = hinted;
                store.updatedAtMillis = updated;
            }
        });
        return store;
    }

    /** Notes that the entries up to {@code noted} are in buffer record {@code bufferId}; rewrites the hint at once. Blocking. */
    public void noteBuffered(String noted, long bufferId) {
        hints.write(JSON.createObjectNode().put("cursor", noted).put("updated", System.currentTimeMillis()).put("buffer_id", bufferId));
    }

    /** Closes the hint file. */
    @Override
    public void close() throws IOException {
        hints.close();
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
