package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.checkpointFiles;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.ids;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.openFileDescriptors;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.payload;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.range;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.readAll;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.segmentFiles;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.single;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.tiny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitializationTest {
  @TempDir Path root;

  @Test
  void opensAMissingDirectoryAsAnEmptyBuffer() throws Exception {
    Path dir = root.resolve("a/b/buffer");
    try (DiskBuffer b = DiskBuffer.open(tiny(dir))) {
      assertThat(Files.isDirectory(dir)).isTrue();
      assertThat(b.read(10, 1000)).isEmpty();
      assertThat(b.ackedThroughId()).isZero();
      assertThat(b.durableId()).isZero();
      BufferStats s = b.stats();
      assertThat(s.segments()).isEqualTo(1);
      assertThat(s.bytesOnDisk()).isEqualTo(BufferTestSupport.SEGMENT_HEADER);
      assertThat(s.unackedRecords()).isZero();
      assertThat(s.corruptRecordsSkipped()).isZero();
      assertThat(s.tornTailsTruncated()).isZero();
      assertThat(b.append(payload(1))).isEqualTo(1);
    }
  }

  @Test
  void opensAnExistingEmptyDirectory() throws Exception {
    Files.createDirectories(root);
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      assertThat(b.append(payload(1))).isEqualTo(1);
    }
  }

  @Test
  void reopensAnExistingBufferAndIdsContinue() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      for (int i = 1; i <= 30; i++) {
        assertThat(b.append(payload(i))).isEqualTo(i);
      }
    }
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      assertThat(b.durableId()).isEqualTo(30);
      assertThat(b.lastAppendedId()).isEqualTo(30);
      assertThat(b.append(payload(31))).isEqualTo(31);
      assertThat(ids(readAll(b))).isEqualTo(range(1, 31));
    }
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      assertThat(b.append(payload(32))).isEqualTo(32);
    }
  }

  @Test
  void idsAreNeverReusedEvenWhenEverythingWasAcknowledgedAndDeleted() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      for (int i = 1; i <= 30; i++) {
        b.append(payload(i, 200));
      }
      readAll(b).forEach(r -> b.ack(r.id()));
      b.append(payload(31, 200)); // rolls; the old active segment is now deletable
      b.read(1, 1000).forEach(r -> b.ack(r.id()));
      b.checkpoint();
    }
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      assertThat(b.read(10, 10_000)).isEmpty();
      assertThat(b.append(payload(32))).isEqualTo(32);
    }
    // even if somebody wipes every segment file, the checkpoint keeps ids moving forward
    for (Path p : segmentFiles(root)) {
      Files.delete(p);
    }
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      assertThat(b.append(payload(33))).isGreaterThan(32);
    }
  }

  @Test
  void orphanTempFilesFromAnInterruptedCheckpointAreRemoved() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      b.append(payload(1));
      b.append(payload(2));
      b.read(1, 100);
      b.ack(1);
      b.checkpoint();
    }
    Path orphan = root.resolve(SegmentFiles.checkpointName(99) + ".tmp");
    Files.write(orphan, new byte[] {1, 2, 3});
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      assertThat(orphan).doesNotExist();
      assertThat(b.ackedThroughId()).isEqualTo(1);
      assertThat(ids(readAll(b))).containsExactly(2L);
    }
  }

  @Test
  void checkpointKeepsTheCurrentAndThePreviousFile() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(single(root))) {
      for (int i = 1; i <= 5; i++) {
        b.append(payload(i));
      }
      for (BufferRecord r : readAll(b)) {
        b.ack(r.id());
        b.checkpoint();
      }
      assertThat(checkpointFiles(root)).extracting(p -> p.getFileName().toString())
          .containsExactly(SegmentFiles.checkpointName(4), SegmentFiles.checkpointName(5));
      assertThat(Files.list(root).filter(p -> p.toString().endsWith(".tmp")).count()).isZero();
    }
  }

  @Test
  void aDirectoryCanOnlyBeOpenedOnceAtATime() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      assertThatThrownBy(() -> DiskBuffer.open(tiny(root)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already in use");
      b.append(payload(1));
    }
    try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
      assertThat(b.lastAppendedId()).isEqualTo(1);
    }
  }

  @Test
  void closeIsIdempotentAndTheBufferIsUnusableAfterwards() throws Exception {
    DiskBuffer b = DiskBuffer.open(tiny(root));
    b.append(payload(1));
    b.close();
    b.close();
    assertThatThrownBy(() -> b.append(payload(2))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.read(1, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::sync).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::checkpoint).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidConfigurationIsRejectedWithEveryProblem() {
    BufferConfig bad = new BufferConfig(null, 10, 5, FsyncPolicy.interval(Duration.ZERO));
    assertThat(bad.validate()).hasSize(3)
        .anySatisfy(m -> assertThat(m).contains("directory"))
        .anySatisfy(m -> assertThat(m).contains("segmentBytes"))
        .anySatisfy(m -> assertThat(m).contains("interval"));
    assertThat(new BufferConfig(root, 100, 200, null).validate()).hasSize(2);
    assertThatThrownBy(() -> DiskBuffer.open(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("directory")
        .hasMessageContaining("segmentBytes");
    assertThat(BufferConfig.defaults(root).validate()).isEmpty();
    assertThat(BufferConfig.defaults(root).maxBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(BufferConfig.defaults(root).segmentBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(BufferConfig.defaults(root).fsyncPolicy())
        .isEqualTo(new FsyncPolicy.Interval(Duration.ofMillis(500)));
  }

  @Test
  void noFileHandlesLeakAcrossOpenRollCheckpointAndClose() throws Exception {
    assumeTrue(openFileDescriptors() > 0, "needs /proc/self/fd");
    long before = -1;
    for (int round = 0; round < 4; round++) {
      if (round == 1) {
        before = openFileDescriptors(); // round 0 warmed up class loading (jar handles)
      }
      try (DiskBuffer b = DiskBuffer.open(tiny(root))) {
        for (int i = 0; i < 100; i++) {
          b.append(payload(i, 150));
        }
        assertThat(b.stats().segments()).isGreaterThan(10);
        for (BufferRecord r : readAll(b)) {
          b.ack(r.id());
        }
        b.checkpoint();
        // at most: the active segment, the lock file, the segment being read
        if (before > 0) {
          assertThat(openFileDescriptors() - before).isLessThanOrEqualTo(3);
        }
      }
    }
    assertThat(openFileDescriptors()).isEqualTo(before);
  }
}
