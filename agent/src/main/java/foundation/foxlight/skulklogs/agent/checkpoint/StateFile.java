package foundation.foxlight.skulklogs.agent.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;

/**
 * Loading of the agent's small versioned JSON state files (file checkpoints, the journald cursor): a missing
 * file is "no state"; one that cannot be used (not JSON, another version, bad checksum, impossible values)
 * is logged, kept aside as {@code <name>.corrupt} and treated as "no state" — the source then re-reads
 * (duplicates are possible, loss is not), and the agent never crash-loops on a bad file. Writing goes
 * through {@link DurableFiles#replace}. Stateless; blocking I/O.
 */
public final class StateFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateFile() {
    }

    /** Parses the file's JSON object after checking its {@code version}; throws IOException (with the reason) for anything else. */
    public interface Reader {
        void read(JsonNode root) throws IOException;
    }

    /** Loads {@code file} into {@code reader}; returns false when there was no usable state. */
    public static boolean load(Path file, int version, String what, Logger log, Reader reader) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new IOException("not a JSON object");
            }
            int v = root.path("version").asInt(-1);
            if (v != version) {
                throw new IOException("unsupported " + what + " version " + v);
            }
            reader.read(root);
            return true;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.error("{} {} unreadable ({}); moved to {} and starting without it", what, file, e.getMessage(), aside);
            return false;
        }
    }

    /** CRC32C of a string's UTF-8 bytes, the checksum the state files carry. */
    public static long crc(String s) {
        CRC32C c = new CRC32C();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }
}
