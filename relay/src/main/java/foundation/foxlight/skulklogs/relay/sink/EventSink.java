package foundation.foxlight.skulklogs.relay.sink;

import io.vertx.core.Future;

/**
 * Where the relay delivers events (VictoriaLogs). The delivery contract, as in Vector: the returned future
 * completes successfully ONLY when every event of the batch has been accepted by the destination or
 * written to the dead-letter topic with its reason. Retryable failures (store down, 429, 503, timeouts)
 * never fail the future: the sink retries with backoff until it succeeds or is {@link #stop() stopped},
 * and a stopped sink fails outstanding deliveries (their records are then not acknowledged, and are
 * delivered again by whoever owns the partition next).
 *
 * <p>Called on the relay's event loop; implementations must not block it.
 */
public interface EventSink {
    /**
     * Delivers one batch (see the contract above). The sink reads {@code lines} on worker threads, as often as it
     * needs (build, resend, split), and keeps no decoded events between those reads.
     */
    Future<Void> deliver(DeliveryLines lines);

    /** Fails outstanding and future deliveries; idempotent. */
    void stop();
}
