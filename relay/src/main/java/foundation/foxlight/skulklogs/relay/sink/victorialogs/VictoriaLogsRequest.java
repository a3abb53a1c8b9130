package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * One ready-to-send insert request: what {@link VictoriaLogsRequestBuilder#build} produced for a list of
 * events. Carries no acknowledgement handles: the caller keeps the events (and their acks) next to it
 * and acknowledges them only when {@link VictoriaLogsService#send} answers {@link InsertOutcome.Delivered}.
 *
 * <p>Immutable by convention: do not modify the body buffer; the request may be sent several times
 * (retries) and every send must carry the same bytes.
 *
 * @param uri absolute URI of {@code /insert/jsonline} with its query
 * @param headers request headers ({@code Content-Type}, {@code Content-Encoding}, tenant headers)
 * @param body the ndjson body, compressed per {@code compression}
 * @param compression how the body is compressed
 * @param eventCount events the request was built from
 * @param lineCount ndjson lines in the body (more than {@code eventCount} when events were split)
 * @param uncompressedBytes body size before compression, newlines included
 * @param guards what the guards changed or noticed
 */
public record VictoriaLogsRequest(
        String uri,
        Map<String, String> headers,
        Buffer body,
        VictoriaLogsSinkConfig.Compression compression,
        int eventCount,
        int lineCount,
        long uncompressedBytes,
        GuardReport guards) {

    public VictoriaLogsRequest {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "VictoriaLogsRequest[" + uri + ", events=" + eventCount + ", lines=" + lineCount + ", bytes="
                + uncompressedBytes + (compression == VictoriaLogsSinkConfig.Compression.NONE ? "" : ", sent=" + body.length())
                + ", " + guards + "]";
    }
}
