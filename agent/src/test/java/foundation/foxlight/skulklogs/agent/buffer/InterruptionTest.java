package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.ids;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.payload;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.readAll;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt during FileChannel I/O closes the channel (JDK behaviour). Worker threads do get
 * interrupted, so the buffer must survive it: the call fails, nothing is half-written, the next
 * call reopens the file.
 */
class InterruptionTest {
  @TempDir Path dir;

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void anInterruptedReadFailsButTheBufferKeepsWorking() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      for (int i = 1; i <= 5; i++) {
        b.append(payload(i));
      }
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> b.read(10, 10_000)).isInstanceOf(ClosedByInterruptException.class);
      assertThat(Thread.interrupted()).isTrue();
      assertThat(b.append(payload(6))).isEqualTo(6); // the shared channel is reopened
      b.sync();
      assertThat(ids(readAll(b))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }
  }

  @Test
  void anInterruptedAppendLeavesNoPartialRecordAndConsumesNoId() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      b.append(payload(1));
      long bytes = b.stats().bytesOnDisk();
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> b.append(payload(2))).isInstanceOf(ClosedByInterruptException.class);
      assertThat(Thread.interrupted()).as("interrupt status preserved").isTrue();
      assertThat(b.stats().bytesOnDisk()).isEqualTo(bytes);
      assertThat(b.append(payload(2))).isEqualTo(2);
      b.sync();
      assertThat(b.durableId()).isEqualTo(2);
    }
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      assertThat(b.stats().tornTailsTruncated()).isZero();
      assertThat(readAll(b)).extracting(BufferRecord::payload).containsExactly(payload(1), payload(2));
    }
  }
}
