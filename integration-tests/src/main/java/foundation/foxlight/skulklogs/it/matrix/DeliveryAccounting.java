package foundation.foxlight.skulklogs.it.matrix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The exact account of a scenario: which lines were written (per node, by sequence number) against what was
 * found — rows in the store, dead-letter records, lines the pipeline dropped and counted — giving delivered,
 * duplicates, dead-lettered (by reason) and missing, with the first missing ranges spelled out.
 *
 * <p>Register what was written with {@link #written}, then call {@link #account} as often as needed (e.g. inside
 * an Awaitility condition): it does not change this object. Not thread-safe.
 */
public final class DeliveryAccounting {
    private static final int RANGES_SHOWN = 8;

    /** Per node, the written sequence numbers as half-open ranges {@code [from, to)}. */
    private final Map<String, List<long[]>> written = new LinkedHashMap<>();
    private long countedDrops;

    /** Lines {@code 0 .. count-1} of {@code node} were written. */
    public DeliveryAccounting written(String node, long count) {
        return written(node, 0, count);
    }

    /** Lines {@code from .. to-1} of {@code node} were written. */
    public DeliveryAccounting written(String node, long from, long to) {
        if (to > from) {
            written.computeIfAbsent(node, n -> new ArrayList<>()).add(new long[] {from, to});
        }
        return this;
    }

    /**
     * The pipeline dropped this many lines and counted them (e.g. {@code skulk_agent_lines_dropped_total} in
     * {@code drop_newest} mode): that many lines not found are accounted for, not missing.
     */
    public DeliveryAccounting countedDrops(long n) {
        countedDrops = n;
        return this;
    }

    /** How many lines were written, over every node. */
    public long writtenTotal() {
        long n = 0;
        for (List<long[]> ranges : written.values()) {
            for (long[] r : ranges) {
                n += r[1] - r[0];
            }
        }
        return n;
    }

    /** {@link #account} from store rows, identified with {@link LineId#ofRow}. */
    public Account accountRows(Collection<Map<String, String>> rows, Collection<DeadLetter> deadLetters) {
        List<LineId> delivered = new ArrayList<>(rows.size());
        long unidentified = 0;
        for (Map<String, String> row : rows) {
            var id = LineId.ofRow(row);
            if (id.isPresent()) {
                delivered.add(id.get());
            } else {
                unidentified++;
            }
        }
        return account(delivered, deadLetters, unidentified);
    }

    /**
     * The account of what was found.
     *
     * @param delivered   one entry per delivered copy of a line (a line stored twice appears twice)
     * @param deadLetters the dead-letter records found (those without a line still count under their reason)
     */
    public Account account(Collection<LineId> delivered, Collection<DeadLetter> deadLetters) {
        return account(delivered, deadLetters, 0);
    }

    private Account account(Collection<LineId> delivered, Collection<DeadLetter> deadLetters, long unidentified) {
        Map<LineId, Integer> copies = new HashMap<>(delivered.size() * 2);
        for (LineId id : delivered) {
            copies.merge(id, 1, Integer::sum);
        }
        Set<LineId> dead = new HashSet<>();
        Map<String, Long> reasons = new TreeMap<>();
        for (DeadLetter d : deadLetters) {
            reasons.merge(d.reason(), 1L, Long::sum);
            d.line().ifPresent(dead::add);
        }
        long deliveredLines = 0;
        long duplicates = 0;
        long deadLettered = 0;
        long notFound = 0;
        long expectedCopies = 0;
        Map<String, List<long[]>> missing = new LinkedHashMap<>();
        Map<String, List<long[]>> twice = new LinkedHashMap<>();
        for (Map.Entry<String, List<long[]>> node : written.entrySet()) {
            for (long[] range : node.getValue()) {
                for (long seq = range[0]; seq < range[1]; seq++) {
                    LineId id = new LineId(node.getKey(), seq);
                    Integer n = copies.get(id);
                    if (n != null) {
                        deliveredLines++;
                        duplicates += n - 1;
                        if (n > 1) {
                            addToRanges(twice.computeIfAbsent(node.getKey(), k -> new ArrayList<>()), seq);
                        }
                        expectedCopies += n;
                    } else if (dead.contains(id)) {
                        deadLettered++;
                    } else {
                        notFound++;
                        addToRanges(missing.computeIfAbsent(node.getKey(), k -> new ArrayList<>()), seq);
                    }
                }
            }
        }
        long unexpected = delivered.size() - expectedCopies;
        return new Account(writtenTotal(), deliveredLines, duplicates, deadLettered, reasons, notFound, countedDrops, unexpected,
                unidentified, describe(missing), describe(twice));
    }

    private static void addToRanges(List<long[]> ranges, long seq) {
        if (!ranges.isEmpty()) {
            long[] last = ranges.get(ranges.size() - 1);
            if (last[1] == seq) {
                last[1] = seq + 1;
                return;
            }
        }
        ranges.add(new long[] {seq, seq + 1});
    }

    private static String describe(Map<String, List<long[]>> missing) {
        if (missing.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<long[]>> node : missing.entrySet()) {
            List<long[]> ranges = node.getValue();
            long lines = ranges.stream().mapToLong(r -> r[1] - r[0]).sum();
            b.append(b.isEmpty() ? "" : "; ").append(node.getKey()).append(": ").append(lines).append(" lines in ").append(ranges.size())
                    .append(" ranges, first ");
            for (int i = 0; i < Math.min(RANGES_SHOWN, ranges.size()); i++) {
                long[] r = ranges.get(i);
                b.append(i == 0 ? "" : ", ").append(r[1] - r[0] == 1 ? String.valueOf(r[0]) : r[0] + "-" + (r[1] - 1));
            }
            if (ranges.size() > RANGES_SHOWN) {
                b.append(", ...");
            }
        }
        return b.toString();
    }

    /**
     * One scenario's account.
     *
     * @param written           lines written
     * @param delivered         written lines found in the store at least once
     * @param duplicates        extra copies of written lines in the store (a line stored 3 times counts 2)
     * @param deadLettered      written lines not in the store but in the dead-letter topic
     * @param deadLetterReasons every dead-letter record found, by reason (including records holding no written line)
     * @param notFound          written lines neither delivered nor dead-lettered
     * @param countedDrops      lines the pipeline reported as dropped (counted by a metric)
     * @param unexpected        delivered rows naming a line that was never written
     * @param unidentified      delivered rows without a sequence number
     * @param missingRanges     the first ranges of lines not found, per node ("none" when every line was found)
     * @param duplicateRanges   the first ranges of lines delivered more than once, per node ("none" when none was)
     */
    public record Account(long written, long delivered, long duplicates, long deadLettered, Map<String, Long> deadLetterReasons,
            long notFound, long countedDrops, long unexpected, long unidentified, String missingRanges, String duplicateRanges) {

        /** Lines lost without a trace: not found and not covered by a counted drop. Must be 0 (negative: more counted than lost). */
        public long missing() {
            return notFound - countedDrops;
        }

        /** Whether every written line was delivered or dead-lettered (no counted drop needed). */
        public boolean everyLineFound() {
            return notFound == 0;
        }

        @Override
        public String toString() {
            return "written " + written + ", delivered " + delivered + ", duplicates " + duplicates + " (" + duplicateRanges + ")"
                    + ", dead-lettered " + deadLettered
                    + " " + deadLetterReasons + ", counted drops " + countedDrops + ", not found " + notFound + " (missing " + missing()
                    + ": " + missingRanges + "), unexpected rows " + unexpected + ", rows without seq " + unidentified;
        }
    }
}
