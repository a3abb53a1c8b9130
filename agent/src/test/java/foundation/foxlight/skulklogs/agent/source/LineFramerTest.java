package foundation.foxlight.skulklogs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Line> feed(LineFramer f, String s) {
        return feed(f, bytes(s));
    }

    private static List<Line> feed(LineFramer f, byte[] b) {
        List<Line> out = new ArrayList<>();
        f.feed(b, 0, b.length, out::add);
        return out;
    }

    private static String text(Line l) {
        return new String(l.bytes(), StandardCharsets.UTF_8);
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ examples

    @Test
    void completeLinesWithTheirOffsets() {
        LineFramer f = new LineFramer(100, 0);
        List<Line> lines = feed(f, "a\nbb\n\nccc");
        assertThat(lines).extracting(LineFramerTest::text).containsExactly("a", "bb", "");
        assertThat(lines).extracting(Line::startOffset).containsExactly(0L, 2L, 5L);
        assertThat(lines).extracting(Line::endOffset).containsExactly(2L, 5L, 6L);
        assertThat(lines).extracting(Line::kind).containsOnly(Line.Kind.COMPLETE);
        assertThat(f.pendingBytes()).isEqualTo(3);
        assertThat(f.resumeOffset()).isEqualTo(6);
    }

    @Test
    void offsetsStartAtTheGivenOffset() {
        LineFramer f = new LineFramer(100, 1000);
        List<Line> lines = feed(f, "ab\ncd\n");
        assertThat(lines).extracting(Line::startOffset).containsExactly(1000L, 1003L);
        assertThat(lines).extracting(Line::endOffset).containsExactly(1003L, 1006L);
        assertThat(f.resumeOffset()).isEqualTo(1006);
    }

    @Test
    void aCarriageReturnBeforeTheNewlineIsRemovedOthersAreKept() {
        LineFramer f = new LineFramer(100, 0);
        List<Line> lines = feed(f, "a\r\nb\rc\n\r\n\r\r\n");
        assertThat(lines).extracting(LineFramerTest::text).containsExactly("a", "b\rc", "", "\r");
        assertThat(lines).extracting(Line::endOffset).containsExactly(3L, 7L, 9L, 12L);
    }

    @Test
    void aCarriageReturnAndItsNewlineInDifferentChunks() {
        LineFramer f = new LineFramer(100, 0);
        assertThat(feed(f, "abc\r")).isEmpty();
        List<Line> lines = feed(f, "\n");
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(text(l)).isEqualTo("abc");
            assertThat(l.endOffset()).isEqualTo(5);
        });
    }

    @Test
    void aLineFedInManyChunksComesOutWhole() {
        LineFramer f = new LineFramer(100, 0);
        assertThat(feed(f, "{\"msg\":")).isEmpty();
        assertThat(feed(f, " \"hel")).isEmpty();
        assertThat(f.pendingBytes()).isEqualTo(12);
        assertThat(f.resumeOffset()).isZero();
        List<Line> lines = feed(f, "lo\"}\nnext");
        assertThat(lines).extracting(LineFramerTest::text).containsExactly("{\"msg\": \"hello\"}");
        assertThat(f.resumeOffset()).isEqualTo(17);
    }

    @Test
    void feedHonoursOffsetAndLength() {
        LineFramer f = new LineFramer(100, 0);
        byte[] buf = bytes("XXab\ncdYY");
        List<Line> out = new ArrayList<>();
        f.feed(buf, 2, 5, out::add);
        assertThat(out).extracting(LineFramerTest::text).containsExactly("ab");
        assertThat(f.pendingBytes()).isEqualTo(2);
    }

    @Test
    void flushPartialShipsThePendingBytes() {
        LineFramer f = new LineFramer(100, 10);
        feed(f, "a\nbcd");
        Line p = f.flushPartial();
        assertThat(p.kind()).isEqualTo(Line.Kind.PARTIAL);
        assertThat(text(p)).isEqualTo("bcd");
        assertThat(p.startOffset()).isEqualTo(12);
        assertThat(p.endOffset()).isEqualTo(15);
        assertThat(f.pendingBytes()).isZero();
        assertThat(f.resumeOffset()).isEqualTo(15);
        assertThat(f.flushPartial()).as("nothing pending").isNull();
        List<Line> rest = feed(f, "e\n");
        assertThat(rest).singleElement().satisfies(l -> {
            assertThat(text(l)).isEqualTo("e");
            assertThat(l.startOffset()).isEqualTo(15);
            assertThat(l.endOffset()).isEqualTo(17);
        });
    }

    @Test
    void aPartialLineKeepsItsCarriageReturn() {
        LineFramer f = new LineFramer(100, 0);
        feed(f, "abc\r");
        assertThat(text(f.flushPartial())).isEqualTo("abc\r");
    }

    @Test
    void longLinesComeInPiecesOfAtMostMaxLineBytes() {
        LineFramer f = new LineFramer(4, 0);
        List<Line> lines = feed(f, "abcdefghij\nxy\n");
        assertThat(lines).extracting(LineFramerTest::text).containsExactly("abcd", "efgh", "ij", "xy");
        assertThat(lines).extracting(Line::kind).containsExactly(Line.Kind.SPLIT, Line.Kind.SPLIT, Line.Kind.COMPLETE,
                Line.Kind.COMPLETE);
        assertThat(lines).extracting(Line::startOffset).containsExactly(0L, 4L, 8L, 11L);
        assertThat(lines).extracting(Line::endOffset).containsExactly(4L, 8L, 11L, 14L);
    }

    @Test
    void aLineOfExactlyMaxLineBytesIsNotSplit() {
        LineFramer f = new LineFramer(4, 0);
        assertThat(feed(f, "abcd\nefghijkl\n")).extracting(LineFramerTest::text, Line::kind).containsExactly(
                tuple("abcd", Line.Kind.COMPLETE),
                tuple("efgh", Line.Kind.SPLIT),
                tuple("ijkl", Line.Kind.COMPLETE));
    }

    @Test
    void aFullBufferWaitsForTheNextByteBeforeSplitting() {
        // whether "abcd" is a whole line or the first piece is only known when the next byte comes
        LineFramer f = new LineFramer(4, 0);
        assertThat(feed(f, "abcd")).isEmpty();
        assertThat(f.pendingBytes()).isEqualTo(4);
        assertThat(feed(f, "e")).singleElement().satisfies(l -> {
            assertThat(l.kind()).isEqualTo(Line.Kind.SPLIT);
            assertThat(text(l)).isEqualTo("abcd");
        });
        assertThat(f.resumeOffset()).as("a restart resumes after the piece shipped").isEqualTo(4);
        assertThat(f.pendingBytes()).isEqualTo(1);
    }

    @Test
    void aPieceIsNotCutThroughAUtf8Character() {
        LineFramer f = new LineFramer(5, 0);
        // "aaaa€b": € is E2 82 AC; a cut after 5 bytes would split it
        List<Line> lines = feed(f, "aaaa\u20acb\n");
        assertThat(lines).extracting(LineFramerTest::text).containsExactly("aaaa", "\u20acb");
        assertThat(lines).extracting(Line::kind).containsExactly(Line.Kind.SPLIT, Line.Kind.COMPLETE);
        assertThat(lines).extracting(Line::endOffset).containsExactly(4L, 9L);
    }

    @Test
    void aFourByteCharacterAtTheCut() {
        LineFramer f = new LineFramer(6, 0);
        // "abc😀def": the emoji (F0 9F 98 80) occupies bytes 3..6; max 6 would cut it after its 3rd byte
        List<Line> lines = feed(f, "abc\uD83D\uDE00def\n");
        assertThat(lines).extracting(LineFramerTest::text).containsExactly("abc", "\uD83D\uDE00de", "f");
        assertThat(lines).allSatisfy(l -> assertThat(validUtf8(l.bytes())).isTrue());
    }

    @Test
    void aCharacterEndingExactlyAtTheCutStaysInThePiece() {
        LineFramer f = new LineFramer(4, 0);
        List<Line> lines = feed(f, "a\u20acbc\n"); // a E2 82 AC | b c
        assertThat(lines).extracting(LineFramerTest::text).containsExactly("a\u20ac", "bc");
    }

    @Test
    void invalidBytesAreCutAtMaxLineBytes() {
        LineFramer f = new LineFramer(4, 0);
        byte[] in = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 'b', '\n'};
        List<Line> lines = feed(f, in);
        assertThat(lines).extracting(l -> l.bytes().length).containsExactly(4, 2);
    }

    @Test
    void aTinyMaximumStillMakesProgressThroughMultiByteCharacters() {
        LineFramer f = new LineFramer(1, 0);
        List<Line> lines = feed(f, "\u20ac\n");
        assertThat(lines).extracting(l -> l.bytes().length).containsExactly(1, 1, 1);
    }

    @Test
    void resetForgetsPendingBytes() {
        LineFramer f = new LineFramer(100, 0);
        feed(f, "abc");
        f.reset(500);
        assertThat(f.pendingBytes()).isZero();
        assertThat(f.resumeOffset()).isEqualTo(500);
        assertThat(feed(f, "x\n")).singleElement().satisfies(l -> {
            assertThat(text(l)).isEqualTo("x");
            assertThat(l.startOffset()).isEqualTo(500);
            assertThat(l.endOffset()).isEqualTo(502);
        });
    }

    @Test
    void aTenMegabyteLineWithoutNewlineStaysWithinMaxLineBytes() {
        int max = 1024;
        LineFramer f = new LineFramer(max, 0);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        long pieces = 0;
        long pieceBytes = 0;
        for (int i = 0; i < 160; i++) { // 10 MiB
            List<Line> out = feed(f, chunk);
            for (Line l : out) {
                assertThat(l.kind()).isEqualTo(Line.Kind.SPLIT);
                assertThat(l.bytes().length).isEqualTo(max);
                pieces++;
                pieceBytes += l.bytes().length;
            }
            assertThat(f.pendingBytes()).isBetween(1, max);
        }
        assertThat(pieceBytes + f.pendingBytes()).isEqualTo(160L * 64 * 1024);
        assertThat(pieces).isEqualTo(160L * 64 * 1024 / max - 1);
        assertThat(f.resumeOffset()).isEqualTo(pieceBytes);
    }

    @Test
    void maxLineBytesMustBePositive() {
        assertThatThrownBy(() -> new LineFramer(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ properties

    @Provide
    Arbitrary<byte[]> streams() {
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.of((byte) 'a', (byte) 'b', (byte) '{', (byte) '"')),
                Tuple.of(8, Arbitraries.just((byte) '\n')),
                Tuple.of(4, Arbitraries.just((byte) '\r')),
                Tuple.of(4, Arbitraries.of((byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xF0, (byte) 0x9F, (byte) 0x98)),
                Tuple.of(2, Arbitraries.bytes()));
        return b.array(byte[].class).ofMaxSize(600);
    }

    /** Feeds {@code input} in chunks of the given sizes (cycled); flushes a partial line where asked. */
    private static List<Line> frame(LineFramer f, byte[] input, List<Integer> chunks, List<Integer> flushAfterChunk,
            long start, int max) {
        List<Line> lines = new ArrayList<>();
        int pos = 0;
        int k = 0;
        while (pos < input.length) {
            int n = Math.min(chunks.get(k % chunks.size()), input.length - pos);
            f.feed(input, pos, n, lines::add);
            pos += n;
            assertThat(f.pendingBytes()).isBetween(0, max);
            assertThat(f.resumeOffset()).as("resume offset = fed - pending").isEqualTo(start + pos - f.pendingBytes());
            if (!lines.isEmpty()) {
                assertThat(f.resumeOffset()).isEqualTo(lines.get(lines.size() - 1).endOffset());
            }
            if (flushAfterChunk.contains(k)) {
                Line p = f.flushPartial();
                if (p != null) {
                    lines.add(p);
                }
            }
            k++;
        }
        return lines;
    }

    @Property(tries = 1000)
    void linesPlusPendingReproduceTheInputWithContiguousOffsets(
            @ForAll("streams") byte[] input,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 70) Integer> chunks,
            @ForAll @Size(max = 3) List<@IntRange(min = 0, max = 30) Integer> flushAfterChunk,
            @ForAll @IntRange(min = 1, max = 40) int max,
            @ForAll @LongRange(min = 0, max = 1L << 40) long start) {
        LineFramer f = new LineFramer(max, start);
        List<Line> lines = frame(f, input, chunks, flushAfterChunk, start, max);
        int pendingAtEnd = f.pendingBytes();
        Line last = f.flushPartial();
        if (last != null) {
            assertThat(last.bytes()).hasSize(pendingAtEnd);
            lines.add(last);
        }

        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        long expectedStart = start;
        for (Line l : lines) {
            assertThat(l.startOffset()).as("contiguous").isEqualTo(expectedStart);
            long consumed = l.endOffset() - l.startOffset();
            assertThat(l.bytes().length).isLessThanOrEqualTo(max);
            switch (l.kind()) {
                case COMPLETE -> {
                    assertThat(consumed - l.bytes().length).as("terminator \\n or \\r\\n").isBetween(1L, 2L);
                    rebuilt.writeBytes(l.bytes());
                    rebuilt.writeBytes(consumed - l.bytes().length == 2 ? bytes("\r\n") : bytes("\n"));
                }
                case SPLIT -> {
                    assertThat(consumed).isEqualTo(l.bytes().length);
                    assertThat(l.bytes().length).as("a piece is cut at most 3 bytes early").isGreaterThanOrEqualTo(Math.max(1, max - 3));
                    rebuilt.writeBytes(l.bytes());
                }
                case PARTIAL -> {
                    assertThat(consumed).isEqualTo(l.bytes().length);
                    assertThat(l.bytes()).isNotEmpty();
                    rebuilt.writeBytes(l.bytes());
                }
            }
            for (byte b : l.bytes()) {
                assertThat(b).as("no newline inside a line").isNotEqualTo((byte) '\n');
            }
            expectedStart = l.endOffset();
        }
        assertThat(rebuilt.toByteArray()).isEqualTo(input);
        assertThat(expectedStart).isEqualTo(start + input.length);
    }

    @Property(tries = 500)
    void piecesOfValidUtf8AreValidUtf8(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 6) Integer> kinds,
            @ForAll @IntRange(min = 4, max = 30) int max,
            @ForAll @IntRange(min = 1, max = 50) int chunk) {
        String[] alphabet = {"a", "\u00e9", "\u20ac", "\uD83D\uDE00", "\n", "z", "\u4e2d"};
        StringBuilder s = new StringBuilder();
        for (int k : kinds) {
            s.append(alphabet[k]);
        }
        byte[] input = bytes(s.toString());
        LineFramer f = new LineFramer(max, 0);
        List<Line> lines = frame(f, input, List.of(chunk), List.of(), 0, max);
        Line last = f.flushPartial();
        if (last != null) {
            lines.add(last);
        }
        StringBuilder joined = new StringBuilder();
        for (Line l : lines) {
            assertThat(validUtf8(l.bytes())).as("piece %s", Arrays.toString(l.bytes())).isTrue();
            joined.append(text(l));
            if (l.kind() == Line.Kind.COMPLETE) {
                joined.append('\n');
            }
        }
        assertThat(joined.toString()).isEqualTo(s.toString());
    }
}
