package foundation.foxlight.skulklogs.common.telemetry;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * One readiness condition of a running component (buffer open, Kafka reachable, VictoriaLogs healthy).
 *
 * <p>{@link #check()} is called on an event loop and must not block; it completes with a status, never
 * fails (a failure to check is itself a "down" status with the reason).
 */
public interface HealthCheck {
    /** Short stable name, e.g. {@code kafka}. */
    String name();

    Future<Status> check();

    /** A check that knows its status at once, from state it reads without blocking. */
    static HealthCheck of(String name, Supplier<Status> status) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Future<Status> check() {
                return Future.succeededFuture(status.get());
            }
        };
    }

    /** The outcome of a check: up or not, and a sentence a person can act on. */
    record Status(boolean up, String detail) {
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }
}
