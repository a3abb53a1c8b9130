package foundation.foxlight.skulklogs.agent.buffer;

import static foundation.foxlight.skulklogs.agent.buffer.RecordFormat.SEGMENT_HEADER_BYTES;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Offline, strictly read-only inspection of a buffer directory, for
 * {@code skulk-logs buffer check|dump <dir>}. Never writes, truncates, renames or deletes
 * anything and takes no lock, so it can run next to a live agent (it may then see a tail that
 * is being written as torn). Memory use is bounded: segments are streamed.
 */
public final class BufferInspector {
  private BufferInspector() {}

  /**
   * A checkpoint file as found.
   *
   * @param file file name
   * @param sequence sequence number from the file name
   * @param version format version read from the file (0 if unreadable)
   * @param valid checksum, magic, version and sequence are fine
   * @param ackedThroughId persisted acknowledged prefix (-1 if invalid)
   * @param nextId persisted next id (-1 if invalid)
   * @param error why it is invalid, null if valid
   * @param selected the checkpoint recovery would use (the newest valid one)
   */
  public record CheckpointReport(String file, long sequence, int version, boolean valid, long ackedThroughId,
      long nextId, String error, boolean selected) {}

  /**
   * Bytes holding no valid record.
   *
   * @param segment segment file name
   * @param position byte offset of the first bad byte
   * @param length bytes skipped
   * @param lostIds record ids lost in the region
   */
  public record CorruptRegion(String segment, long position, long length, long lostIds) {}

  /**
   * Half-written bytes at the end of the last segment; recovery truncates them at the next open.
   *
   * @param segment segment file name
   * @param position where the torn frame starts
   * @param bytes bytes that would be cut
   */
  public record TornTail(String segment, long position, long bytes) {}

  /**
   * One segment file.
   *
   * @param file file name
   * @param firstId first id from the file name
   * @param bytes file size
   * @param header "valid" or what is wrong with the header
   * @param records valid records
   * @param firstRecordId id of the first valid record (0 if none)
   * @param lastRecordId id of the last valid record (0 if none)
   * @param corruptRegions corrupt regions, in file order
   * @param tornTail torn tail, or null
   */
  public record SegmentReport(String file, long firstId, long bytes, String header, long records,
      long firstRecordId, long lastRecordId, List<CorruptRegion> corruptRegions, TornTail tornTail) {}

  /**
   * Result of {@link #check(Path)}.
   *
   * @param directory the inspected directory
   * @param segments every segment file in id order
   * @param checkpoints every checkpoint file, newest first
   * @param orphanTempFiles temp files of interrupted checkpoint writes (removed at next open)
   * @param records valid records in all segments
   * @param bytesOnDisk bytes of all segment files
   * @param checkpointAckedId acknowledged prefix recovery would use: the selected checkpoint's, or the ack mark's
   *     when it extends that checkpoint (0 if neither)
   * @param unackedRecords valid records above checkpointAckedId (what a restart would deliver)
   * @param corruptRecords record ids lost in corrupt regions (including unreadable segment tails)
   * @param missingRecords record ids expected but absent (gaps between segments or before the
   *     first one, relative to the checkpoint)
   * @param problems errors: anything that loses data or is not a healthy buffer
   * @param warnings expected after a crash and repaired automatically at next open (torn tail,
   *     orphan temp files, segments waiting for deletion)
   */
  public record CheckReport(Path directory, List<SegmentReport> segments, List<CheckpointReport> checkpoints,
      List<String> orphanTempFiles, long records, long bytesOnDisk, long checkpointAckedId, long unackedRecords,
      long corruptRecords, long missingRecords, List<String> problems, List<String> warnings) {

    /** @return true when no problem was found (warnings allowed) */
    public boolean ok() {
      return problems.isEmpty();
    }

    /** @return a multi-line human-readable report */
    public String render() {
      StringBuilder sb = new StringBuilder();
      sb.append("buffer ").append(directory).append(": ").append(ok() ? "OK" : "PROBLEMS FOUND").append('\n');
      sb.append("  segments: ").append(segments.size()).append(", bytes: ").append(bytesOnDisk)
          .append(", records: ").append(records).append(", unacked: ").append(unackedRecords)
          .append(", checkpoint acked through: ").append(checkpointAckedId).append('\n');
      for (CheckpointReport c : checkpoints) {
        sb.append("  checkpoint ").append(c.file()).append(" v").append(c.version())
            .append(c.valid() ? " valid acked=" + c.ackedThroughId() + " next=" + c.nextId() : " INVALID: " + c.error())
            .append(c.selected() ? " (selected)" : "").append('\n');
      }
      for (SegmentReport s : segments) {
        sb.append("  segment ").append(s.file()).append(" bytes=").append(s.bytes()).append(" records=")
            .append(s.records());
        if (s.records() > 0) {
          sb.append(" ids=").append(s.firstRecordId()).append("..").append(s.lastRecordId());
        }
        if (!"valid".equals(s.header())) {
          sb.append(" header: ").append(s.header());
        }
        sb.append('\n');
        for (CorruptRegion r : s.corruptRegions()) {
          sb.append("    corrupt at ").append(r.position()).append(" length ").append(r.length())
              .append(" lost ids ").append(r.lostIds()).append('\n');
        }
        if (s.tornTail() != null) {
          sb.append("    torn tail at ").append(s.tornTail().position()).append(" (").append(s.tornTail().bytes())
              .append(" bytes)\n");
        }
      }
      for (String p : problems) {
        sb.append("  PROBLEM: ").append(p).append('\n');
      }
      for (String w : warnings) {
        sb.append("  warning: ").append(w).append('\n');
      }
      return sb.toString();
    }
  }

