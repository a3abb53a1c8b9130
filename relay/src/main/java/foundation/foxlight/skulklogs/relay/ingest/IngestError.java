package foundation.foxlight.skulklogs.relay.ingest;

import java.util.Objects;

/**
 * Why a request is refused: the HTTP status and a one-line, human-readable {@code text/plain} message, in
 * the style of VictoriaLogs' own answers. A value, never thrown. Immutable.
 *
 * @param status  the HTTP status (4xx for the client's mistakes, 503 when Kafka did not acknowledge)
 * @param message what is wrong and how to fix it
 */
public record IngestError(int status, String message) {
    public IngestError {
        Objects.requireNonNull(message, "message");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
    }

    static IngestError badRequest(String message) {
        return new IngestError(400, message);
    }
}
