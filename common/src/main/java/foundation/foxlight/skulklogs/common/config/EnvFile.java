package foundation.foxlight.skulklogs.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a shell-style env file such as Skulk's {@code ~/.skulk/skulk.env} ({@code KEY=value},
 * optional {@code export}, quotes, {@code #} comments) and layers it under the process environment:
 * a variable set in the environment wins over the file.
 */
public final class EnvFile {
    private EnvFile() {
    }

    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            out.put(key, value);
        }
        return out;
    }

    /** The process environment, falling back to {@code file} when it exists (unreadable: ignored, as absent). */
    public static Function<String, String> layered(Map<String, String> environment, Path file) {
        Map<String, String> fromFile = Map.of();
        if (file != null && Files.isReadable(file)) {
            try {
                fromFile = read(file);
            } catch (IOException e) {
                fromFile = Map.of();
            }
        }
        Map<String, String> f = fromFile;
        return k -> environment.containsKey(k) ? environment.get(k) : f.get(k);
    }
}
