package foundation.foxlight.skulklogs.schema;

/** Bytes that are not a batch this version understands: wrong magic, unknown version, or corrupt content. */
public class BatchFormatException extends Exception {
    public BatchFormatException(String message) {
        super(message);
    }

    public BatchFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
