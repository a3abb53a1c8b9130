package foundation.foxlight.skulklogs.agent.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Where a source had read to right after its latest append to the disk buffer — newer than its durable state file
 * (file checkpoints, journald cursor), which is saved only over fsynced records. Kept in {@code <state file>.hint},
 * a {@link CrashHintFile} (rewritten in place without fsync: survives {@code kill -9}, maybe not a power loss; its
 * CRC32C covers the content), as {@code {"version":V,"positions":...}}. Each position names the buffer record that holds the lines before
 * it; after a crash a source resumes from a hinted position only when that record survived
 * ({@code DiskBuffer.survivedRestart}), so that it neither re-reads lines already buffered nor skips lost ones.
 *
 * <p>Thread-safe; blocking I/O (call it on the source's worker). The file is created at the first {@link #write}.
 */
public final class PositionHints implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final int version;
    private final Logger log;
    private CrashHintFile file;
    private boolean failureLogged;

    /** Hints beside {@code stateFile}, in the state file's format {@code version}; problems are logged to {@code log}. */
    public PositionHints(Path stateFile, int version, Logger log) {
        this.path = stateFile.resolveSibling(stateFile.getFileName() + ".hint");
        this.version = version;
        this.log = log;
    }

    /** Replaces the hint with {@code positions}. A failure is logged once: it costs duplicates after a crash, never a line. */
    public synchronized void write(JsonNode positions) {
        ObjectNode root = JSON.createObjectNode().put("version", version);
        root.set("positions", positions);
        try {
            if (file == null) {
                file = CrashHintFile.open(path);
            }
            file.write(JSON.writeValueAsBytes(root));
        } catch (IOException | RuntimeException e) {
            if (!failureLogged) {
                failureLogged = true;
                log.warn("could not write position hints {} ({}); a crash will re-read more lines", path, e.toString());
            }
        }
    }

    /**
     * The positions last written, or empty when there are none or they are torn, corrupt or of another version (logged).
     * Removes the file: a hint is used at most once, by the open that follows the crash (its owner then saves what it
     * took over durably).
     */
    public Optional<JsonNode> take() {
        try {
            return read();
        } finally {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.warn("could not remove used position hints {} ({})", path, e.toString());
            }
        }
    }

    private Optional<JsonNode> read() {
        try {
            Optional<byte[]> bytes = CrashHintFile.read(path);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            JsonNode root = JSON.readTree(bytes.get());
            JsonNode positions = root.get("positions");
            if (root.path("version").asInt(-1) != version || positions == null) {
                throw new IOException("another version, or no positions");
            }
            return Optional.of(positions);
        } catch (IOException | RuntimeException e) {
            log.warn("position hints {} unusable ({}); resuming from the saved state", path, e.toString());
            return Optional.empty();
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
