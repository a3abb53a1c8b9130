package foundation.foxlight.skulklogs.relay.sink.victorialogs.testing;

import com.github.luben.zstd.ZstdInputStream;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Decodes a request body back into its lines. */
public final class BodyLines {
    private BodyLines() {
    }

    public static byte[] plainBody(VictoriaLogsRequest request) {
        byte[] raw = request.body().getBytes();
        try {
            return switch (request.compression()) {
                case NONE -> raw;
                case GZIP -> new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
                case ZSTD -> new ZstdInputStream(new ByteArrayInputStream(raw)).readAllBytes();
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines, without their newline; asserts that the body ends with one. */
    public static List<String> of(VictoriaLogsRequest request) {
        String text = new String(plainBody(request), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        if (text.isEmpty()) {
            return lines;
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("body does not end with a newline");
        }
        for (String l : text.substring(0, text.length() - 1).split("\n", -1)) {
            lines.add(l);
        }
        return lines;
    }
}
