package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;

/**
 * At most {@code limit} insert requests outstanding at once, for all lanes (tenants) of a sink together
 * ({@code batch.max_in_flight}). A request that finds no free slot waits, in arrival order, for the next
 * {@link #release()}. This is what lets the source hand the sink more batches than requests may be outstanding
 * ({@code batch.build_ahead}): their requests are built while earlier ones are out, and the next one is sent the moment
 * one is answered, instead of after it was built.
 *
 * <p>Thread-safe; a waiting acquisition completes on the thread that releases the slot.
 */
final class InsertSlots {
    private final int limit;
    private final ArrayDeque<Promise<Void>> waiting = new ArrayDeque<>();
    private int used;

    InsertSlots(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one insert slot, got " + limit);
        }
        this.limit = limit;
    }

    /** Completes when the caller holds a slot; it must {@link #release()} it once its request was answered. */
    Future<Void> acquire() {
        synchronized (this) {
            if (used < limit) {
                used++;
                return Future.succeededFuture();
            }
            Promise<Void> p = Promise.promise();
            waiting.add(p);
            return p.future();
        }
    }

    /** Frees a slot, or hands it straight to the longest waiting acquisition. */
    void release() {
        Promise<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                if (used == 0) {
                    throw new IllegalStateException("release without acquire");
                }
                used--;
                return;
            }
        }
        next.complete();
    }

    /** Slots held now. */
    synchronized int used() {
        return used;
    }

    /** Acquisitions waiting for a slot now. */
    synchronized int waiting() {
        return waiting.size();
    }
}
