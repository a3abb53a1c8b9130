package foundation.foxlight.skulklogs.common.telemetry;

import io.vertx.core.Future;
import java.io.IOException;
import java.util.function.Function;

/**
 * A server that cannot listen says on which address and from which setting: "Address already in use" alone does not
 * say which port. Stateless.
 */
public final class Listening {
    private Listening() {
    }

    /** For {@code Future.recover}: an I/O failure is wrapped in one naming {@code address} and {@code setting}; others pass. */
    public static <T> Function<Throwable, Future<T>> failure(String setting, String address) {
        return t -> Future.failedFuture(t instanceof IOException
                ? new IOException("cannot listen on " + address + " (" + setting + "): " + t.getMessage(), t) : t);
    }
}
