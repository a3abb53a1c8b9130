package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InsertSlotsTest {
    @Test
    void atMostLimitHeld_waitersServedInArrivalOrder() {
        InsertSlots slots = new InsertSlots(2);
        List<String> got = new ArrayList<>();
        slots.acquire().onSuccess(v -> got.add("a"));
        slots.acquire().onSuccess(v -> got.add("b"));
        Future<Void> c = slots.acquire().onSuccess(v -> got.add("c"));
        Future<Void> d = slots.acquire().onSuccess(v -> got.add("d"));
        assertThat(got).containsExactly("a", "b");
        assertThat(c.isComplete()).isFalse();
        assertThat(slots.waiting()).isEqualTo(2);

        slots.release(); // a's request answered: the slot goes to c, not back to the pool
        assertThat(got).containsExactly("a", "b", "c");
        assertThat(d.isComplete()).isFalse();
        assertThat(slots.used()).isEqualTo(2);

        slots.release();
        assertThat(got).containsExactly("a", "b", "c", "d");
        slots.release();
        slots.release();
        assertThat(slots.used()).isZero();
        assertThatThrownBy(slots::release).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void needsOneSlotAtLeast() {
        assertThatThrownBy(() -> new InsertSlots(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
