package foundation.foxlight.skulklogs.launcher.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import foundation.foxlight.skulklogs.common.config.Bytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code logfile}: one file the agent tails exists, is readable, is not empty, was written recently, is not
 * huge, and its last lines are Skulk's JSON ({@code ts}, {@code level}, {@code node_id}, {@code component},
 * {@code msg}) without ANSI escape codes. Reads only the file's last {@value #TAIL_BYTES} bytes.
 */
record LogFileCheck(DoctorContext ctx, Path file) implements Check {
    static final int TAIL_BYTES = 256 * 1024;
    static final int LINES = 20;
    static final Duration STALE = Duration.ofMinutes(10);
    static final long HUGE_BYTES = 1L << 30;
    private static final List<String> SKULK_KEYS = List.of("ts", "level", "node_id", "component", "msg");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "logfile";
    }

    private String env() {
        return ctx.envFileName();
    }

    @Override
    public CheckResult run() throws IOException {
        String jsonFix = "set SKULK_LOGGING_EXTERNAL=1 in " + env() + " and restart Skulk (without it Skulk prints no JSON on stdout)";
        if (!Files.exists(file)) {
            return CheckResult.fail(name(), file + " does not exist", "start Skulk with SKULK_LOGGING_EXTERNAL=1 in " + env()
                    + " (its service writes stdout there), or point SKULK_LOG_FILE / sources.files.include at the file Skulk writes");
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            return CheckResult.fail(name(), file + " is not a readable file", "run the agent as the user that owns it (" + ownerOf(file) + ")");
        }
        long size = Files.size(file);
        Findings f = new Findings(name());
        Duration age = Duration.between(Files.getLastModifiedTime(file).toInstant(), ctx.settings().clock().instant());
        f.fact(file + ": " + Bytes.human(size) + ", written " + ago(age));
        if (size == 0) {
            return f.fail("it is empty: Skulk writes nothing to it", jsonFix + "; check that Skulk runs").result();
        }
        if (age.compareTo(STALE) > 0) {
            f.warn("nothing written for " + ago(age).replace(" ago", ""), "is Skulk running? (" + skulkStatusCommand()
                    + "); a quiet Skulk is fine, a stopped one or SKULK_LOGGING_EXTERNAL unset in " + env() + " is not");
        }
        if (size > HUGE_BYTES) {
            f.warn("it is " + Bytes.human(size) + ": Skulk cuts it only when it restarts (a 29 GB log once filled a disk)",
                    "find what floods it (ANSI escapes, a loop), and restart Skulk once the agent caught up (it keeps the last 5 MB)");
        }
        List<String> lines = lastLines(size);
        if (lines.isEmpty()) {
            f.warn("its last " + Bytes.human(Math.min(size, TAIL_BYTES)) + " hold no complete line (blank, or one very long line)",
                    "lines over sources.files.max_line_bytes are cut into flagged pieces; check what Skulk prints");
            return f.result();
        }
        int json = 0;
        int skulkShaped = 0;
        int ansi = 0;
        String firstNonJson = null;
        for (String line : lines) {
            if (line.indexOf('\u001b') >= 0 || line.contains("\\u001b")) {
                ansi++;
            }
            JsonNode node = parseObject(line);
            if (node == null) {
                firstNonJson = firstNonJson == null ? line : firstNonJson;
                continue;
            }
            json++;
            if (SKULK_KEYS.stream().allMatch(node::has)) {
                skulkShaped++;
            }
        }
        int n = lines.size();
        if (json == 0) {
            f.fail("its last " + n + " line(s) are not JSON (e.g. \"" + abbreviate(firstNonJson) + "\")", jsonFix);
        } else if (skulkShaped == 0) {
            f.warn("its last " + n + " line(s) are JSON but lack Skulk's keys " + SKULK_KEYS + ": is it Skulk's stdout?",
                    "point SKULK_LOG_FILE / sources.files.include at the file Skulk's service writes stdout to");
        } else if (json < n) {
            String what = (n - json) + " of its last " + n + " lines are not JSON (kept as text, e.g. \"" + abbreviate(firstNonJson) + "\")";
            if (2 * (n - json) > n) {
                f.warn(what, "check what prints plain text to Skulk's stdout (a crash, a tool); " + jsonFix);
            } else {
                f.fact(what);
            }
        } else {
            f.fact("its last " + n + " line(s) are Skulk JSON");
        }
        if (ansi > 0) {
            f.warn(ansi + " of its last " + n + " lines contain ANSI escape codes", "set sources.strip_ansi: true in the agent config "
                    + "(or stop Skulk colouring its output)");
        }
        return f.result();
    }

    /** The last {@value #LINES} complete, non-blank lines among the last {@value #TAIL_BYTES} bytes. */
    private List<String> lastLines(long size) throws IOException {
        int n = (int) Math.min(size, TAIL_BYTES);
        ByteBuffer buf = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = size - n;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) {
                    break;
                }
            }
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        String[] parts = text.split("\n", -1);
        int from = size > n ? 1 : 0; // the first piece started before what was read
        // The last piece is unterminated: a line being written. It is a line of its own only when the file ends without one.
        int to = parts.length - 1;
        List<String> out = new ArrayList<>();
        for (int i = to - 1; i >= from && out.size() < LINES; i--) {
            String l = parts[i].strip();
            if (!l.isEmpty()) {
                out.add(0, l);
            }
        }
        if (out.isEmpty() && from <= to && !parts[to].isBlank() && size <= n) {
            out.add(parts[to].strip());
        }
        return out;
    }

    private static JsonNode parseObject(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String skulkStatusCommand() {
        return switch (ctx.settings().os()) {
            case MAC -> "launchctl list foundation.foxlight.skulk";
            case LINUX -> "systemctl --user status skulk";
            case OTHER -> "is its process running?";
        };
    }

    private static String ownerOf(Path p) {
        try {
            return Files.getOwner(p).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        if (s < 2 * 86400) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " days ago";
    }

    private static String abbreviate(String s) {
        String clean = s.replace("\u001b", "\\e");
        return clean.length() <= 60 ? clean : clean.substring(0, 57) + "...";
    }
}
