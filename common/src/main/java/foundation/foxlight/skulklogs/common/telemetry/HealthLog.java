package foundation.foxlight.skulklogs.common.telemetry;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
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
    private final Transitions transitions = new Transitions(REMINDER, System::nanoTime);
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
            transitions.next(c.name(), status).ifPresent(line -> {
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

    /** What to log for each new status of a check: only changes, and reminders while down ({@link FailureStreak}s). Not thread-safe. */
    public static final class Transitions {
        private final Duration reminder;
        private final LongSupplier nanoClock;
        private final Map<String, FailureStreak> downStreaks = new HashMap<>();

        /** @param nanoClock a monotonic clock in nanoseconds ({@link System#nanoTime()}; another in tests) */
        public Transitions(Duration reminder, LongSupplier nanoClock) {
            this.reminder = reminder;
            this.nanoClock = nanoClock;
        }

        /** The line to log for {@code check}'s new status, if any. */
        public Optional<String> next(String check, HealthCheck.Status status) {
            FailureStreak down = downStreaks.computeIfAbsent(check, k -> new FailureStreak(reminder, nanoClock));
            if (status.up()) {
                long seconds = down.elapsed().toSeconds();
                return down.succeeded() == 0 ? Optional.empty()
                        : Optional.of(check + " is up again after " + seconds + " s: " + status.detail());
            }
            if (!down.failed(status.detail())) {
                return Optional.empty();
            }
            return Optional.of(down.count() == 1 ? check + " is down: " + status.detail() + " (/health answers 503 until it is back)"
                    : check + " is still down after " + down.elapsed().toSeconds() + " s: " + status.detail());
        }
    }
}
