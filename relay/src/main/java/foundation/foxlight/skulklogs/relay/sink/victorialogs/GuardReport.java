package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the request builder's guards did to one request: how many events each {@link GuardReason}
 * applied to, and how many extra lines (follow-up parts of split events) the request carries.
 * Immutable and thread-safe; build with {@link #builder()}.
 */
public final class GuardReport {
    /** A report with nothing in it. */
    public static final GuardReport EMPTY = new GuardReport(new EnumMap<>(GuardReason.class), 0);

    private final EnumMap<GuardReason, Long> counts;
    private final long extraLines;

    private GuardReport(EnumMap<GuardReason, Long> counts, long extraLines) {
        this.counts = counts;
        this.extraLines = extraLines;
    }

    /** How many events the reason applied to (0 when none). */
    public long count(GuardReason reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** The non-zero counts. */
    public Map<GuardReason, Long> counts() {
        return Collections.unmodifiableMap(counts);
    }

    /** Lines added by splitting too-long events (follow-up parts). */
    public long extraLines() {
        return extraLines;
    }

    /** True when no guard fired and no line was added. */
    public boolean isEmpty() {
        return counts.isEmpty() && extraLines == 0;
    }

    /** The sum of both reports. */
    public GuardReport plus(GuardReport other) {
        EnumMap<GuardReason, Long> sum = new EnumMap<>(counts);
        other.counts.forEach((k, v) -> sum.merge(k, v, Long::sum));
        return new GuardReport(sum, extraLines + other.extraLines);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuardReport r && r.counts.equals(counts) && r.extraLines == extraLines;
    }

    @Override
    public int hashCode() {
        return counts.hashCode() * 31 + Long.hashCode(extraLines);
    }

    @Override
    public String toString() {
        return "GuardReport" + counts + (extraLines == 0 ? "" : " +" + extraLines + " lines");
    }

    /** Accumulates counts. Not thread-safe. */
    public static final class Builder {
        private final EnumMap<GuardReason, Long> counts = new EnumMap<>(GuardReason.class);
        private long extraLines;

        private Builder() {
        }

        public Builder add(GuardReason reason) {
            counts.merge(reason, 1L, Long::sum);
            return this;
        }

        public Builder addExtraLines(long n) {
            extraLines += n;
            return this;
        }

        public GuardReport build() {
            return counts.isEmpty() && extraLines == 0 ? EMPTY : new GuardReport(new EnumMap<>(counts), extraLines);
        }
    }
}
