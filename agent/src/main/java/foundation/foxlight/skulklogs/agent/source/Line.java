package foundation.foxlight.skulklogs.agent.source;

/**
 * One line framed out of a byte stream, without its terminator.
 *
 * @param bytes       the line's bytes (a {@code \r} before the {@code \n} removed)
 * @param startOffset stream offset of the line's first byte
 * @param endOffset   stream offset just past the line (and its terminator): where reading resumes
 * @param kind        how the line ended
 */
public record Line(byte[] bytes, long startOffset, long endOffset, Kind kind) {
    public enum Kind {
        /** Ended by a newline. */
        COMPLETE,
        /** A piece of a line longer than the maximum; the rest follows in further pieces. */
        SPLIT,
        /** No newline came within the partial-line timeout (or before end of stream); shipped as is. */
        PARTIAL
    }
}
