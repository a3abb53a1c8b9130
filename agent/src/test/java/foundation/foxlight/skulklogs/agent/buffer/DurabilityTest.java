package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.frames;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.payload;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.range;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  /** The last size each segment file was reported fsynced at, by file name (the {@link SegmentSyncListener} seam). */
  private static SegmentSyncListener recordInto(Map<String, Long> synced) {
    return (file, bytes) -> synced.put(file.getFileName().toString(), bytes);
  }

  @Test
  void everyRecordReportedDurableLiesWithinTheSizeLastReportedSyncedForItsSegment() throws Exception {
    Map<String, Long> synced = new ConcurrentHashMap<>();
    // The fsync thread reports group commits while this thread appends (and rolls 100-byte records into 1 KiB segments).
    BufferConfig config = config(FsyncPolicy.interval(Duration.ofMillis(1))).withSyncListener(recordInto(synced));
    try (DiskBuffer b = DiskBuffer.open(config)) {
      for (int i = 1; i <= 300; i++) {
        b.append(payload(i, 100));
        if (i % 10 == 0) {
          long durable = b.durableId(); // raised only after the report: the reports read next cover it
          Map<String, Long> reported = Map.copyOf(synced);
          for (Path segment : segmentFiles(dir)) {
            for (BufferTestSupport.Frame f : frames(segment)) {
              if (f.id() <= durable) {
                assertThat(f.end()).as("record %d of %s (durable through %d)", f.id(), segment.getFileName(), durable)
                    .isLessThanOrEqualTo(reported.getOrDefault(segment.getFileName().toString(), 0L));
              }
            }
          }
        }
      }
      b.sync();
      for (Path segment : segmentFiles(dir)) {
        assertThat(synced).as("every byte synced").containsEntry(segment.getFileName().toString(), Files.size(segment));
      }
    }
  }

  @Test
  void cuttingEverySegmentToItsLastReportedSyncAsAPowerLossWouldKeepsEveryDurableRecord() throws Exception {
    Map<String, Long> synced = new ConcurrentHashMap<>();
    BufferConfig config = config(FsyncPolicy.never()).withSyncListener(recordInto(synced));
    long durable;
    long appended;
    try (DiskBuffer b = DiskBuffer.open(config)) {
      assertThat(synced).as("the new segment's header").containsValue((long) BufferTestSupport.SEGMENT_HEADER);
      for (int i = 1; i <= 60; i++) {
        b.append(payload(i, 100));
        if (i % 7 == 0) {
          b.sync();
        }
      }
      durable = b.durableId();
      appended = b.lastAppendedId();
      assertThat(durable).as("some records are not durable yet").isLessThan(appended);
      b.crashForTesting();
    }
    // The power loss: whatever was not reported synced is gone.
    for (Path segment : segmentFiles(dir)) {
      Long size = synced.get(segment.getFileName().toString());
      if (size == null) {
        Files.delete(segment);
      } else {
        BufferTestSupport.truncate(segment, size);
      }
    }
    synced.clear();
    try (DiskBuffer b = DiskBuffer.open(config)) {
      List<Long> ids = BufferTestSupport.ids(BufferTestSupport.readAll(b));
      assertThat(ids).as("every durable record, nothing after it").isEqualTo(range(1, durable));
      Path last = segmentFiles(dir).get(segmentFiles(dir).size() - 1);
      assertThat(synced).as("what recovery kept, forced").containsEntry(last.getFileName().toString(), Files.size(last));
    }
  }
}
