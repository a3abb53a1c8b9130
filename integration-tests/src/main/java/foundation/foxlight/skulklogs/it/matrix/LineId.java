package foundation.foxlight.skulklogs.it.matrix;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which written line a delivered row is: the simulated node that wrote it and its sequence number there.
 *
 * @param node the writer's node (the {@code node_id} in the line)
 * @param seq  the line's sequence number, unique per node
 */
public record LineId(String node, long seq) {
    private static final Pattern SEQ_IN_TEXT = Pattern.compile("seq[=: ](\\d+)");

    public LineId {
        Objects.requireNonNull(node, "node");
    }

    /**
     * The line a stored row came from: {@code node_id} and the {@code seq} field, else a {@code seq=N} in {@code _msg}
     * (lines kept as text). Empty when the row carries no sequence number.
     */
    public static Optional<LineId> ofRow(Map<String, String> row) {
        String node = row.getOrDefault("node_id", "");
        String seq = row.get("seq");
        if (seq != null) {
            try {
                return Optional.of(new LineId(node, Long.parseLong(seq)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        Matcher m = SEQ_IN_TEXT.matcher(row.getOrDefault("_msg", ""));
        return m.find() ? Optional.of(new LineId(node, Long.parseLong(m.group(1)))) : Optional.empty();
    }

    @Override
    public String toString() {
        return node + "#" + seq;
    }
}
