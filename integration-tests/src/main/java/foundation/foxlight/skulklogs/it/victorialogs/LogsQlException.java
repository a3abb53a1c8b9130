package foundation.foxlight.skulklogs.it.victorialogs;

/** A LogsQL query the stand-in cannot run: a syntax error or syntax outside its subset. Answered with 400. */
final class LogsQlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LogsQlException(String message) {
        super(message);
    }
}