  /**
   * Validates every segment and checkpoint in {@code dir} without modifying anything.
   *
   * @return the report; {@link CheckReport#ok()} tells whether the buffer is healthy
   */
  public static CheckReport check(Path dir) throws IOException {
    return walk(dir, null);
  }

  /**
   * Prints one line per valid record: id, append time, payload size, acked/unacked (relative to the
   * acknowledged prefix recovery would use: checkpoint or ack mark) and {@code describePayload}'s description (its exceptions are
   * reported inline). Corrupt regions and torn tails are printed as lines starting with '#'.
   * Read-only; one payload in memory at a time.
   */
  public static void dump(Path dir, PrintStream out, Function<byte[], String> describePayload)
      throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(describePayload, "describePayload");
    walk(dir, new Dump(out, describePayload));
  }

  private record Dump(PrintStream out, Function<byte[], String> describe) {}

  private static CheckReport walk(Path dir, Dump dump) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a buffer directory");
    }
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();

    BufferCheckpoint.Loaded loaded = BufferCheckpoint.load(dir);
    List<CheckpointReport> checkpoints = new ArrayList<>();
    for (BufferCheckpoint.Entry e : loaded.entries()) {
      BufferCheckpoint cp = e.checkpoint();
      boolean selected = cp != null && cp == loaded.selected();
      checkpoints.add(new CheckpointReport(e.path().getFileName().toString(), e.sequence(), e.version(), e.valid(),
          cp == null ? -1 : cp.ackedThroughId(), cp == null ? -1 : cp.nextId(), e.error(), selected));
      if (!e.valid()) {
        problems.add("checkpoint " + e.path().getFileName() + " is invalid (" + e.error() + ")");
      }
    }
    long acked = loaded.selected() == null ? 0 : loaded.selected().ackedThroughId();
    AckMark mark = AckMark.extending(dir, loaded.selected()).orElse(null);
    if (mark != null) {
      warnings.add(AckMark.FILE_NAME + ": records " + (acked + 1) + ".." + mark.ackedThroughId() + " were acknowledged by Kafka"
          + " after the last checkpoint; they are not sent again (checkpointed at the next open)");
      acked = mark.ackedThroughId();
    }

    List<String> orphans = new ArrayList<>();
    for (Path p : SegmentFiles.orphanTempFiles(dir)) {
      orphans.add(p.getFileName().toString());
      warnings.add("orphan temp file " + p.getFileName() + " (interrupted checkpoint write; removed at next open)");
    }

    List<SegmentFiles.SegmentFile> files = SegmentFiles.listSegments(dir);
    List<SegmentReport> reports = new ArrayList<>();
    FrameReader scanReader = new FrameReader(DiskBuffer.READ_AHEAD_BYTES);
    FrameReader payloadReader = dump == null ? null : new FrameReader(DiskBuffer.READ_AHEAD_BYTES);
    long[] totals = new long[4]; // records, unacked, corrupt ids, missing ids
    long bytesOnDisk = 0;
    long expected = -1;
    boolean previousUnreadableTail = false;
    int fullyAcked = 0;
    for (int i = 0; i < files.size(); i++) {
      SegmentFiles.SegmentFile f = files.get(i);
      boolean last = i == files.size() - 1;
      String name = f.path().getFileName().toString();
      long size = Files.size(f.path());
      bytesOnDisk += size;
      if (!last && files.get(i + 1).firstId() - 1 <= acked) {
        fullyAcked++;
      }
      if (expected < 0) {
        if (f.firstId() > acked + 1) {
          long n = f.firstId() - acked - 1;
          totals[3] += n;
          problems.add(n + " record id(s) [" + (acked + 1) + ", " + (f.firstId() - 1)
              + "] missing before " + name + " (segment deleted by hand, or checkpoint fell back)");
          comment(dump, "missing ids " + (acked + 1) + ".." + (f.firstId() - 1) + " before " + name);
        }
      } else if (expected < f.firstId()) {
        long from = Math.max(expected, acked + 1);
        if (from < f.firstId()) {
          long n = f.firstId() - from;
          if (previousUnreadableTail) {
            totals[2] += n;
          } else {
            totals[3] += n;
            problems.add(n + " record id(s) [" + from + ", " + (f.firstId() - 1) + "] missing before " + name);
          }
          comment(dump, (previousUnreadableTail ? "lost" : "missing") + " ids " + from + ".." + (f.firstId() - 1)
              + " before " + name);
        }
      }
      expected = Math.max(expected, f.firstId());

      try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
        RecordFormat.SegmentHeader header = RecordFormat.readSegmentHeader(ch, size, f.firstId());
        String headerText = header.valid() ? "valid" : header.status().description
            + (header.status() == RecordFormat.HeaderStatus.UNSUPPORTED_VERSION ? " " + header.version() : "");
        if (!header.valid()) {
          if (last && header.status() == RecordFormat.HeaderStatus.TOO_SHORT) {
            warnings.add("segment " + name + " was torn while being created (" + size + " bytes); removed at next open");
          } else {
            problems.add("segment " + name + " header: " + headerText);
          }
        }
        List<CorruptRegion> regions = new ArrayList<>();
        long[] seg = new long[3]; // records, first id, last id
        TornTail torn = null;
        if (header.status() != RecordFormat.HeaderStatus.TOO_SHORT
            && header.status() != RecordFormat.HeaderStatus.UNSUPPORTED_VERSION) {
          final long ackedFinal = acked;
          SegmentScanner.Result result = SegmentScanner.scan(scanReader, ch, SEGMENT_HEADER_BYTES, size, f.firstId(),
              new SegmentScanner.Listener() {
                @Override
                public void record(long id, long position, int payloadLength, long appendedAt) throws IOException {
                  seg[0]++;
                  if (seg[1] == 0) {
                    seg[1] = id;
                  }
                  seg[2] = id;
                  totals[0]++;
                  if (id > ackedFinal) {
                    totals[1]++;
                  }
                  if (dump != null) {
                    dump.out().println(describe(dump, payloadReader, ch, size, id, position, payloadLength,
                        appendedAt, id > ackedFinal));
                  }
                }

                @Override
                public void corrupt(long position, long resumePosition, long firstLostId, long resumeId) {
                  long lost = resumeId - firstLostId;
                  regions.add(new CorruptRegion(name, position, resumePosition - position, lost));
                  totals[2] += lost;
                  problems.add("segment " + name + ": corrupt bytes [" + position + ", " + resumePosition
                      + "), " + lost + " record id(s) lost");
                  comment(dump, "corrupt " + name + " at " + position + " length " + (resumePosition - position)
                      + ", lost ids " + firstLostId + ".." + (resumeId - 1));
                }
              });
          expected = result.nextExpectedId();
          long tail = size - result.validEnd();
          if (tail > 0) {
            if (last && header.valid()) {
              torn = new TornTail(name, result.validEnd(), tail);
              warnings.add("segment " + name + ": torn tail of " + tail + " bytes at " + result.validEnd()
                  + " (crash while appending; truncated at next open)");
              comment(dump, "torn tail " + name + " at " + result.validEnd() + " (" + tail + " bytes)");
            } else {
              regions.add(new CorruptRegion(name, result.validEnd(), tail, 0));
              problems.add("segment " + name + ": " + tail + " unreadable bytes at the end, from "
                  + result.validEnd());
              comment(dump, "unreadable tail " + name + " at " + result.validEnd() + " (" + tail + " bytes)");
            }
          }
          previousUnreadableTail = tail > 0;
        } else {
          previousUnreadableTail = true;
        }
        reports.add(new SegmentReport(name, f.firstId(), size, headerText, seg[0], seg[1], seg[2],
            List.copyOf(regions), torn));
      }
    }
    if (fullyAcked > 0) {
      warnings.add(fullyAcked + " segment(s) fully acknowledged, deleted at the next open or checkpoint");
    }
    return new CheckReport(dir, List.copyOf(reports), List.copyOf(checkpoints), List.copyOf(orphans), totals[0],
        bytesOnDisk, acked, totals[1], totals[2], totals[3], List.copyOf(problems), List.copyOf(warnings));
  }

  private static void comment(Dump dump, String text) {
    if (dump != null) {
      dump.out().println("# " + text);
    }
  }

  private static String describe(Dump dump, FrameReader reader, FileChannel ch, long end, long id, long position,
      int payloadLength, long appendedAt, boolean unacked) throws IOException {
    String description;
    byte[] payload = reader.readHeader(ch, position, end, id, id) ? reader.readPayload(ch, position, end) : null;
    if (payload == null) {
      description = "<unreadable>";
    } else {
      try {
        description = dump.describe().apply(payload);
      } catch (RuntimeException e) {
        description = "<describe failed: " + e + ">";
      }
    }
    return "id=" + id + " appended=" + Instant.ofEpochMilli(appendedAt) + " size=" + payloadLength + " "
        + (unacked ? "unacked" : "acked") + " " + description;
  }
}
