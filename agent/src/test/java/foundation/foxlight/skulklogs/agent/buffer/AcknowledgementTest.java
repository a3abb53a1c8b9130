package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.ids;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.payload;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.range;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.readAll;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.segmentFiles;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.single;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.tiny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import foundation.foxlight.skulklogs.agent.checkpoint.CrashHintFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcknowledgementTest {
  @TempDir Path dir;

  private static void appendN(DiskBuffer b, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      long id = b.lastAppendedId() + 1;
      assertThat(b.append(payload(id))).isEqualTo(id);
    }
  }

  @Test
  void inOrderAcksAdvanceTheContiguousPrefix() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      appendN(b, 10);
      List<BufferRecord> records = readAll(b);
      assertThat(ids(records)).isEqualTo(range(1, 10));
      for (BufferRecord r : records) {
        assertThat(r.payload()).isEqualTo(payload(r.id()));
        b.ack(r.id());
        assertThat(b.ackedThroughId()).isEqualTo(r.id());
        assertThat(b.stats().unackedRecords()).isEqualTo(10 - r.id());
      }
    }
  }

  @Test
  void outOfOrderAcksOnlyAdvanceOverAContiguousPrefix() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      appendN(b, 6);
      readAll(b);
      b.ack(3);
      assertThat(b.ackedThroughId()).isZero();
      b.ack(1);
      assertThat(b.ackedThroughId()).isEqualTo(1);
      b.ack(5);
      assertThat(b.ackedThroughId()).isEqualTo(1);
      assertThat(b.stats().unackedRecords()).isEqualTo(3); // 2, 4, 6
      b.ack(2);
      assertThat(b.ackedThroughId()).isEqualTo(3);
      b.ack(4);
      assertThat(b.ackedThroughId()).isEqualTo(5);
      b.ack(4); // duplicate: no effect
      b.ack(1);
      assertThat(b.ackedThroughId()).isEqualTo(5);
      b.ack(6);
      assertThat(b.ackedThroughId()).isEqualTo(6);
      assertThat(b.stats().unackedRecords()).isZero();
      assertThat(b.stats().oldestUnackedAppendMillis()).isZero();
    }
  }

  @Test
  void ackOfAnIdNotHandedOutIsRejected() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      appendN(b, 3);
      b.read(1, 1000);
      assertThatThrownBy(() -> b.ack(2)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.ack(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
      assertThat(b.ackedThroughId()).isZero();
    }
  }

  @Test
  void checkpointPersistsOnlyTheContiguousPrefixAndRestartRedeliversTheUnackedSuffix() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(tiny(dir))) {
      appendN(b, 20);
      readAll(b);
      for (long id = 1; id <= 12; id++) {
        b.ack(id);
      }
      b.ack(15); // after a gap: must be re-delivered
      b.checkpoint();
      assertThat(b.stats().checkpointedAckedId()).isEqualTo(12);
    }
    try (DiskBuffer b = DiskBuffer.open(tiny(dir))) {
      assertThat(b.ackedThroughId()).isEqualTo(12);
      List<BufferRecord> again = readAll(b);
      assertThat(ids(again)).isEqualTo(range(13, 20));
      for (BufferRecord r : again) {
        assertThat(r.payload()).isEqualTo(payload(r.id()));
      }
      assertThat(b.stats().unackedRecords()).isEqualTo(8);
    }
  }

  @Test
  void closeNeverAcknowledges() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      appendN(b, 5);
      assertThat(readAll(b)).hasSize(5);
      // not delivered: no ack; try-with-resources closes the buffer
    }
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      assertThat(ids(readAll(b))).isEqualTo(range(1, 5));
    }
  }

  @Test
  void acksAfterCloseAreIgnoredAndTheRecordsComeBack() throws Exception {
    DiskBuffer b = DiskBuffer.open(single(dir));
    appendN(b, 2);
    readAll(b);
    b.close();
    b.ack(1);
    try (DiskBuffer again = DiskBuffer.open(single(dir))) {
      assertThat(ids(readAll(again))).containsExactly(1L, 2L);
    }
  }

  /** The ids a fresh open of the directory delivers (the buffer is closed again). */
  private List<Long> idsDeliveredAfterReopen() throws Exception {
    try (DiskBuffer again = DiskBuffer.open(single(dir))) {
      return ids(readAll(again));
    }
  }

  /** Six records read, 1-2 acknowledged and checkpointed, 3 acknowledged after the checkpoint; then a process crash. */
  private void crashAfterAnAckBeyondTheCheckpoint(boolean awaitAckMark) throws Exception {
    DiskBuffer b = DiskBuffer.open(single(dir));
    appendN(b, 6);
    readAll(b);
    b.ack(1);
    b.ack(2);
    b.checkpoint();
    b.ack(3);
    if (awaitAckMark) {
      b.awaitAckMarkForTesting();
    }
    b.crashForTesting();
  }

  @Test
  void acksSinceTheLastCheckpointSurviveAProcessCrashInTheAckMark() throws Exception {
    crashAfterAnAckBeyondTheCheckpoint(true);
    try (DiskBuffer again = DiskBuffer.open(single(dir))) {
      assertThat(ids(readAll(again))).isEqualTo(range(4, 6));
      assertThat(again.ackedThroughId()).isEqualTo(3);
      assertThat(again.stats().checkpointedAckedId()).as("not yet durable").isEqualTo(2);
      again.checkpoint();
      assertThat(again.stats().checkpointedAckedId()).isEqualTo(3);
    }
  }

  @Test
  void theAckMarkIsUsedByOneOpenOnly() throws Exception {
    crashAfterAnAckBeyondTheCheckpoint(true);
    DiskBuffer reopened = DiskBuffer.open(single(dir));
    assertThat(reopened.ackedThroughId()).isEqualTo(3);
    reopened.crashForTesting(); // again, before any checkpoint or new acknowledgement
    assertThat(idsDeliveredAfterReopen()).as("from the checkpoint: duplicates, never a skipped record").isEqualTo(range(3, 6));
  }

  @Test
  void acksNotCheckpointedAreRedeliveredWhenTheAckMarkIsLost() throws Exception {
    crashAfterAnAckBeyondTheCheckpoint(true);
    Files.delete(dir.resolve(AckMark.FILE_NAME)); // e.g. a power loss before the page cache was written back
    assertThat(idsDeliveredAfterReopen()).isEqualTo(range(3, 6));
  }

  @Test
  void aTornAckMarkIsIgnored() throws Exception {
    crashAfterAnAckBeyondTheCheckpoint(true);
    BufferTestSupport.flipByte(dir.resolve(AckMark.FILE_NAME), Files.size(dir.resolve(AckMark.FILE_NAME)) - 1);
    assertThat(idsDeliveredAfterReopen()).isEqualTo(range(3, 6));
  }

  @Test
  void anAckMarkWrittenOnTopOfAnotherCheckpointIsIgnored() throws Exception {
    crashAfterAnAckBeyondTheCheckpoint(false);
    // Claims far more than was acknowledged, but extends a checkpoint this directory does not hold.
    try (CrashHintFile mark = CrashHintFile.open(dir.resolve(AckMark.FILE_NAME))) {
      mark.write(new AckMark(99, 6).encode());
    }
    assertThat(idsDeliveredAfterReopen()).isEqualTo(range(3, 6));
  }

  @Test
  void survivedRestartIsTrueForAcknowledgedAndIntactRecordsOnly() throws Exception {
    DiskBuffer b = DiskBuffer.open(single(dir));
    appendN(b, 8);
    readAll(b);
    b.ack(1);
    b.ack(2);
    b.checkpoint();
    b.crashForTesting();
    Path segment = segmentFiles(dir).get(0);
    List<BufferTestSupport.Frame> frames = BufferTestSupport.frames(segment);
    BufferTestSupport.flipByte(segment, frames.get(4).payloadPosition()); // record 5 corrupt
    BufferTestSupport.truncate(segment, frames.get(7).position() + 10); // record 8 torn
    try (DiskBuffer again = DiskBuffer.open(single(dir))) {
      assertThat(again.survivedRestart(2)).as("acknowledged").isTrue();
      assertThat(again.survivedRestart(4)).as("intact, nothing lost before it").isTrue();
      assertThat(again.survivedRestart(5)).as("corrupt").isFalse();
      assertThat(again.survivedRestart(6)).as("intact, but record 5 before it was lost").isFalse();
      assertThat(again.survivedRestart(8)).as("torn").isFalse();
      long next = again.append(payload(9));
      assertThat(again.survivedRestart(next)).as("appended since open").isFalse();
      assertThat(again.survivedRestart(0)).isFalse();
    }
  }

  @Test
  void checkpointDeletesFullyAcknowledgedSegmentsAndFreesCapacity() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(tiny(dir))) {
      for (int i = 0; i < 40; i++) {
        b.append(payload(i, 100)); // 124-byte frames, 8 per 1 KiB segment
      }
      int segmentsBefore = b.stats().segments();
      long bytesBefore = b.stats().bytesOnDisk();
      assertThat(segmentsBefore).isGreaterThanOrEqualTo(5);
      assertThat(segmentFiles(dir)).hasSize(segmentsBefore);

      List<BufferRecord> records = readAll(b);
      for (BufferRecord r : records.subList(0, 20)) {
        b.ack(r.id());
      }
      b.checkpoint();
      BufferStats after = b.stats();
      assertThat(after.segments()).isLessThan(segmentsBefore);
      assertThat(after.bytesOnDisk()).isLessThan(bytesBefore);
      assertThat(segmentFiles(dir)).hasSize(after.segments());
      // what remains still holds every unacknowledged record
      for (BufferRecord r : records.subList(20, 40)) {
        b.ack(r.id());
      }
      b.checkpoint();
      assertThat(b.stats().segments()).isEqualTo(1); // only the active one
      assertThat(segmentFiles(dir)).hasSize(1);
    }
  }

  @Test
  void rewindRedeliversExactlyTheUnacknowledgedRecordsWithoutARestart() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(tiny(dir))) {
      for (int i = 1; i <= 40; i++) {
        b.append(payload(i, 100)); // several segments
      }
      List<BufferRecord> first = readAll(b);
      for (BufferRecord r : first) {
        if (r.id() <= 10 || r.id() % 3 == 0) {
          b.ack(r.id());
        }
      }
      b.checkpoint();
      b.rewind();
      List<BufferRecord> again = readAll(b);
      assertThat(ids(again)).allSatisfy(id -> assertThat(id > 10 && id % 3 != 0).isTrue())
          .hasSize(40 - 10 - 10);
      for (BufferRecord r : again) {
        assertThat(r.payload()).isEqualTo(payload(r.id(), 100));
        b.ack(r.id());
      }
      assertThat(b.ackedThroughId()).isEqualTo(40);
      b.rewind();
      assertThat(b.read(10, 10_000)).isEmpty();
      b.append(payload(41, 100));
      assertThat(ids(b.read(10, 10_000))).containsExactly(41L);
    }
  }

  @Test
  void readHonoursMaxRecordsAndMaxBytesButAlwaysReturnsOneRecord() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      b.append(payload(1, 100));
      b.append(payload(2, 100));
      b.append(payload(3, 500));
      b.append(payload(4, 10));
      assertThat(ids(b.read(1, 10_000))).containsExactly(1L);
      assertThat(ids(b.read(10, 150))).containsExactly(2L); // 2 + 3 would be 600 bytes
      assertThat(ids(b.read(10, 1))).containsExactly(3L); // bigger than maxBytes alone: still returned
      assertThat(ids(b.read(10, 0))).containsExactly(4L);
      assertThat(b.read(10, 10_000)).isEmpty();
      b.append(payload(5, 10));
      assertThat(ids(b.read(10, 10_000))).containsExactly(5L);
    }
  }

  @Test
  void oldestUnackedAppendTimeIsReported() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(dir))) {
      assertThat(b.stats().oldestUnackedAppendMillis()).isZero();
      long before = System.currentTimeMillis();
      b.append(payload(1));
      b.append(payload(2));
      long after = System.currentTimeMillis();
      assertThat(b.stats().oldestUnackedAppendMillis()).isBetween(before, after); // not read yet
      List<BufferRecord> r = readAll(b);
      assertThat(b.stats().oldestUnackedAppendMillis()).isEqualTo(r.get(0).appendedAtMillis());
      b.ack(1);
      assertThat(b.stats().oldestUnackedAppendMillis()).isEqualTo(r.get(1).appendedAtMillis());
      b.ack(2);
      assertThat(b.stats().oldestUnackedAppendMillis()).isZero();
    }
  }

  @Test
  void concurrentAppenderAndReaderSeeEveryRecordOnceInOrder() throws Exception {
    int n = 3000;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    BufferConfig config = tiny(dir).withMaxBytes(64 * 1024)
        .withFsyncPolicy(FsyncPolicy.interval(java.time.Duration.ofMillis(1))); // a third thread syncing
    try (DiskBuffer b = DiskBuffer.open(config)) {
      Future<?> appender = pool.submit(() -> {
        for (int i = 1; i <= n; i++) {
          while (true) {
            try {
              assertThat(b.append(payload(i))).isEqualTo(i);
              break;
            } catch (BufferFullException full) {
              Thread.yield(); // back-pressure: the reader acks and the append reclaims space
            }
          }
          if (i % 50 == 0) {
            b.sync();
          }
        }
        return null;
      });
      Future<List<Long>> reader = pool.submit(() -> {
        List<Long> seen = new ArrayList<>();
        while (seen.size() < n) {
          List<BufferRecord> batch = b.read(32, 64 * 1024);
          if (batch.isEmpty()) {
            Thread.yield();
            continue;
          }
          for (BufferRecord r : batch) {
            assertThat(r.payload()).isEqualTo(payload(r.id()));
            seen.add(r.id());
            b.ack(r.id());
          }
          if (seen.size() % 200 < 32) {
            b.checkpoint();
          }
        }
        return seen;
      });
      appender.get(60, TimeUnit.SECONDS);
      assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(range(1, n));
      assertThat(b.ackedThroughId()).isEqualTo(n);
    } finally {
      pool.shutdownNow();
    }
  }
}
