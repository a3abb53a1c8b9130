/**
 * The VictoriaLogs sink of the relay, split the way Vector splits a sink:
 * <ul>
 *   <li>{@link foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSinkConfig} — validated
 *       settings ({@code validate()} lists every problem);</li>
 *   <li>{@link foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsRequestBuilder} — events
 *       to one ndjson request, with guards so that VictoriaLogs never answers 200 while dropping a line
 *       (pure, run it on a worker thread);</li>
 *   <li>{@link foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsService} — one HTTP call,
 *       the outcome as a value
 *       ({@link foundation.foxlight.skulklogs.relay.sink.victorialogs.InsertOutcome}, classified by
 *       {@link foundation.foxlight.skulklogs.relay.sink.victorialogs.RetryClassifier});</li>
 *   <li>{@link foundation.foxlight.skulklogs.relay.sink.victorialogs.RejectedLineSplitter} — bisects a
 *       refused batch into delivered, rejected (dead-letter) and pending events;</li>
 *   <li>{@link foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsHealthCheck} —
 *       {@code GET /health}.</li>
 * </ul>
 *
 * <p>Delivery contract: the caller acknowledges an event (commits its Kafka offset) only after a
 * {@code Delivered} outcome for a request containing it, or after writing it to the dead-letter topic
 * when it was rejected. {@code Retry} and pending events are resent; a re-send may store a line twice
 * (VictoriaLogs does not de-duplicate; {@code log.event_id} lets queries spot replays), never zero
 * times. Nothing in this package acknowledges anything.
 */
package foundation.foxlight.skulklogs.relay.sink.victorialogs;
