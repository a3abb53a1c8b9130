package foundation.foxlight.skulklogs.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the golden files from {@link GoldenBatches#definitions()}. Disabled unless asked for; run it only
 * when adding a golden batch, never to "fix" a failing {@link GoldenBatchTest} (that means the v1 format
 * changed, which it must not). See {@code src/test/resources/golden/v1/README.md}.
 */
class GoldenBatchGenerator {
    static final String ENABLE_PROPERTY = "skulklogs.golden.write";

    @Test
    @EnabledIfSystemProperty(named = ENABLE_PROPERTY, matches = "true")
    void writeGoldenFiles() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", GoldenBatches.DIR);
        Files.createDirectories(dir);
        for (Map.Entry<String, EventBatch> e : GoldenBatches.definitions().entrySet()) {
            Files.write(dir.resolve(e.getKey() + ".bin"), BatchCodec.encode(e.getValue()));
            Files.writeString(dir.resolve(e.getKey() + ".json"), GoldenBatches.toJson(e.getValue()),
                    StandardCharsets.UTF_8);
        }
    }
}
