package foundation.foxlight.skulklogs.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class BatchCodecPropertiesTest {

    /** Either a batch, which then re-encodes and decodes to itself, or a BatchFormatException: nothing else. */
    static void decodesOrRejects(byte[] bytes) {
        EventBatch batch;
        try {
            batch = BatchCodec.decode(bytes);
        } catch (BatchFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(batch).isNotNull();
        try {
            assertThat(BatchCodec.decode(BatchCodec.encode(batch))).isEqualTo(batch);
        } catch (BatchFormatException e) {
            throw new AssertionError("re-encoded batch no longer decodes", e);
        }
    }

    @Property(tries = 1000)
    void encodedBatchesDecodeEqual(@ForAll("batches") EventBatch batch) throws BatchFormatException {
        byte[] bytes = BatchCodec.encode(batch);

        assertThat(BatchCodec.decode(bytes)).isEqualTo(batch);
        assertThat(BatchCodec.encode(BatchCodec.decode(bytes))).isEqualTo(bytes);
    }

    @Property(tries = 1000)
    void randomBytesDecodeOrReject(@ForAll @Size(max = 200) byte[] bytes) {
        decodesOrRejects(bytes);
    }

    @Property(tries = 1000)
    void randomBodiesAfterAValidHeaderDecodeOrReject(@ForAll @Size(max = 200) byte[] body) {
        byte[] bytes = new byte[5 + body.length];
        bytes[0] = 'S';
        bytes[1] = 'K';
        bytes[2] = 'L';
        bytes[3] = 'B';
        bytes[4] = 1;
        System.arraycopy(body, 0, bytes, 5, body.length);

        decodesOrRejects(bytes);
    }

    @Property(tries = 1000)
    void corruptedBatchesDecodeOrReject(@ForAll("batches") EventBatch batch, @ForAll @IntRange(max = 4) int op,
                                        @ForAll @IntRange(max = 1_000_000) int where, @ForAll byte value) {
        byte[] bytes = BatchCodec.encode(batch);
        int at = where % bytes.length;
        byte[] corrupted = switch (op) {
            case 0 -> Arrays.copyOf(bytes, at); // truncated
            case 1 -> flip(bytes, at, 1 << (where % 8));
            case 2 -> flip(bytes, at, value == 0 ? 1 : value);
            case 3 -> Arrays.copyOfRange(bytes, 0, bytes.length + 1 + where % 3); // trailing zeros
            default -> {
                byte[] c = bytes.clone();
                Arrays.fill(c, Math.max(at, 5), c.length, value); // a smeared tail
                yield c;
            }
        };

        decodesOrRejects(corrupted);
        if (op == 0 || op == 3) {
            assertThat(corrupted.length).isNotEqualTo(bytes.length);
            assertThat(catchesFormatException(corrupted)).as("a cut or extended batch is never accepted").isTrue();
        }
    }

    private static boolean catchesFormatException(byte[] bytes) {
        try {
            BatchCodec.decode(bytes);
            return false;
        } catch (BatchFormatException e) {
            return true;
        }
    }

    private static byte[] flip(byte[] bytes, int at, int mask) {
        byte[] c = bytes.clone();
        c[at] ^= (byte) mask;
        return c;
    }

    @Provide
    Arbitrary<EventBatch> batches() {
        return Arbitraries.oneOf(TestEvents.batches(),
                Combinators.combine(TestEvents.events().list().ofMinSize(1).ofMaxSize(5), Arbitraries.longs())
                        .as((events, seq) -> new EventBatch("node", "/var/log/skulk.log", seq, 1_700_000_000_000L, events)));
    }
}
