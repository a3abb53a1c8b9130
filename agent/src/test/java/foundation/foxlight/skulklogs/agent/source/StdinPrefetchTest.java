package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    /** A prefetch on a 64 KiB pipe (as Skulk's), and the writer (Skulk) on its own thread, done once all is written. */
    private record Piped(StdinPrefetch prefetch, CompletableFuture<Void> writing) {
    }

    private static Piped pipe(String text, long maxBytes, boolean dropWhenFull) throws java.io.IOException {
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        StdinPrefetch prefetch = new StdinPrefetch(in, maxBytes, dropWhenFull).start();
        return new Piped(prefetch, CompletableFuture.runAsync(() -> {
            try (out) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
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
        Piped piped = pipe(lines(0, written, 100), 256 * 1024, true);
        StdinPrefetch p = piped.prefetch();
        piped.writing().get(60, TimeUnit.SECONDS); // although nobody reads the prefetched stream: never blocked
        await().atMost(Duration.ofSeconds(60)).until(p::upstreamEnded); // what was still in the pipe is taken in too
        long held = p.heldLines();
        List<String> kept = readAll(p.stream());
        assertThat(held).as("held lines, as an agent that cannot start reports them").isEqualTo(kept.size());
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
        Piped piped = pipe(text, 128 * 1024, true);
        StdinPrefetch p = piped.prefetch();
        piped.writing().get(60, TimeUnit.SECONDS);
        List<String> kept = readAll(p.stream());
        assertThat(kept.subList(0, 10)).allSatisfy(l -> assertThat(l).startsWith("line "));
        assertThat(kept.get(10)).matches("y+").hasSizeBetween(128 * 1024, 4 * 128 * 1024);
        assertThat(p.takeDroppedLines()).as("the rest of the long line, and the lines while the room was short").isPositive();
    }

    /** when_full: block: nothing is dropped; the writer waits for the reader instead. */
    @Test
    void inBlockModeNothingIsDropped() throws Exception {
        int written = 20_000;
        Piped piped = pipe(lines(0, written, 100), 64 * 1024, false);
        StdinPrefetch p = piped.prefetch();
        List<String> read = readAll(p.stream());
        piped.writing().get(60, TimeUnit.SECONDS);
        assertThat(read).hasSize(written);
        assertThat(p.takeDroppedLines()).isZero();
    }
}
