package foundation.foxlight.skulklogs.relay.ingest;

import foundation.foxlight.skulklogs.schema.BatchCodec;
import foundation.foxlight.skulklogs.schema.BatchFormatException;
import foundation.foxlight.skulklogs.schema.EventBatch;
import foundation.foxlight.skulklogs.schema.LogEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RecordPublisher} the test controls: it acknowledges at once, fails at once, or leaves each record
 * pending ({@link Mode#HOLD}) until the test calls {@link #ack}/{@link #fail}. Its promises have no Vert.x
 * context, so completing one from the test thread runs the handler's callbacks on that thread before
 * {@code ack} returns: what the handler does on an acknowledgement can be checked right after it.
 */
final class FakePublisher implements RecordPublisher {
    enum Mode { ACK, FAIL, HOLD }

    record Published(String key, byte[] value, Promise<Void> promise) {
        EventBatch batch() {
            try {
                return BatchCodec.decode(value);
            } catch (BatchFormatException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.ACK;

    FakePublisher mode(Mode m) {
        this.mode = m;
        return this;
    }

    @Override
    public Future<Void> publish(String key, byte[] value) {
        Promise<Void> p = Promise.promise();
        published.add(new Published(key, value, p));
        switch (mode) {
            case ACK -> p.complete();
            case FAIL -> p.fail(new IllegalStateException("broker down (fake)"));
            case HOLD -> { }
        }
        return p.future();
    }

    int size() {
        return published.size();
    }

    Published get(int i) {
        return published.get(i);
    }

    void ack(int i) {
        published.get(i).promise().complete();
    }

    void fail(int i, Throwable t) {
        published.get(i).promise().fail(t);
    }

    /** Every event of every record, in publish order. */
    List<LogEvent> events() {
        List<LogEvent> out = new ArrayList<>();
        for (Published p : published) {
            out.addAll(p.batch().events());
        }
        return out;
    }
}
