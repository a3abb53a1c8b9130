package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.FRAME_HEADER;
import static foundation.foxlight.skulklogs.agent.buffer.BufferTestSupport.SEGMENT_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operations against a trivial in-memory model of the at-least-once contract.
 *
 * <p>Model: every appended record (id -&gt; payload); the persisted acknowledged prefix; the
 * acknowledgements since open. Invariants checked after every operation: reads return exactly the
 * next ids above the persisted prefix in order with byte-identical payloads (so nothing is lost,
 * nothing acked in the prefix comes back, ids acked after a gap come back after a reopen but not
 * after a rewind), the
 * acked prefix and the unacked count match the model, bytesOnDisk never exceeds the cap.
 */
class ModelBasedTest {
  private static final int OPERATIONS = 2500;
  @TempDir Path root;

  private static final class Model {
    final TreeMap<Long, byte[]> records = new TreeMap<>();
    long persisted; // acknowledged prefix durable in a checkpoint
    final TreeSet<Long> acked = new TreeSet<>(); // acks since open, above persisted
    final TreeSet<Long> handedOut = new TreeSet<>(); // since open, not acked
    long cursor = 1; // next candidate for delivery

    long lastId;

    long prefix() {
      long p = persisted;
      while (acked.contains(p + 1)) {
        p++;
      }
      return p;
    }

    long unacked() {
      long p = prefix();
      return lastId - p - acked.tailSet(p + 1).size();
    }

    /** The next id read() must return: ids acknowledged since open are skipped (after a rewind). */
    long nextToDeliver() {
      long id = cursor;
      while (acked.contains(id)) {
        id++;
      }
      return id;
    }

    long prefixAtOpen; // the ack mark is read by one open only: it knows only what was acknowledged since

    void reopened() {
      acked.clear();
      handedOut.clear();
      cursor = persisted + 1;
      prefixAtOpen = persisted;
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 20240611})
  void randomOperationsKeepTheDeliveryContract(long seed) throws Exception {
    Random rnd = new Random(seed);
    Path dir = root.resolve("s" + seed);
    BufferConfig config = new BufferConfig(dir, 4096, 512, FsyncPolicy.never());
    Model m = new Model();
    DiskBuffer b = DiskBuffer.open(config);
    int fulls = 0;
    int reopens = 0;
    try {
      for (int op = 0; op < OPERATIONS; op++) {
        int dice = rnd.nextInt(100);
        String step = "seed " + seed + " op " + op;
        if (dice < 35) {
          int len = rnd.nextInt(20) == 0 ? 600 : rnd.nextInt(150);
          byte[] p = new byte[len];
          rnd.nextBytes(p);
          try {
            long id = b.append(p);
            assertThat(id).as(step).isEqualTo(m.lastId + 1);
            m.lastId = id;
            m.records.put(id, p);
          } catch (BufferFullException e) {
            fulls++;
            assertThat(b.stats().bytesOnDisk() + FRAME_HEADER + len + SEGMENT_HEADER)
                .as(step).isGreaterThan(config.maxBytes());
          }
          // a full append may checkpoint by itself (after a crash the ack mark may be ahead of the checkpoint)
          m.persisted = Math.max(m.persisted, b.stats().checkpointedAckedId());
        } else if (dice < 60) {
          int maxRecords = 1 + rnd.nextInt(8);
          long maxBytes = rnd.nextInt(700);
          List<BufferRecord> got = b.read(maxRecords, maxBytes);
          assertThat(got.size()).as(step).isLessThanOrEqualTo(maxRecords);
          long bytes = 0;
          for (BufferRecord r : got) {
            assertThat(r.id()).as(step).isEqualTo(m.nextToDeliver());
            assertThat(r.payload()).as(step + " payload of " + r.id()).isEqualTo(m.records.get(r.id()));
            m.cursor = r.id() + 1;
            m.handedOut.add(r.id());
            bytes += r.payload().length;
          }
          if (got.size() > 1) {
            assertThat(bytes).as(step).isLessThanOrEqualTo(maxBytes);
          }
          if (got.isEmpty()) {
            assertThat(m.nextToDeliver()).as(step).isGreaterThan(m.lastId);
          }
        } else if (dice < 82) {
          if (!m.handedOut.isEmpty()) {
            long id = new ArrayList<>(m.handedOut).get(rnd.nextInt(m.handedOut.size()));
            m.handedOut.remove(id);
            b.ack(id);
            if (id > m.persisted) {
              m.acked.add(id);
            }
          }
        } else if (dice < 84) {
          b.rewind(); // the consumer gives up on what it holds: unacked records come again
          m.cursor = m.prefix() + 1;
        } else if (dice < 92) {
          b.checkpoint();
          m.persisted = m.prefix();
          assertThat(b.stats().checkpointedAckedId()).as(step).isEqualTo(m.persisted);
        } else if (dice < 96) {
          b.close();
          m.persisted = m.prefix(); // close checkpoints (but never acknowledges)
          b = DiskBuffer.open(config);
          m.reopened();
          reopens++;
        } else {
          if (rnd.nextBoolean()) {
            b.awaitAckMarkForTesting(); // a process crash: the ack mark remembers every acknowledgement since open
            m.persisted = m.prefix() > m.prefixAtOpen ? m.prefix() : b.stats().checkpointedAckedId();
            b.crashForTesting();
          } else {
            m.persisted = b.stats().checkpointedAckedId();
            b.crashForTesting();
            Files.deleteIfExists(dir.resolve(AckMark.FILE_NAME)); // as after a power loss: acks since the last checkpoint are forgotten
          }
          b = DiskBuffer.open(config);
          m.reopened();
          reopens++;
        }
        BufferStats s = b.stats();
        assertThat(b.ackedThroughId()).as(step).isEqualTo(m.prefix());
        assertThat(s.unackedRecords()).as(step).isEqualTo(m.unacked());
        assertThat(s.bytesOnDisk()).as(step).isLessThanOrEqualTo(config.maxBytes());
        assertThat(s.corruptRecordsSkipped() + s.tornTailsTruncated() + s.missingRecordsSkipped()).as(step).isZero();
      }
      // final: everything not in the persisted prefix is still there, in order, byte-identical
      b.close();
      m.persisted = m.prefix();
      b = DiskBuffer.open(config);
      m.reopened();
      List<BufferRecord> rest = BufferTestSupport.readAll(b);
      assertThat(rest).extracting(BufferRecord::id)
          .isEqualTo(BufferTestSupport.range(m.persisted + 1, m.lastId));
      for (BufferRecord r : rest) {
        assertThat(r.payload()).isEqualTo(m.records.get(r.id()));
      }
      long segmentBytes = 0;
      try (var files = Files.list(dir)) {
        for (Path p : files.filter(p -> p.toString().endsWith(".seg")).toList()) {
          segmentBytes += Files.size(p);
        }
      }
      assertThat(b.stats().bytesOnDisk()).isEqualTo(segmentBytes);
    } finally {
      b.close();
    }
    assertThat(fulls).as("the cap was exercised").isGreaterThan(0);
    assertThat(reopens).as("restarts were exercised").isGreaterThan(10);
  }
}
