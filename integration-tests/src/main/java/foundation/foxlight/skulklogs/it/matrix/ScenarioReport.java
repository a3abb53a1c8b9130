package foundation.foxlight.skulklogs.it.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reliability summary: one row per scenario run, appended to {@code target/reliability/rows.tsv} (the
 * directory is {@code -Dskulk.reliability.dir}, default {@code target/reliability} under the working directory,
 * which is the module's directory under Maven), and rendered as a Markdown table at the end of the run.
 * {@link #record} is safe to call from several threads.
 */
public final class ScenarioReport {
    /** Soak mode ({@code -Dskulk.soak=true}): scenarios run longer and with more lines. */
    public static final boolean SOAK = Boolean.getBoolean("skulk.soak");

    private static final String HEADER = "| scenario | lines written | delivered | duplicates | dead-lettered | dropped (counted) | missing | peak memory (RSS) |";
    private static final String RULE = "|---|---:|---:|---:|---:|---:|---:|---|";

    /**
     * One row.
     *
     * @param scenario     what ran (e.g. "2 agent kill -9 x20")
     * @param written      lines written
     * @param delivered    written lines delivered at least once
     * @param duplicates   extra copies delivered
     * @param deadLettered lines dead-lettered with a reason
     * @param dropped      lines dropped and counted by the pipeline (drop_newest)
     * @param missing      lines lost without a trace (must be 0)
     * @param peakMemory   peak memory per process name, bytes (insertion order kept)
     */
    public record Row(String scenario, long written, long delivered, long duplicates, long deadLettered, long dropped, long missing,
            Map<String, Long> peakMemory) {
    }

    private ScenarioReport() {
    }

    /** The multiplier a test applies to its durations and volumes: 1 normally, {@code factor} in soak mode. */
    public static long soak(long normal, long factor) {
        return SOAK ? normal * factor : normal;
    }

    /** Where the rows and the summary go. */
    public static Path directory() {
        return Path.of(System.getProperty("skulk.reliability.dir", "target/reliability"));
    }

    public static Path rowsFile() {
        return directory().resolve("rows.tsv");
    }

    /** Records a row from an account; the peak memory map is process name to bytes. */
    public static void record(String scenario, DeliveryAccounting.Account account, Map<String, Long> peakMemory) {
        record(new Row(scenario, account.written(), account.delivered(), account.duplicates(), account.deadLettered(),
                account.countedDrops(), account.missing(), peakMemory));
    }

    /** Records one row (appends it to {@link #rowsFile()}) and logs it to standard output. */
    public static synchronized void record(Row row) {
        StringBuilder b = new StringBuilder(clean(row.scenario()));
        for (long n : new long[] {row.written(), row.delivered(), row.duplicates(), row.deadLettered(), row.dropped(), row.missing()}) {
            b.append('\t').append(n);
        }
        b.append('\t');
        boolean first = true;
        for (Map.Entry<String, Long> e : row.peakMemory().entrySet()) {
            b.append(first ? "" : ";").append(clean(e.getKey()).replace('=', '-').replace(';', ',')).append('=').append(e.getValue());
            first = false;
        }
        b.append('\n');
        try {
            Files.createDirectories(directory());
            Files.writeString(rowsFile(), b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the reliability row in " + rowsFile(), e);
        }
        System.out.println("reliability: " + markdownRow(row));
    }

    /** Every row recorded so far (in {@link #rowsFile()}), in order; empty when none. */
    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(rowsFile())) {
            return rows;
        }
        try {
            for (String line : Files.readAllLines(rowsFile(), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                Map<String, Long> peaks = new LinkedHashMap<>();
                if (f.length > 7 && !f[7].isEmpty()) {
                    for (String p : f[7].split(";")) {
                        int eq = p.lastIndexOf('=');
                        peaks.put(p.substring(0, eq), Long.parseLong(p.substring(eq + 1)));
                    }
                }
                rows.add(new Row(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                        Long.parseLong(f[5]), Long.parseLong(f[6]), peaks));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Forgets every recorded row (the start of a run). */
    public static void reset() {
        try {
            Files.deleteIfExists(rowsFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Markdown table of {@code rows}. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder(HEADER).append('\n').append(RULE).append('\n');
        for (Row r : rows) {
            b.append(markdownRow(r)).append('\n');
        }
        return b.toString();
    }

    private static String markdownRow(Row r) {
        StringBuilder mem = new StringBuilder();
        r.peakMemory().forEach((name, bytes) -> mem.append(mem.isEmpty() ? "" : ", ").append(name).append(' ').append(mib(bytes)));
        return "| " + r.scenario().replace("|", "/") + " | " + r.written() + " | " + r.delivered() + " | " + r.duplicates() + " | "
                + r.deadLettered() + " | " + r.dropped() + " | " + r.missing() + " | " + mem + " |";
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }
}
