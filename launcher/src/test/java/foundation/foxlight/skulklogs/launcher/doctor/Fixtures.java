package foundation.foxlight.skulklogs.launcher.doctor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test material: Skulk's JSON lines, closed ports, the common doctor arguments for a temp directory. */
final class Fixtures {
    private Fixtures() {
    }

    /** A port on 127.0.0.1 that nothing listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** One line exactly as Skulk's JSON sink writes it. */
    static String skulkLine(int i, String msg) {
        return "{\"ts\": \"" + Instant.now() + "\", \"level\": \"INFO\", \"node_id\": \"laptop-1\", \"component\": \"worker\", "
                + "\"module\": \"skulk.worker.runner\", \"function\": \"run\", \"line\": " + i + ", \"msg\": \"" + msg + "\"}\n";
    }

    static Path skulkLog(Path dir, int lines) throws IOException {
        Path f = dir.resolve("skulk.stdout.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append(skulkLine(i, "step " + i));
        }
        Files.writeString(f, sb);
        return f;
    }

    static Path envFile(Path dir, String content) throws IOException {
        Path f = dir.resolve("skulk.env");
        Files.writeString(f, content);
        return f;
    }

    /**
     * {@code --env-file}, {@code --state-dir}, {@code --file}, and agent, relay, VictoriaLogs and Kafka addresses
     * where nothing listens, a 2 s timeout; {@code more} holds option/value pairs that replace those or add to them.
     */
    static List<String> args(Path dir, Path logFile, String... more) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("--env-file", dir.resolve("skulk.env").toString());
        a.put("--state-dir", dir.resolve("state").toString());
        a.put("--file", logFile.toString());
        a.put("--kafka", "127.0.0.1:" + closedPort());
        a.put("--agent-http", "127.0.0.1:" + closedPort());
        a.put("--relay", "http://127.0.0.1:" + closedPort());
        a.put("--victorialogs", "http://127.0.0.1:" + closedPort());
        a.put("--timeout", "2");
        for (int i = 0; i + 1 < more.length; i += 2) {
            a.put(more[i], more[i + 1]);
        }
        List<String> out = new ArrayList<>();
        a.forEach((k, v) -> {
            out.add(k);
            out.add(v);
        });
        return out;
    }

    static String[] array(List<String> a) {
        return a.toArray(String[]::new);
    }
}
