package foundation.foxlight.skulklogs.agent.buffer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** File naming and directory helpers shared by the buffer and the inspector. */
final class SegmentFiles {
  static final String SEGMENT_PREFIX = "segment-";
  static final String SEGMENT_SUFFIX = ".seg";
  static final String CHECKPOINT_PREFIX = "checkpoint-";
  static final String CHECKPOINT_SUFFIX = ".ckpt";
  static final String TEMP_SUFFIX = ".tmp";
  static final String LOCK_FILE = "buffer.lock";

  private SegmentFiles() {}

  /** A segment file and the first id encoded in its name. */
  record SegmentFile(Path path, long firstId) {}

  static String segmentName(long firstId) {
    return SEGMENT_PREFIX + String.format("%020d", firstId) + SEGMENT_SUFFIX;
  }

  static String checkpointName(long sequence) {
    return CHECKPOINT_PREFIX + String.format("%020d", sequence) + CHECKPOINT_SUFFIX;
  }

  /** @return the number between prefix and suffix, or -1 when the name does not match */
  static long parseNumber(String name, String prefix, String suffix) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) {
      return -1;
    }
    String digits = name.substring(prefix.length(), name.length() - suffix.length());
    if (digits.length() != 20) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        return -1;
      }
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** @return segment files sorted by first id (ids &gt; 0 only) */
  static List<SegmentFile> listSegments(Path dir) throws IOException {
    List<SegmentFile> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, SEGMENT_PREFIX + "*" + SEGMENT_SUFFIX)) {
      for (Path p : ds) {
        long id = parseNumber(p.getFileName().toString(), SEGMENT_PREFIX, SEGMENT_SUFFIX);
        if (id > 0 && Files.isRegularFile(p)) {
          out.add(new SegmentFile(p, id));
        }
      }
    }
    out.sort(Comparator.comparingLong(SegmentFile::firstId));
    return out;
  }

  /** @return temp files left behind by an interrupted checkpoint write */
  static List<Path> orphanTempFiles(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, CHECKPOINT_PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path p : ds) {
        out.add(p);
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Fsyncs a directory so that created, renamed or deleted entries survive a power loss. */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Directories cannot be opened or forced on some platforms (Windows); durability of the
      // entry is then up to the file system.
      if (!System.getProperty("os.name", "").toLowerCase().startsWith("windows")) {
        throw e;
      }
    }
  }
}
