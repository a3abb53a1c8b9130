package foundation.foxlight.skulklogs.it.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * One record of the relay's dead-letter topic ({@code {"reason", "origin", "line" | "raw_base64"}}).
 *
 * @param reason why the relay gave up on it
 * @param line   the written line it held, when the record carries a line with {@code node_id} and {@code seq}
 */
public record DeadLetter(String reason, Optional<LineId> line) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a dead-letter record's value (UTF-8 JSON). */
    public static DeadLetter parse(byte[] value) {
        try {
            JsonNode doc = JSON.readTree(value);
            String reason = doc.path("reason").asText("");
            JsonNode lineText = doc.get("line");
            Optional<LineId> id = Optional.empty();
            if (lineText != null && lineText.isTextual()) {
                id = lineIdOf(lineText.asText());
            }
            return new DeadLetter(reason, id);
        } catch (IOException e) {
            throw new UncheckedIOException("a dead-letter record that is not JSON", e);
        }
    }

    private static Optional<LineId> lineIdOf(String line) {
        try {
            JsonNode event = JSON.readTree(line);
            JsonNode seq = event.get("seq");
            if (seq != null && seq.canConvertToLong()) {
                return Optional.of(new LineId(event.path("node_id").asText(""), seq.asLong()));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // a line that is not JSON carries no sequence number
        }
    }
}
