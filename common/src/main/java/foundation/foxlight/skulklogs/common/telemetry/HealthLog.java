package foundation.foxlight.skulklogs.common.telemetry;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Says in the service's own log what {@code /health} says of its remote dependencies (Kafka, VictoriaLogs): a WARN when
 * a check goes down, with its detail, again every {@link #REMINDER} while it stays down, and an INFO when it is up
 * again, with how long it was down. An idle relay or agent whose Kafka went away otherwise logs nothing until it has
 * something to send.
 *
 * <p>Lifecycle: {@link #start} runs the checks every {@link #INTERVAL} on the caller's event loop (checks never block;
 * the first run is one interval after the start, so a dependency still starting up is not reported); {@link #stop}
 * cancels it. {@link Transitions} is the decision alone, for tests.
 */
public final class HealthLog {
    /** How often the checks run. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);
    /** While a check stays down, its WARN is repeated this often. */
    public static final Duration REMINDER = Duration.ofMinutes(10);

    private final Vertx vertx;
    private final List<HealthCheck> checks;
    private final Logger log;
    private final Transitions transitions = new Transitions(REMINDER.toMillis());
    private long timer = -1;
    private volatile boolean stopped;

    /** @param log the owning component's logger, so the lines say whose dependency it is */
    public HealthLog(Vertx vertx, List<HealthCheck> checks, Logger log) {
        this.vertx = vertx;
        this.checks = List.copyOf(checks);
        this.log = log;
    }

    public void start() {
        timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> checks.forEach(c -> c.check().onSuccess(status -> {
            if (stopped) {
                return; // a check that ran into the shutdown (its client closed) says nothing about the dependency
            }
            transitions.next(c.name(), status, System.currentTimeMillis()).ifPresent(line -> {
                if (status.up()) {
                    log.info(line);
                } else {
                    log.warn(line);
                }
            });
        })));
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** What to log for each new status of a check: only changes, and reminders while down. Not thread-safe. */
    public static final class Transitions {
        private final long reminderMillis;
        private final Map<String, Long> downSince = new HashMap<>();
        private final Map<String, Long> lastWarned = new HashMap<>();

        public Transitions(long reminderMillis) {
            this.reminderMillis = reminderMillis;
        }

        /** The line to log for {@code check}'s status at {@code now}, if any. */
        public Optional<String> next(String check, HealthCheck.Status status, long now) {
            Long since = downSince.get(check);
            if (status.up()) {
                if (since == null) {
                    return Optional.empty();
                }
                downSince.remove(check);
                lastWarned.remove(check);
                return Optional.of(check + " is up again after " + (now - since) / 1000 + " s: " + status.detail());
            }
            if (since == null) {
                downSince.put(check, now);
                lastWarned.put(check, now);
                return Optional.of(check + " is down: " + status.detail() + " (/health answers 503 until it is back)");
            }
            if (now - lastWarned.get(check) >= reminderMillis) {
                lastWarned.put(check, now);
                return Optional.of(check + " is still down after " + (now - since) / 1000 + " s: " + status.detail());
            }
            return Optional.empty();
        }
    }
}
