package foundation.foxlight.skulklogs.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.agent.checkpoint.PositionHints;
import foundation.foxlight.skulklogs.agent.checkpoint.DurableFiles;
import foundation.foxlight.skulklogs.agent.checkpoint.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each tailed file has been read to, persisted as a versioned, checksummed JSON document written by
 * temp file + fsync + atomic rename. An offset stored here is one whose lines are durably in the disk
 * buffer, so a restart resumes exactly after them. Entries never expire because a file is old.
 *
 * <p>Between two saves, {@link #noteBuffered} keeps the newest position of each file, with the buffer record that
 * holds its lines, in {@link PositionHints} beside the store ({@code <name>.hint}, no fsync). After a process
 * crash {@link #open(Path, LongPredicate)} resumes a file from there when the buffer says that record survived, so
 * the lines appended since the last save are not read (and shipped) a second time; a hint whose record did not
 * survive (power loss, torn tail) is ignored and the file is re-read from the saved position.
 *
 * <p>Thread-safe (synchronized); {@link #save()} and {@link #noteBuffered} do blocking I/O and must run on a
 * worker thread.
 */
public final class FileCheckpointStore implements java.io.Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileCheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VERSION = 1;

    /**
     * What is known of one file.
     *
     * @param tail the last bytes before {@code offset} (Base64), or null: used to find where the old content
     *             continues in the writer's copy when the file was truncated in place while the agent was down
     */
    public record Entry(String path, FileFingerprint fingerprint, long offset, long updatedAtMillis, String tail) {
        public Entry(String path, FileFingerprint fingerprint, long offset, long updatedAtMillis) {
            this(path, fingerprint, offset, updatedAtMillis, null);
        }

        /** The tail bytes, or an empty array. */
        public byte[] tailBytes() {
            return tail == null ? new byte[0] : java.util.Base64.getDecoder().decode(tail);
        }
    }

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Object saveLock = new Object(); // one save at a time: they share the temp file
    private boolean dirty;
    /** Per path: the newest position noted, and the buffer record holding the lines before it. */
    private final Map<String, NotedPosition> noted = new LinkedHashMap<>();
    private final PositionHints hints;

    private record NotedPosition(Entry position, long bufferId) {
    }

    private FileCheckpointStore(Path file) {
        this.file = file;
        this.hints = new PositionHints(file, VERSION, LOG);
    }

    /**
     * Loads the store. A missing file is an empty store; a corrupt one is logged, kept aside as
     * {@code .corrupt} and replaced by an empty store (files are then re-read per {@code read_from}:
     * duplicates are possible, loss is not). Position hints, if any, are discarded: there is no buffer to check them
     * against ({@link #open(Path, LongPredicate)} is the agent's way in).
     */
    public static FileCheckpointStore open(Path file) throws IOException {
        return open(file, bufferId -> false);
    }

    /**
     * Loads the store, then takes over the positions noted since its last save whose buffer record
     * {@code survivedInBuffer} (see {@link foundation.foxlight.skulklogs.agent.buffer.DiskBuffer#survivedRestart}).
     * Call it once the buffer is open and before any source starts.
     */
    public static FileCheckpointStore open(Path file, LongPredicate survivedInBuffer) throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(file);
        StateFile.load(file, VERSION, "file checkpoints", LOG, root -> {
            for (JsonNode f : checkedFiles(root)) {
                Entry e = entryFromJson(f);
                store.entries.put(e.path(), e);
            }
        });
        store.resumeFromHints(survivedInBuffer);
        return store;
    }

    private static JsonNode checkedFiles(JsonNode root) throws IOException {
        JsonNode files = root.get("files");
        if (files == null || !files.isArray() || root.path("crc").asLong(-1) != StateFile.crc(files.toString())) {
            throw new IOException("checksum mismatch");
        }
        return files;
    }

    private static Entry entryFromJson(JsonNode f) throws IOException {
        Entry e = new Entry(f.get("path").asText(),
                new FileFingerprint(f.get("fp_len").asInt(), f.get("fp_crc").asLong()),
                f.get("offset").asLong(), f.path("updated").asLong(), f.hasNonNull("tail") ? f.get("tail").asText() : null);
        if (e.offset() < 0 || e.fingerprint().length() < 0 || e.fingerprint().length() > FileFingerprint.MAX_BYTES) {
            throw new IOException("impossible entry " + e);
        }
        return e;
    }

    private static ObjectNode entryToJson(ObjectNode o, Entry e) {
        return o.put("path", e.path()).put("fp_len", e.fingerprint().length()).put("fp_crc", e.fingerprint().crc())
                .put("offset", e.offset()).put("updated", e.updatedAtMillis()).put("tail", e.tail());
    }

    /** The positions noted before a crash whose lines are still in (or were delivered from) the buffer. */
    private void resumeFromHints(LongPredicate survivedInBuffer) {
        Optional<JsonNode> files = hints.take();
        if (files.isEmpty()) {
            return;
        }
        int resumed = 0;
        try {
            for (JsonNode f : files.get()) {
                Entry e = entryFromJson(f);
                Entry saved = entries.get(e.path());
                boolean newer = saved == null || (e.updatedAtMillis() >= saved.updatedAtMillis() && !e.equals(saved));
                if (newer && survivedInBuffer.test(f.path("buffer_id").asLong(0))) {
                    entries.put(e.path(), e);
                    dirty = true;
                    resumed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("position hints {} unusable ({}); files resume from {}", hints.path(), e.toString(), file);
            return;
        }
        if (resumed > 0) {
            LOG.info("{} file(s) resume after lines buffered since the last checkpoint (from {}), not from {}", resumed, hints.path(), file);
        }
    }

    /**
     * Notes that the lines before {@code position} are in buffer record {@code bufferId} (appended, perhaps not yet
     * durable) and rewrites the hints at once ({@link PositionHints}). Blocking I/O.
     */
    public synchronized void noteBuffered(Entry position, long bufferId) {
        noted.put(position.path(), new NotedPosition(position, bufferId));
        ArrayNode files = JSON.createArrayNode();
        for (NotedPosition n : noted.values()) {
            entryToJson(files.addObject(), n.position()).put("buffer_id", n.bufferId());
        }
        hints.write(files);
    }

    public synchronized Optional<Entry> get(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    public synchronized void put(Entry entry) {
        Entry old = entries.put(entry.path(), entry);
        dirty |= !entry.equals(old);
    }

    /** Writes the store if anything changed since the last save. Blocking; concurrent calls run one after the other. */
    public void save() throws IOException {
        synchronized (saveLock) {
            saveLocked();
        }
    }

    private void saveLocked() throws IOException {
        byte[] content;
        Map<String, Entry> saving;
        synchronized (this) {
            if (!dirty) {
                return;
            }
            saving = new java.util.HashMap<>(); // what is saved of the paths with a hint: those may lose it
            for (String path : noted.keySet()) {
                saving.put(path, entries.get(path));
            }
            ArrayNode files = JSON.createArrayNode();
            for (Entry e : entries.values()) {
                entryToJson(files.addObject(), e);
            }
            ObjectNode root = JSON.createObjectNode().put("version", VERSION);
            root.set("files", files);
            root.put("crc", StateFile.crc(files.toString()));
            content = root.toPrettyString().getBytes(StandardCharsets.UTF_8);
            dirty = false;
        }
        try {
            DurableFiles.replace(file, content);
        } catch (IOException e) {
            synchronized (this) {
                dirty = true;
            }
            throw e;
        }
        synchronized (this) {
            // A noted position now durable needs no hint: the hints hold only files with lines buffered since the last
            // save, instead of every file ever followed, rewritten at every append.
            noted.entrySet().removeIf(n -> n.getValue().position().equals(saving.get(n.getKey())));
        }
    }

    /** Closes the hint file (the store itself holds no open file). */
    @Override
    public synchronized void close() throws IOException {
        hints.close();
    }
}
