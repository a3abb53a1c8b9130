package foundation.foxlight.skulklogs.relay.ingest;

import java.util.Objects;

/**
 * Either a value or an {@link IngestError}: what the pure parsing steps return instead of throwing.
 * Immutable.
 *
 * @param value the value, or null when this is an error
 * @param error the error, or null when this is a value
 */
public record Outcome<T>(T value, IngestError error) {
    public Outcome {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of value and error must be set");
        }
    }

    public static <T> Outcome<T> ok(T value) {
        return new Outcome<>(Objects.requireNonNull(value, "value"), null);
    }

    public static <T> Outcome<T> failed(IngestError error) {
        return new Outcome<>(null, Objects.requireNonNull(error, "error"));
    }

    public static <T> Outcome<T> failed(int status, String message) {
        return failed(new IngestError(status, message));
    }

    public boolean isOk() {
        return error == null;
    }
}
