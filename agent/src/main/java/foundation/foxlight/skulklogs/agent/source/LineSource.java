package foundation.foxlight.skulklogs.agent.source;

import io.vertx.core.Future;

/**
 * A source of log lines (files, stdin, journald) that writes them, as encoded batches, into the agent's
 * disk buffer. Its position (file checkpoint, journald cursor) advances only past lines that are durably
 * in the buffer, so a crash at any point re-reads rather than loses.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #stop()} once; both complete on the caller's context.
 * Blocking I/O runs on the source's own worker, never on an event loop.
 */
public interface LineSource {
    /** Human description for logs and status: {@code file /home/me/.skulk/logs/skulk.stdout.log}. */
    String describe();

    Future<Void> start();

    /** Called periodically (on a worker) with the highest buffer record id that is durable; persists the source position. */
    void commitDurable(long durableBufferId) throws java.io.IOException;

    /**
     * What keeps this source from reading right now (a file it cannot read, say), for {@code /health}; null while it
     * reads normally. Any thread.
     */
    default String problem() {
        return null;
    }

    /** Stops reading; the position of the lines already buffered is kept for the next start. */
    Future<Void> stop();
}
