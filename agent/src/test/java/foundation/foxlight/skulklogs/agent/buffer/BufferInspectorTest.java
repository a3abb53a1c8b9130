package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.appendZeros;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.checkpointFiles;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.flipByte;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.frames;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.payload;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.readAll;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.segmentFiles;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.snapshot;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.tiny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferInspectorTest {
  @TempDir Path dir;

  /** 30 records over several segments; 1..10 acknowledged and checkpointed. */
  @BeforeEach
  void fill() throws Exception {
    try (DiskBuffer b = DiskBuffer.open(tiny(dir))) {
      for (int i = 1; i <= 30; i++) {
        b.append(payload(i));
      }
      List<BufferRecord> r = readAll(b);
      for (int i = 0; i < 10; i++) {
        b.ack(r.get(i).id());
      }
      b.checkpoint();
    }
  }

  private static List<String> dump(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      BufferInspector.dump(dir, out, p -> "len:" + p.length);
    }
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void checkOfAHealthyBuffer() throws Exception {
    BufferInspector.CheckReport report = BufferInspector.check(dir);
    assertThat(report.ok()).as(report.render()).isTrue();
    assertThat(report.problems()).isEmpty();
    // segments entirely below the checkpoint were deleted; the rest is contiguous up to 30
    assertThat(report.records()).isEqualTo(30 - report.segments().get(0).firstRecordId() + 1);
    assertThat(report.unackedRecords()).isEqualTo(20);
    assertThat(report.checkpointAckedId()).isEqualTo(10);
    assertThat(report.segments()).hasSize(segmentFiles(dir).size()).allSatisfy(s -> {
      assertThat(s.header()).isEqualTo("valid");
      assertThat(s.corruptRegions()).isEmpty();
      assertThat(s.tornTail()).isNull();
    });
    assertThat(report.segments().get(report.segments().size() - 1).lastRecordId()).isEqualTo(30);
    assertThat(report.checkpoints()).hasSize(1);
    BufferInspector.CheckpointReport cp = report.checkpoints().get(0);
    assertThat(cp.valid()).isTrue();
    assertThat(cp.selected()).isTrue();
    assertThat(cp.version()).isEqualTo(1);
    assertThat(cp.ackedThroughId()).isEqualTo(10);
    assertThat(report.bytesOnDisk()).isEqualTo(segmentFiles(dir).stream().mapToLong(p -> p.toFile().length()).sum());
    assertThat(report.render()).contains("OK").contains("acked through: 10");
  }

  @Test
  void acknowledgementsInTheAckMarkCountAsRecoveryWillCountThem() throws Exception {
    DiskBuffer b = DiskBuffer.open(tiny(dir));
    List<BufferRecord> r = readAll(b);
    for (int i = 0; i < 5; i++) {
      b.ack(r.get(i).id()); // 11..15, after the checkpoint
    }
    b.awaitAckMarkForTesting();
    b.crashForTesting();
    BufferInspector.CheckReport report = BufferInspector.check(dir);
    assertThat(report.ok()).as(report.render()).isTrue();
    assertThat(report.checkpointAckedId()).isEqualTo(15);
    assertThat(report.unackedRecords()).isEqualTo(15);
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("ack.mark").contains("11..15"));
    try (DiskBuffer again = DiskBuffer.open(tiny(dir))) {
      assertThat(again.ackedThroughId()).as("what open() does agrees with the report").isEqualTo(15);
    }
  }

  @Test
  void dumpPrintsOneLinePerRecord() throws Exception {
    List<String> lines = dump(dir);
    long records = BufferInspector.check(dir).records();
    assertThat(lines).hasSize((int) records);
    String last = lines.get(lines.size() - 1);
    assertThat(last).startsWith("id=30 ").contains(" unacked ").contains("size=" + payload(30).length)
        .endsWith("len:" + payload(30).length).contains("appended=20");
    assertThat(lines).filteredOn(l -> l.contains(" acked ")).allSatisfy(l ->
        assertThat(Long.parseLong(l.substring(3, l.indexOf(' ')))).isLessThanOrEqualTo(10));
  }

  @Test
  void dumpSurvivesAFailingDescription() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BufferInspector.dump(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8), p -> {
      throw new IllegalStateException("not a batch");
    });
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("<describe failed: java.lang.IllegalStateException");
  }

  @Test
  void checkReportsCorruptionWithSegmentAndPosition() throws Exception {
    Path seg = segmentFiles(dir).get(segmentFiles(dir).size() - 2);
    BufferTestSupport.Frame victim = frames(seg).get(1);
    flipByte(seg, victim.payloadPosition());
    BufferInspector.CheckReport report = BufferInspector.check(dir);
    assertThat(report.ok()).isFalse();
    assertThat(report.corruptRecords()).isEqualTo(1);
    BufferInspector.CorruptRegion region = report.segments().stream()
        .flatMap(s -> s.corruptRegions().stream()).findFirst().orElseThrow();
    assertThat(region.segment()).isEqualTo(seg.getFileName().toString());
    assertThat(region.position()).isEqualTo(victim.position());
    assertThat(region.length()).isEqualTo(victim.end() - victim.position());
    assertThat(region.lostIds()).isEqualTo(1);
    assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains(seg.getFileName().toString())
        .contains(Long.toString(victim.position())));
    assertThat(dump(dir)).anySatisfy(l -> assertThat(l).startsWith("# corrupt"))
        .noneSatisfy(l -> assertThat(l).startsWith("id=" + victim.id() + " "));
  }

  @Test
  void aTornTailIsAWarningNotAProblem() throws Exception {
    List<Path> segments = segmentFiles(dir);
    Path last = segments.get(segments.size() - 1);
    long size = Files.size(last);
    appendZeros(last, 100);
    BufferInspector.CheckReport report = BufferInspector.check(dir);
    assertThat(report.ok()).as(report.render()).isTrue();
    BufferInspector.TornTail torn = report.segments().get(report.segments().size() - 1).tornTail();
    assertThat(torn).isNotNull();
    assertThat(torn.position()).isEqualTo(size);
    assertThat(torn.bytes()).isEqualTo(100);
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("torn tail"));
  }

  @Test
  void checkReportsMissingSegmentsAndInvalidCheckpoints() throws Exception {
    List<Path> segments = segmentFiles(dir);
    Files.delete(segments.get(segments.size() - 2));
    flipByte(checkpointFiles(dir).get(0), 17);
    BufferInspector.CheckReport report = BufferInspector.check(dir);
    assertThat(report.ok()).isFalse();
    assertThat(report.checkpoints().get(0).valid()).isFalse();
    assertThat(report.checkpoints().get(0).error()).contains("checksum");
    assertThat(report.checkpointAckedId()).isZero();
    assertThat(report.missingRecords()).isPositive();
    assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("missing"))
        .anySatisfy(p -> assertThat(p).contains("checkpoint"));
  }

  @Test
  void checkAndDumpNeverModifyAnything() throws Exception {
    List<Path> segments = segmentFiles(dir);
    Path last = segments.get(segments.size() - 1);
    appendZeros(last, 50); // torn tail: open() would truncate it
    flipByte(segments.get(1), frames(segments.get(1)).get(0).payloadPosition());
    Files.write(dir.resolve(SegmentFiles.checkpointName(7) + ".tmp"), new byte[] {1}); // open() would delete it
    Files.write(dir.resolve(SegmentFiles.checkpointName(8)), new byte[] {1, 2}); // invalid checkpoint
    TreeMap<String, Object> before = snapshot(dir);
    BufferInspector.CheckReport report = BufferInspector.check(dir);
    dump(dir);
    assertThat(snapshot(dir)).isEqualTo(before);
    assertThat(report.ok()).isFalse();
    assertThat(report.orphanTempFiles()).hasSize(1);
    // whereas opening the buffer does repair things
    try (DiskBuffer b = DiskBuffer.open(tiny(dir))) {
      assertThat(b.stats().tornTailsTruncated()).isEqualTo(1);
    }
    assertThat(snapshot(dir)).isNotEqualTo(before);
  }

  @Test
  void aMissingDirectoryIsAnError() {
    assertThatThrownBy(() -> BufferInspector.check(dir.resolve("nope"))).isInstanceOf(IOException.class);
  }
}
