/**
 * The relay's VictoriaLogs-compatible HTTP ingest endpoint: {@code POST /insert/jsonline} with the same args,
 * headers and encodings as VictoriaLogs, stored into the log topic through Kafka (answered 200 only after
 * Kafka acknowledged every record of the request).
 *
 * <p>Pieces: {@link foundation.foxlight.skulklogs.relay.ingest.IngestConfig} (settings, {@code validate()}),
 * {@link foundation.foxlight.skulklogs.relay.ingest.IngestRequestParser} (pure reading of a request),
 * {@link foundation.foxlight.skulklogs.relay.ingest.IngestNormalizer} (canonical fields),
 * {@code IngestBatcher} (events to encoded batches), {@link foundation.foxlight.skulklogs.relay.ingest.RecordPublisher}
 * / {@link foundation.foxlight.skulklogs.relay.ingest.KafkaRecordPublisher} (Kafka),
 * {@link foundation.foxlight.skulklogs.relay.ingest.IngestHandler} and
 * {@link foundation.foxlight.skulklogs.relay.ingest.IngestServer} (Vert.x HTTP),
 * {@link foundation.foxlight.skulklogs.relay.ingest.IngestMetrics}.
 *
 * <h2>Deliberate differences from VictoriaLogs</h2>
 * <ul>
 *   <li>Form content types ({@code application/x-www-form-urlencoded}, {@code multipart/form-data}) are
 *       answered 415 with advice; VictoriaLogs answers 200 and stores nothing.</li>
 *   <li>Lines that are not JSON objects are kept as raw text with {@code log.parse_error}; VictoriaLogs drops
 *       them (or answers 400 when no line parses).</li>
 *   <li>Lines over {@code ingest.max_line_bytes} are kept truncated with {@code log.truncated_from_bytes};
 *       VictoriaLogs skips them silently (and sometimes the lines after them).</li>
 *   <li>Events are normalized to {@code msg}/{@code ts}/{@code node_id}/{@code component} (see
 *       {@link foundation.foxlight.skulklogs.relay.ingest.IngestNormalizer}); fields that would be overwritten
 *       are kept as {@code log.displaced.*}; missing times become the relay's receive time, not the store's
 *       insert time.</li>
 *   <li>{@code snappy} is not decoded (400); {@code ignore_fields}/{@code decolorize_fields} see top-level
 *       names only.</li>
 *   <li>A bearer token is required beyond loopback; 413 for bodies over {@code ingest.max_body_bytes}
 *       after decompression; 503 when Kafka does not acknowledge in time or too many requests are in flight.</li>
 *   <li>{@code debug} logs the first 10 normalized events instead of every row.</li>
 * </ul>
 */
package foundation.foxlight.skulklogs.relay.ingest;
