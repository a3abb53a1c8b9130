package foundation.foxlight.skulklogs.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import foundation.foxlight.skulklogs.agent.checkpoint.DurableFiles;
import foundation.foxlight.skulklogs.agent.checkpoint.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each tailed file has been read to, persisted as a versioned, checksummed JSON document written by
 * temp file + fsync + atomic rename. An offset stored here is one whose lines are durably in the disk
 * buffer, so a restart resumes exactly after them. Entries never expire because a file is old.
 *
 * <p>Thread-safe (synchronized); {@link #save()} does blocking I/O and must run on a worker thread.
 */
public final class FileCheckpointStore {
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

    private FileCheckpointStore(Path file) {
        this.file = file;
    }

    /**
     * Loads the store. A missing file is an empty store; a corrupt one is logged, kept aside as
     * {@code .corrupt} and replaced by an empty store (files are then re-read per {@code read_from}:
     * duplicates are possible, loss is not).
     */
    public static FileCheckpointStore open(Path file) throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(file);
        StateFile.load(file, VERSION, "file checkpoints", LOG, root -> {
            JsonNode files = root.get("files");
            if (files == null || !files.isArray() || root.path("crc").asLong(-1) != StateFile.crc(files.toString())) {
                throw new IOException("checksum mismatch");
            }
            for (JsonNode f : files) {
                Entry e = new Entry(f.get("path").asText(),
                        new FileFingerprint(f.get("fp_len").asInt(), f.get("fp_crc").asLong()),
                        f.get("offset").asLong(), f.path("updated").asLong(), f.hasNonNull("tail") ? f.get("tail").asText() : null);
                if (e.offset() < 0 || e.fingerprint().length() < 0 || e.fingerprint().length() > FileFingerprint.MAX_BYTES) {
                    throw new IOException("impossible entry " + e);
                }
                store.entries.put(e.path(), e);
            }
        });
        return store;
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
        synchronized (this) {
            if (!dirty) {
                return;
            }
            ArrayNode files = JSON.createArrayNode();
            for (Entry e : entries.values()) {
                files.addObject().put("path", e.path()).put("fp_len", e.fingerprint().length())
                        .put("fp_crc", e.fingerprint().crc()).put("offset", e.offset()).put("updated", e.updatedAtMillis())
                        .put("tail", e.tail());
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
    }

}
