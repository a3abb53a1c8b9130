package foundation.foxlight.skulklogs.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

    static EventBatch sampleBatch() {
        List<LogEvent> events = new ArrayList<>();
        TestEvents.SKULK_LINES.forEach(line -> events.add(TestEvents.parse(line)));
        events.add(TestEvents.parse("not json \u001b[0m"));
        events.add(LogEvent.builder().put("n", null).put("t", true).put("f", false).put("min", Long.MIN_VALUE)
                .put("max", Long.MAX_VALUE).put("zero", 0L).put("neg", -1L).put("j", new JsonText("1e400"))
                .put("", "").put("one", "x").put("lone", "\ud800").put("nul", "\u0000").build());
        return new EventBatch("mac-studio-1", "/Users/skulk/.skulk/logs/skulk.stdout.log", 123_456L, 1_777_900_000_000L,
                events);
    }

    /** A v1 header followed by a body written by {@code body}. */
    static byte[] handMade(Consumer<Output> body) {
        Output out = new Output(64, -1);
        out.writeBytes(new byte[] {'S', 'K', 'L', 'B', 1});
        body.accept(out);
        return out.toBytes();
    }

    static BatchFormatException decodeFailure(byte[] bytes) {
        Throwable t = catchThrowable(() -> BatchCodec.decode(bytes));
        assertThat(t).isInstanceOf(BatchFormatException.class);
        return (BatchFormatException) t;
    }

    @Test
    void aThreadsReusedBufferLeaksNothingFromEarlierBatches() throws Exception {
        byte[] alone = BatchCodec.encode(sampleBatch());
        // Larger than the buffer a thread keeps, then smaller than it: both leave the next encoding exact.
        List<LogEvent> big = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            big.add(LogEvent.builder().put("msg", "x".repeat(500) + i).build());
        }
        EventBatch bigBatch = new EventBatch("node", "src", 7, 1L, big);
        byte[] bigBytes = BatchCodec.encode(bigBatch);
        assertThat(bigBytes.length).isGreaterThan(BatchCodec.RETAINED_BUFFER_BYTES);
        assertThat(BatchCodec.encode(sampleBatch())).isEqualTo(alone);
        List<LogEvent> medium = new ArrayList<>(big.subList(0, 1000));
        BatchCodec.encode(new EventBatch("node", "src", 8, 1L, medium));
        assertThat(BatchCodec.encode(sampleBatch())).isEqualTo(alone);
        assertThat(BatchCodec.decode(bigBytes)).isEqualTo(bigBatch);
    }

    @Test
    void roundTripsASampleBatch() throws BatchFormatException {
        EventBatch batch = sampleBatch();

        EventBatch decoded = BatchCodec.decode(BatchCodec.encode(batch));

        assertThat(decoded).isEqualTo(batch);
        assertThat(decoded.events().get(0).get(LogEvent.LINE)).isEqualTo(142L);
    }

    @Test
    void roundTripsAnEmptyBatchWithoutSequence() throws BatchFormatException {
        EventBatch batch = new EventBatch("", "stdin", -1, 0, List.of());

        assertThat(BatchCodec.decode(BatchCodec.encode(batch))).isEqualTo(batch);
    }

    @Test
    void roundTripsStringsAroundKryosEncodingBoundaries() throws BatchFormatException {
        LogEvent.Builder b = LogEvent.builder();
        for (int len : new int[] {0, 1, 2, 63, 64, 65, 127, 128, 129, 8191, 8192, 100_000}) {
            b.put("ascii" + len, "a".repeat(len));
            b.put("utf" + len, "\u00e9".repeat(len));
            b.put("mixed" + len, "a\ud83d\ude80".repeat(len / 3 + 1));
        }
        b.put("high-bit-last", "abc\u0080").put("del", "\u007f\u007f");
        EventBatch batch = new EventBatch("n\u00f6de", "\ud800", Long.MIN_VALUE, Long.MAX_VALUE, List.of(b.build()));

        assertThat(BatchCodec.decode(BatchCodec.encode(batch))).isEqualTo(batch);
    }

    @Test
    void tenThousandFieldsDecode() throws BatchFormatException {
        LogEvent.Builder b = LogEvent.builder();
        for (int i = 0; i < 10_000; i++) {
            b.put("f" + i, (long) i);
        }
        EventBatch batch = new EventBatch("n", "s", 0, 0, List.of(b.build()));

        assertThat(BatchCodec.decode(BatchCodec.encode(batch))).isEqualTo(batch);
    }

    @Test
    void startsWithMagicAndVersion() {
        byte[] bytes = BatchCodec.encode(sampleBatch());

        assertThat(Arrays.copyOf(bytes, 5)).containsExactly('S', 'K', 'L', 'B', 1);
    }

    @Test
    void encodingIsDeterministic() {
        assertThat(BatchCodec.encode(sampleBatch())).isEqualTo(BatchCodec.encode(sampleBatch()));
    }

    @Test
    void rejectsInputShorterThanTheHeader() {
        assertThat(decodeFailure(new byte[0])).hasMessage(
                "not a skulk-logs batch: 0 bytes, shorter than the 5-byte header");
        assertThat(decodeFailure(new byte[] {'S', 'K', 'L', 'B'})).hasMessageContaining("4 bytes");
    }

    @Test
    void rejectsBadMagic() {
        byte[] jsonLine = TestEvents.utf8(TestEvents.SKULK_LINES.get(0));

        assertThat(decodeFailure(jsonLine)).hasMessage("not a skulk-logs batch (bad magic 0x7B227473)");
        assertThat(decodeFailure(new byte[] {0, 0, 0, 0, 1})).hasMessage("not a skulk-logs batch (bad magic 0x00000000)");
    }

    @Test
    void rejectsOtherVersions() {
        byte[] bytes = BatchCodec.encode(sampleBatch());
        for (int v : new int[] {0, 2, 255}) {
            bytes[4] = (byte) v;
            assertThat(decodeFailure(bytes)).hasMessage("unsupported batch format version " + v + " (this build reads 1)");
        }
    }

    @Test
    void everyStrictPrefixIsRejected() {
        byte[] bytes = BatchCodec.encode(sampleBatch());

        for (int len = 0; len < bytes.length; len++) {
            byte[] prefix = Arrays.copyOf(bytes, len);
            assertThat(catchThrowable(() -> BatchCodec.decode(prefix))).as("prefix of %d bytes", len)
                    .isInstanceOf(BatchFormatException.class);
        }
    }

    @Test
    void truncatedBodyIsReportedAsTruncated() {
        byte[] bytes = BatchCodec.encode(sampleBatch());

        for (int cut : new int[] {1, 2, 10, bytes.length / 2, bytes.length - 6}) {
            assertThat(decodeFailure(Arrays.copyOf(bytes, bytes.length - cut))).as("cut %d", cut)
                    .hasMessageStartingWith("truncated");
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = BatchCodec.encode(sampleBatch());

        assertThat(decodeFailure(Arrays.copyOf(bytes, bytes.length + 1)))
                .hasMessage("corrupt batch: 1 trailing bytes after the last event (at byte " + bytes.length + ")");
    }

    @Test
    void rejectsUnknownTypeTag() {
        byte[] bytes = handMade(out -> {
            out.writeString("node");
            out.writeString("src");
            out.writeVarLong(0, false);
            out.writeLong(0);
            out.writeVarInt(1, true);
            out.writeVarInt(1, true);
            out.writeString("k");
            out.writeByte(9);
        });

        assertThat(decodeFailure(bytes)).hasMessageStartingWith("corrupt batch: unknown value type tag 0x09 at byte ")
                .hasMessageContaining("field 'k' of event 0");
    }

    @Test
    void rejectsCountsLargerThanTheRemainingBytes() {
        byte[] events = handMade(out -> {
            out.writeString("node");
            out.writeString("src");
            out.writeVarLong(0, false);
            out.writeLong(0);
            out.writeVarInt(Integer.MAX_VALUE, true);
        });
        byte[] fields = handMade(out -> {
            out.writeString("node");
            out.writeString("src");
            out.writeVarLong(0, false);
            out.writeLong(0);
            out.writeVarInt(1, true);
            out.writeVarInt(3, true);
            out.writeString("k");
            out.writeByte(BatchCodec.TAG_NULL);
        });

        assertThat(decodeFailure(events)).hasMessageContaining("event count 2147483647")
                .hasMessageContaining("cannot fit in the remaining 0 bytes");
        assertThat(decodeFailure(fields)).hasMessageContaining("field count of event 0 3");
    }

    @Test
    void rejectsAStringLengthLargerThanTheRemainingBytesWithoutAllocatingIt() {
        byte[] bytes = handMade(out -> {
            // the length-prefixed form with a char count of 2^31 - 2
            out.writeVarIntFlag(true, Integer.MAX_VALUE, true);
        });

        assertThat(decodeFailure(bytes)).hasMessage(
                "truncated or corrupt batch: nodeId at byte 5 claims 2147483646 chars but only 0 bytes remain");
    }

    @Test
    void rejectsNullStrings() {
        byte[] nodeId = handMade(out -> out.writeString(null));
        byte[] value = handMade(out -> {
            out.writeString("node");
            out.writeString("src");
            out.writeVarLong(0, false);
            out.writeLong(0);
            out.writeVarInt(1, true);
            out.writeVarInt(1, true);
            out.writeString("k");
            out.writeByte(BatchCodec.TAG_JSON_TEXT);
            out.writeString(null);
        });

        assertThat(decodeFailure(nodeId)).hasMessage("corrupt batch: nodeId is null at byte 5");
        assertThat(decodeFailure(value)).hasMessageContaining("value of field 'k' of event 0 is null");
    }

    @Test
    void rejectsRepeatedFieldNames() {
        for (int fieldCount : new int[] {2, 20}) {
            byte[] bytes = handMade(out -> {
                out.writeString("node");
                out.writeString("src");
                out.writeVarLong(0, false);
                out.writeLong(0);
                out.writeVarInt(1, true);
                out.writeVarInt(fieldCount, true);
                for (int i = 0; i < fieldCount - 1; i++) {
                    out.writeString("f" + i);
                    out.writeByte(BatchCodec.TAG_TRUE);
                }
                out.writeString("f0");
                out.writeByte(BatchCodec.TAG_TRUE);
            });

            assertThat(decodeFailure(bytes)).hasMessage("corrupt batch: event 0 repeats field 'f0'");
        }
    }

    @Test
    void everySingleBitFlipDecodesOrFailsCleanly() {
        byte[] bytes = BatchCodec.encode(sampleBatch());
        int decoded = 0;
        for (int i = 0; i < bytes.length * 8; i++) {
            byte[] copy = bytes.clone();
            copy[i / 8] ^= (byte) (1 << (i % 8));
            try {
                BatchCodec.decode(copy);
                decoded++;
            } catch (BatchFormatException expected) {
                // fine: rejected with a checked exception
            }
        }
        // most flips inside string bytes still decode (no checksum by design); header flips never do
        assertThat(decoded).isLessThan(bytes.length * 8);
    }

    @Test
    void nullInputIsAProgrammingError() {
        assertThatThrownBy(() -> BatchCodec.decode(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> BatchCodec.encode(null)).isInstanceOf(NullPointerException.class);
    }

    @org.junit.jupiter.api.Test
    void eventCountReadsOnlyTheHeader() throws Exception {
        java.util.List<LogEvent> events = java.util.List.of(
                LogEvent.builder().put("msg", "a").build(), LogEvent.builder().put("msg", "b").build(),
                LogEvent.builder().put("msg", "c").build());
        byte[] bytes = BatchCodec.encode(new EventBatch("n", "s", 7, 1L, events));
        org.assertj.core.api.Assertions.assertThat(BatchCodec.eventCount(bytes)).isEqualTo(3);
        org.assertj.core.api.Assertions.assertThat(BatchCodec.eventCount(new byte[] {1, 2, 3})).isZero();
        byte[] otherVersion = bytes.clone();
        otherVersion[4] = 2;
        org.assertj.core.api.Assertions.assertThat(BatchCodec.eventCount(otherVersion)).isZero();
        org.assertj.core.api.Assertions.assertThat(BatchCodec.eventCount(java.util.Arrays.copyOf(bytes, 8))).isZero();
    }
}
