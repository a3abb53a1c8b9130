package foundation.foxlight.skulklogs.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The v1 wire format is frozen: the golden files (written once by {@link GoldenBatchGenerator}) must keep
 * decoding to their JSON content, and that content must keep encoding to the very same bytes.
 */
class GoldenBatchTest {

    static Path goldenDir() throws URISyntaxException {
        return Path.of(GoldenBatchTest.class.getResource("/" + GoldenBatches.DIR).toURI());
    }

    static Stream<String> goldenNames() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(goldenDir())) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".bin"))
                    .map(n -> n.substring(0, n.length() - ".bin".length()))
                    .sorted()
                    .toList();
            return names.stream();
        }
    }

    static byte[] read(String file) throws IOException, URISyntaxException {
        return Files.readAllBytes(goldenDir().resolve(file));
    }

    @Test
    void everyDefinedBatchHasGoldenFiles() throws IOException, URISyntaxException {
        assertThat(goldenNames()).containsExactlyInAnyOrderElementsOf(GoldenBatches.definitions().keySet());
    }

    @ParameterizedTest
    @MethodSource("goldenNames")
    void goldenBytesDecodeToTheirJsonContent(String name) throws Exception {
        EventBatch expected = GoldenBatches.fromJson(read(name + ".json"));

        assertThat(BatchCodec.decode(read(name + ".bin"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("goldenNames")
    void jsonContentEncodesToTheExactGoldenBytes(String name) throws Exception {
        EventBatch content = GoldenBatches.fromJson(read(name + ".json"));

        assertThat(BatchCodec.encode(content)).isEqualTo(read(name + ".bin"));
    }

    @ParameterizedTest
    @MethodSource("goldenNames")
    void jsonContentMatchesTheGeneratorDefinition(String name) throws Exception {
        EventBatch defined = GoldenBatches.definitions().get(name);

        assertThat(GoldenBatches.fromJson(read(name + ".json"))).isEqualTo(defined);
        assertThat(new String(read(name + ".json"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(GoldenBatches.toJson(defined));
    }

    @Test
    void versionTwoIsRejectedWithAClearMessage() throws Exception {
        byte[] bytes = read("skulk-lines.bin");
        bytes[4] = 2;

        Throwable t = catchThrowable(() -> BatchCodec.decode(bytes));

        assertThat(t).isInstanceOf(BatchFormatException.class)
                .hasMessage("unsupported batch format version 2 (this build reads 1)");
    }

    @Test
    void badMagicIsRejectedWithAClearMessage() throws Exception {
        byte[] bytes = read("skulk-lines.bin");
        bytes[0] = 'X';

        Throwable t = catchThrowable(() -> BatchCodec.decode(bytes));

        assertThat(t).isInstanceOf(BatchFormatException.class)
                .hasMessage("not a skulk-logs batch (bad magic 0x584B4C42)");
    }

    @Test
    void goldenJsonIsNotABatch() throws Exception {
        Throwable t = catchThrowable(() -> BatchCodec.decode(read("skulk-lines.json")));

        assertThat(t).isInstanceOf(BatchFormatException.class)
                .hasMessage("not a skulk-logs batch (bad magic 0x7B226E6F)");
    }
}
