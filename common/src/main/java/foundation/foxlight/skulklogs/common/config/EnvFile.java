package foundation.foxlight.skulklogs.common.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a shell-style env file such as Skulk's {@code ~/.skulk/skulk.env} ({@code KEY=value},
 * optional {@code export}, quotes, {@code #} comments) and layers it under the process environment:
 * a variable set in the environment wins over the file.
 *
 * <p>Values follow the shell's quoting, because the file is also {@code source}d by a shell: single
 * quotes keep everything literally; double quotes keep everything except the escapes {@code \"}
 * {@code \\} {@code \$} and {@code \`}; unquoted, a {@code #} that starts a word begins a comment
 * ({@code KEY=value # note} is {@code value}, {@code KEY=a#b} is {@code a#b}). Variable references
 * ({@code $HOME}) are not expanded. A line that cannot be understood is skipped.
 */
public final class EnvFile {
    private EnvFile() {
    }

    public static Map<String, String> read(Path file) throws IOException {
        // Invalid UTF-8 must not make the whole file unreadable: such bytes become U+FFFD.
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\r?\n|\r", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export") && line.length() > 6 && Character.isWhitespace(line.charAt(6))) {
                line = line.substring(6).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            out.put(key, value(line.substring(eq + 1)));
        }
        return out;
    }

    /** The value part of a line (after the {@code =}), unquoted as a shell would; a trailing comment removed. */
    static String value(String text) {
        StringBuilder v = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                if (close < 0) {
                    return text; // unterminated quote: keep the raw text
                }
                v.append(text, i + 1, close);
                i = close + 1;
            } else if (c == '"') {
                int j = i + 1;
                StringBuilder q = new StringBuilder();
                boolean closed = false;
                while (j < n) {
                    char d = text.charAt(j);
                    if (d == '\\' && j + 1 < n && "\"\\$`".indexOf(text.charAt(j + 1)) >= 0) {
                        q.append(text.charAt(j + 1));
                        j += 2;
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        q.append(d);
                        j++;
                    }
                }
                if (!closed) {
                    return text;
                }
                v.append(q);
                i = j + 1;
            } else if (Character.isWhitespace(c)) {
                int j = i;
                while (j < n && Character.isWhitespace(text.charAt(j))) {
                    j++;
                }
                if (j == n || text.charAt(j) == '#') {
                    break; // trailing blanks, or a comment
                }
                if (i > 0) {
                    v.append(text, i, j); // KEY=a b: lenient, keep the words together
                }
                i = j;
            } else if (c == '\\' && i + 1 < n) {
                v.append(text.charAt(i + 1));
                i += 2;
            } else {
                v.append(c);
                i++;
            }
        }
        return v.toString();
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
