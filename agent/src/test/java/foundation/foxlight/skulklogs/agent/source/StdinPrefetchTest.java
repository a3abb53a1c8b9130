package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StdinPrefetchTest {
    private static String lines(int from, int n, int width) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            String head = "line " + i + " ";
            b.append(head).append("x".repeat(Math.max(0, width - head.length()))).append('\n');
        }
        return b.toString();
    }

    private static List<String> readAll(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void passesEverythingThroughInOrder_thenTheEnd() throws Exception {
        String text = lines(0, 5_000, 100) + "a last line without newline";
        StdinPrefetch p = new StdinPrefetch(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 16L << 20, true).start();
        assertThat(new String(p.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(p.takeDroppedLines()).isZero();
    }

    /** Nobody reads (the agent is still starting): it holds what fits, drops whole lines beyond, and counts every one. */
    @Test
    void whenFull_dropsWholeLinesAndCountsThem_neverCutsOne() throws Exception {
        int written = 20_000;
        PipedInputStream pipe = new PipedInputStream(64 * 1024);
        PipedOutputStream skulk = new PipedOutputStream(pipe);
        StdinPrefetch p = new StdinPrefetch(pipe, 256 * 1024, true).start();
        // The writer finishes although nobody reads the prefetched stream: it is never blocked.
        CompletableFuture.runAsync(() -> {
            try {
                skulk.write(lines(0, written, 100).getBytes(StandardCharsets.UTF_8));
                skulk.close();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        List<String> kept = readAll(p.stream());
        long dropped = p.takeDroppedLines();
        assertThat(dropped).isPositive();
        assertThat(kept.size() + dropped).isEqualTo(written);
        assertThat(kept).allSatisfy(l -> assertThat(l).matches("line \\d+ x+").hasSize(100));
        assertThat(kept.get(0)).startsWith("line 0 ");
    }

    /** A line longer than twice the room cannot be held whole: what is held of it becomes a line, the rest is dropped. */
    @Test
    void aLineWithoutEndIsCutAndItsRestCounted() throws Exception {
        String text = lines(0, 10, 100) + "y".repeat(1_000_000) + "\n" + lines(10, 10, 100);
        PipedInputStream pipe = new PipedInputStream(64 * 1024);
        PipedOutputStream writer = new PipedOutputStream(pipe);
        StdinPrefetch p = new StdinPrefetch(pipe, 128 * 1024, true).start();
        CompletableFuture.runAsync(() -> {
            try {
                writer.write(text.getBytes(StandardCharsets.UTF_8));
                writer.close();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        List<String> kept = readAll(p.stream());
        assertThat(kept.subList(0, 10)).allSatisfy(l -> assertThat(l).startsWith("line "));
        assertThat(kept.get(10)).matches("y+").hasSizeBetween(128 * 1024, 4 * 128 * 1024);
        assertThat(p.takeDroppedLines()).as("the rest of the long line, and the lines while the room was short").isPositive();
    }

    /** when_full: block: nothing is dropped; the writer waits for the reader instead. */
    @Test
    void inBlockModeNothingIsDropped() throws Exception {
        int written = 20_000;
        PipedInputStream pipe = new PipedInputStream(64 * 1024);
        PipedOutputStream skulk = new PipedOutputStream(pipe);
        StdinPrefetch p = new StdinPrefetch(pipe, 64 * 1024, false).start();
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                skulk.write(lines(0, written, 100).getBytes(StandardCharsets.UTF_8));
                skulk.close();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        List<String> read = readAll(p.stream());
        writing.get(60, TimeUnit.SECONDS);
        assertThat(read).hasSize(written);
        assertThat(p.takeDroppedLines()).isZero();
    }
}
