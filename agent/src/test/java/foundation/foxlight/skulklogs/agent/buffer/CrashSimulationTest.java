package foundation.foxlight.skulklogs.agent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM (SIGKILL) that appends with {@link FsyncPolicy.Always} at random moments and
 * checks that every id it reported as durable survives, byte-identical, across repeated crashes
 * and recoveries of the same directory.
 */
class CrashSimulationTest {
  private static final int ROUNDS = 6;
  @TempDir Path root;

  private record Reported(long id, int round, long counter) {}

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyIdReportedDurableSurvivesAKill() throws Exception {
    Path dir = root.resolve("buffer");
    Random rnd = new Random(4242);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Reported> reported = new ArrayList<>();
    long lastIdBefore = 0;
    long tornTails = 0;
    for (int round = 0; round < ROUNDS; round++) {
      int killAfter = 1 + rnd.nextInt(400);
      Path stderr = root.resolve("child-" + round + ".err");
      Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(),
          Integer.toString(round))
          .redirectError(stderr.toFile())
          .start();
      int lines = 0;
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (lines == killAfter) {
            // SIGKILL, most likely mid-append. Through the ProcessHandle: Process.destroyForcibly()
            // also closes our end of the pipe, and the lines already in it are durable ids too.
            child.toHandle().destroyForcibly();
          }
          String[] f = line.split(" ");
          if (f.length == 4 && f[3].equals(".")) { // a line cut by the kill has no terminator
            reported.add(new Reported(Long.parseLong(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2])));
            lines++;
          }
        }
      } finally {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(lines).as("child output (stderr: %s)", Files.exists(stderr) ? Files.readString(stderr) : "")
          .isGreaterThanOrEqualTo(killAfter);

      try (DiskBuffer b = DiskBuffer.open(CrashChild.config(dir))) {
        Map<Long, byte[]> onDisk = new HashMap<>();
        long previous = 0;
        for (BufferRecord r : BufferTestSupport.readAll(b)) {
          assertThat(r.id()).isEqualTo(previous + 1); // nothing skipped: no corruption from a kill
          previous = r.id();
          onDisk.put(r.id(), r.payload());
        }
        for (Reported rep : reported) {
          assertThat(onDisk.get(rep.id())).as("durable id %d", rep.id())
              .isEqualTo(CrashChild.payload(rep.round(), rep.counter()));
        }
        assertThat(b.stats().corruptRecordsSkipped()).isZero();
        tornTails += b.stats().tornTailsTruncated();
        assertThat(b.lastAppendedId()).isGreaterThan(lastIdBefore);
        lastIdBefore = b.lastAppendedId();
      }
    }
    assertThat(reported.size()).isGreaterThan(ROUNDS);
    System.out.println("crash simulation: " + reported.size() + " durable ids verified, " + tornTails
        + " torn tail(s) repaired over " + ROUNDS + " kills");
  }
}
