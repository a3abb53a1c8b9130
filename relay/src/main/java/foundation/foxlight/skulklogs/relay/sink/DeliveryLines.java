package foundation.foxlight.skulklogs.relay.sink;

import foundation.foxlight.skulklogs.schema.LogEvent;
import java.util.List;

/**
 * The lines of one delivery, which a sink may read more than once: to build its request, and again only to
 * resend or split it. A source that can decode its lines again (the Kafka source, from the records' bytes) lets
 * the decoded events go once the request is built, so that while requests are in flight or waiting to be retried
 * the relay holds the records' bytes, not tens of thousands of decoded events (its GC live set).
 *
 * <p>{@link #read()} may be CPU work (decoding): call it on a worker thread, never on an event loop. Every read
 * returns the same lines in the same order.
 */
public interface DeliveryLines {
    /** How many lines {@link #read()} returns; cheap, callable on any thread. */
    int count();

    /** The lines, in order (possibly decoded again; see the class comment). */
    List<LogEvent> read();

    /** Lines held as they are (no decoding; nothing is let go). */
    static DeliveryLines of(List<LogEvent> events) {
        return new DeliveryLines() {
            @Override
            public int count() {
                return events.size();
            }

            @Override
            public List<LogEvent> read() {
                return events;
            }
        };
    }
}
