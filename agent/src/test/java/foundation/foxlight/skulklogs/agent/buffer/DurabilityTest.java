package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  @TempDir Path dir;

  private BufferConfig config(FsyncPolicy policy) {
    return new BufferConfig(dir, 1024 * 1024, 1024, policy);
  }

  private static boolean fsyncThreadAlive(Path dir) {
    String name = "skulk-buffer-fsync[" + dir.getFileName() + "]";
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  @Test
  void neverPolicyOnlySyncsWhenAsked() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(FsyncPolicy.never()))) {
      long id = b.append(payload(1));
      b.append(payload(2));
      assertThat(b.durableId()).isZero();
      assertThat(b.stats().lastAppendedId()).isEqualTo(2);
      b.sync();
      assertThat(b.durableId()).isEqualTo(2).isGreaterThanOrEqualTo(id);
      b.sync(); // nothing new: no-op
      assertThat(b.durableId()).isEqualTo(2);
      assertThat(fsyncThreadAlive(dir)).isFalse();
    }
  }

  @Test
  void alwaysPolicyMakesEveryAppendDurableBeforeReturning() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(FsyncPolicy.always()))) {
      for (int i = 1; i <= 20; i++) {
        long id = b.append(payload(i));
        assertThat(b.durableId()).isEqualTo(id);
      }
    }
  }

  @Test
  void intervalPolicyGroupCommitsInTheBackgroundAndStopsOnClose() throws Exception {
    DiskBuffer b = DiskBuffer.open(config(FsyncPolicy.interval(Duration.ofMillis(20))));
    try {
      assertThat(fsyncThreadAlive(dir)).isTrue();
      long id = 0;
      for (int i = 1; i <= 5; i++) {
        id = b.append(payload(i));
      }
      long last = id;
      await().atMost(Duration.ofSeconds(5)).until(() -> b.durableId() >= last);
      long more = b.append(payload(6));
      await().atMost(Duration.ofSeconds(5)).until(() -> b.durableId() >= more);
    } finally {
      b.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !fsyncThreadAlive(dir));
  }

  @Test
  void rollingASegmentMakesItDurable() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(FsyncPolicy.never()))) {
      long firstSegmentLast = 0;
      while (b.stats().segments() == 1) {
        firstSegmentLast = b.lastAppendedId();
        b.append(payload(firstSegmentLast + 1, 100));
      }
      assertThat(b.durableId()).isGreaterThanOrEqualTo(firstSegmentLast);
    }
  }

  @Test
  void whatWasOnDiskAtOpenIsDurable() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(FsyncPolicy.never()))) {
      b.append(payload(1));
      b.append(payload(2));
      b.crashForTesting();
    }
    try (DiskBuffer b = DiskBuffer.open(config(FsyncPolicy.never()))) {
      assertThat(b.durableId()).isEqualTo(2);
    }
  }
}
