package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.checkpointFiles;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.ids;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.payload;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.readAll;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames are 24 + payload bytes, segment headers 20 bytes. With 200-byte segments and 56-byte
 * payloads (80-byte frames) a segment holds two records (180 bytes), so bytesOnDisk goes
 * 100, 180, 280, 360, 460, ...
 */
class SizeLimitsTest {
  private static final int PAYLOAD = 56;
  @TempDir Path dir;

  private BufferConfig config(long maxBytes) {
    return new BufferConfig(dir, maxBytes, 200, FsyncPolicy.never());
  }

  @Test
  void theAppendListenerHearsOfEveryStoredRecordAndOfNoRefusedOne() throws Exception {
    java.util.List<Long> heard = new java.util.ArrayList<>();
    try (DiskBuffer b = DiskBuffer.open(config(360))) {
      b.onAppend(() -> heard.add(b.stats().unackedRecords()));
      for (int i = 1; i <= 4; i++) {
        b.append(payload(i, PAYLOAD));
      }
      assertThatThrownBy(() -> b.append(payload(5, PAYLOAD))).isInstanceOf(BufferFullException.class);
      // called after each record was in the buffer (readable), once per record, not for the refused one
      assertThat(heard).containsExactly(1L, 2L, 3L, 4L);
      b.onAppend(() -> {
        throw new IllegalStateException("listener broken");
      });
      b.read(2, Long.MAX_VALUE).forEach(r -> b.ack(r.id())); // the first segment's two records: its space comes back
      long id = b.append(payload(6, PAYLOAD)); // a failing listener does not fail a stored append
      assertThat(ids(b.read(10, Long.MAX_VALUE))).contains(id);
      assertThat(heard).hasSize(4);
    }
  }

  @Test
  void appendSucceedsExactlyAtTheCapAndFailsOneRecordLater() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(360))) {
      for (int i = 1; i <= 4; i++) {
        b.append(payload(i, PAYLOAD));
      }
      assertThat(b.stats().bytesOnDisk()).isEqualTo(360);
      assertThat(b.stats().bytesOnDisk()).isEqualTo(segmentFiles(dir).stream().mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).sum());
      assertThatThrownBy(() -> b.append(payload(5, PAYLOAD)))
          .isInstanceOfSatisfying(BufferFullException.class, e -> {
            assertThat(e.bytesOnDisk()).isEqualTo(360);
            assertThat(e.requiredBytes()).isEqualTo(100); // new segment header + frame
            assertThat(e.maxBytes()).isEqualTo(360);
          });
      assertThatThrownBy(() -> b.append(new byte[0])).isInstanceOf(BufferFullException.class);
      // nothing was written by the refused appends
      assertThat(b.stats().bytesOnDisk()).isEqualTo(360);
      assertThat(b.lastAppendedId()).isEqualTo(4);
      assertThat(ids(readAll(b))).containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void oneByteBelowTheNeededSizeIsFull() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(359))) {
      for (int i = 1; i <= 3; i++) {
        b.append(payload(i, PAYLOAD));
      }
      assertThatThrownBy(() -> b.append(payload(4, PAYLOAD))).isInstanceOf(BufferFullException.class);
      b.append(payload(4, PAYLOAD - 1)); // 1 byte smaller fits exactly
      assertThat(b.stats().bytesOnDisk()).isEqualTo(359);
    }
  }

  @Test
  void capacityIsFreedAfterAckAndCheckpoint() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(360))) {
      for (int i = 1; i <= 4; i++) {
        b.append(payload(i, PAYLOAD));
      }
      assertThatThrownBy(() -> b.append(payload(5, PAYLOAD))).isInstanceOf(BufferFullException.class);
      b.read(2, 10_000).forEach(r -> b.ack(r.id()));
      b.checkpoint();
      assertThat(b.stats().bytesOnDisk()).isEqualTo(180);
      assertThat(b.stats().segments()).isEqualTo(1);
      assertThat(b.append(payload(5, PAYLOAD))).isEqualTo(5);
      assertThat(b.stats().bytesOnDisk()).isEqualTo(280);
    }
  }

  @Test
  void aFullAppendReclaimsAcknowledgedSegmentsByItself() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(360))) {
      for (int i = 1; i <= 4; i++) {
        b.append(payload(i, PAYLOAD));
      }
      b.read(2, 10_000).forEach(r -> b.ack(r.id()));
      assertThat(checkpointFiles(dir)).isEmpty();
      assertThat(b.append(payload(5, PAYLOAD))).isEqualTo(5); // no explicit checkpoint needed
      assertThat(b.stats().checkpointedAckedId()).isEqualTo(2);
      assertThat(checkpointFiles(dir)).hasSize(1);
    }
  }

  @Test
  void aBufferOfASingleSegmentDoesNotDeadlockOnItsFullyAcknowledgedActiveSegment() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(200))) {
      b.append(payload(1, PAYLOAD));
      b.append(payload(2, PAYLOAD));
      assertThatThrownBy(() -> b.append(payload(3, PAYLOAD))).isInstanceOf(BufferFullException.class);
      readAll(b).forEach(r -> b.ack(r.id()));
      assertThat(b.append(payload(3, PAYLOAD))).isEqualTo(3);
      assertThat(b.stats().bytesOnDisk()).isEqualTo(100);
      assertThat(ids(readAll(b))).containsExactly(3L);
    }
  }

  @Test
  void aRecordThatCanNeverFitIsRejectedClearly() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(360))) {
      assertThatThrownBy(() -> b.append(new byte[317]))
          .isInstanceOfSatisfying(RecordTooLargeException.class, e -> {
            assertThat(e.payloadBytes()).isEqualTo(317);
            assertThat(e.maxPayloadBytes()).isEqualTo(316);
          })
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("can never fit");
      assertThat(b.append(payload(1, 316))).isEqualTo(1); // the largest possible record, alone
      assertThat(b.stats().bytesOnDisk()).isEqualTo(360);
      assertThat(readAll(b).get(0).payload()).isEqualTo(payload(1, 316));
    }
  }

  @Test
  void aRecordLargerThanASegmentGetsASegmentOfItsOwn() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(config(2000))) {
      b.append(payload(1, PAYLOAD));
      b.append(payload(2, 700));
      b.append(payload(3, PAYLOAD));
      assertThat(b.stats().segments()).isEqualTo(3);
      assertThat(readAll(b)).extracting(r -> r.payload().length).containsExactly(PAYLOAD, 700, PAYLOAD);
    }
    try (DiskBuffer b = DiskBuffer.open(config(2000))) {
      assertThat(readAll(b)).extracting(r -> r.payload().length).containsExactly(PAYLOAD, 700, PAYLOAD);
    }
  }

  @Test
  void largePayloadsBeyondTheReusedFrameBufferRoundTrip() throws Exception {
    BufferConfig big = new BufferConfig(dir, 64L * 1024 * 1024, 16L * 1024 * 1024, FsyncPolicy.never());
    byte[] large = payload(9, 5 * 1024 * 1024);
    try (DiskBuffer b = DiskBuffer.open(big)) {
      b.append(payload(1, 1000));
      b.append(large);
      b.append(payload(3, 1000));
    }
    try (DiskBuffer b = DiskBuffer.open(big)) {
      var records = readAll(b);
      assertThat(records).hasSize(3);
      assertThat(records.get(1).payload()).isEqualTo(large);
      assertThat(records.get(2).payload()).isEqualTo(payload(3, 1000));
    }
  }
}
