package foundation.foxlight.skulklogs.agent.buffer;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child process of {@link CrashSimulationTest}: appends forever with {@link FsyncPolicy.Always}
 * and prints {@code <id> <round> <counter> .} after each append returned (the id is durable).
 * The parent kills it with SIGKILL at a random moment.
 */
public final class CrashChild {
  private CrashChild() {}

  static BufferConfig config(Path dir) {
    return new BufferConfig(dir, 1024L * 1024 * 1024, 256 * 1024, FsyncPolicy.always());
  }

  static byte[] payload(int round, long counter) {
    Random r = new Random(round * 1_000_003L + counter);
    // mostly small records, sometimes multi-page ones (a SIGKILL can cut those short)
    byte[] b = new byte[r.nextInt(8) == 0 ? 64 * 1024 + r.nextInt(256 * 1024) : 50 + r.nextInt(3000)];
    r.nextBytes(b);
    return b;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    DiskBuffer buffer = DiskBuffer.open(config(dir));
    for (long counter = 0; ; counter++) {
      long id = buffer.append(payload(round, counter));
      out.println(id + " " + round + " " + counter + " .");
      out.flush();
    }
  }
}
