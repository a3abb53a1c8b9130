package foundation.foxlight.skulklogs.agent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AckTrackerTest {

  @Test
  void rangesMergeAndThePrefixAdvances() {
    AckTracker t = new AckTracker(10);
    assertThat(t.ackRange(5, 10)).isZero();
    assertThat(t.ackRange(13, 14)).isEqualTo(2);
    assertThat(t.ackRange(16, 16)).isEqualTo(1);
    assertThat(t.gapCount()).isEqualTo(2);
    assertThat(t.ackRange(15, 15)).isEqualTo(1);
    assertThat(t.gapCount()).isEqualTo(1);
    assertThat(t.ackedThrough()).isEqualTo(10);
    assertThat(t.ackRange(11, 13)).isEqualTo(2); // 13 already acked
    assertThat(t.ackedThrough()).isEqualTo(16);
    assertThat(t.ackedAbove()).isZero();
    assertThat(t.gapCount()).isZero();
  }

  @Test
  void matchesASetModel() {
    Random rnd = new Random(99);
    for (int round = 0; round < 50; round++) {
      AckTracker t = new AckTracker(0);
      TreeSet<Long> model = new TreeSet<>();
      for (int i = 0; i < 400; i++) {
        long from = 1 + rnd.nextInt(300);
        long to = from + (rnd.nextInt(4) == 0 ? rnd.nextInt(10) : 0);
        long fresh = 0;
        for (long id = from; id <= to; id++) {
          if (model.add(id)) {
            fresh++;
          }
        }
        assertThat(t.ackRange(from, to)).isEqualTo(fresh);
        long prefix = 0;
        while (model.contains(prefix + 1)) {
          prefix++;
        }
        assertThat(t.ackedThrough()).isEqualTo(prefix);
        assertThat(t.ackedAbove()).isEqualTo(model.tailSet(prefix + 1).size());
        long probe = 1 + rnd.nextInt(320);
        assertThat(t.isAcked(probe)).isEqualTo(model.contains(probe));
      }
    }
  }
}
