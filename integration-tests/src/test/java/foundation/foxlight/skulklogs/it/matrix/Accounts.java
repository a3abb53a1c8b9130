package foundation.foxlight.skulklogs.it.matrix;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for a scenario's account to settle; returns the last account either way, so the test's assertions say what is missing. */
public final class Accounts {
    private Accounts() {
    }

    /** Recounts (every second) until every written line was delivered or dead-lettered, or {@code atMost} passed. */
    public static DeliveryAccounting.Account awaitEveryLine(Supplier<DeliveryAccounting.Account> tally, Duration atMost) {
        return await(tally, DeliveryAccounting.Account::everyLineFound, atMost);
    }

    /** Recounts (every second) until {@code done} holds, or {@code atMost} passed; returns the last account. */
    public static DeliveryAccounting.Account await(Supplier<DeliveryAccounting.Account> tally, Predicate<DeliveryAccounting.Account> done,
            Duration atMost) {
        AtomicReference<DeliveryAccounting.Account> last = new AtomicReference<>();
        try {
            org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
                last.set(tally.get());
                return done.test(last.get());
            });
        } catch (ConditionTimeoutException e) {
            if (last.get() == null) {
                throw e;
            }
        }
        return last.get();
    }
}
