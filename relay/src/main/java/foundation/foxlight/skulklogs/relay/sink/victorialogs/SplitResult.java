package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import foundation.foxlight.skulklogs.schema.LogEvent;
import java.util.List;
import java.util.Objects;

/**
 * What {@link RejectedLineSplitter} did with a rejected batch. Every input index is in exactly one of
 * {@link #delivered()}, {@link #rejected()} or {@link #pending()}.
 *
 * @param delivered indices (into the input list) of events VictoriaLogs accepted: acknowledge them
 * @param rejected events VictoriaLogs refused even alone (or not isolated within the request budget):
 *     write them to the dead-letter topic, then acknowledge them
 * @param pending indices of events not settled because the split was interrupted (store down, a
 *     misconfiguration answer): resend them later, exactly like a batch that got {@link InsertOutcome.Retry}
 * @param interruptedBy the outcome that stopped the split, or null when it ran to the end
 * @param requests HTTP requests sent
 */
public record SplitResult(
        List<Integer> delivered,
        List<RejectedEvent> rejected,
        List<Integer> pending,
        InsertOutcome interruptedBy,
        int requests) {

    public SplitResult {
        delivered = List.copyOf(delivered);
        rejected = List.copyOf(rejected);
        pending = List.copyOf(pending);
    }

    public int deliveredCount() {
        return delivered.size();
    }

    /** True when every event was delivered or rejected (nothing pending). */
    public boolean isComplete() {
        return pending.isEmpty();
    }

    /**
     * One event VictoriaLogs would not take.
     *
     * @param index position in the input list
     * @param event the event as given (before guards)
     * @param status the HTTP status of the rejection, or 0 when the request could not even be built
     * @param reason the server's message (or why the event was not isolated)
     */
    public record RejectedEvent(int index, LogEvent event, int status, String reason) {
        public RejectedEvent {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
