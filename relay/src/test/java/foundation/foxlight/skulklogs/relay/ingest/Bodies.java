package foundation.foxlight.skulklogs.relay.ingest;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Request bodies for tests: text, gzip, zlib, zstd, and compressed runs of zeros (zip bombs). */
final class Bodies {
    private Bodies() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] b) {
        return compress(b, GZIPOutputStream::new);
    }

    static byte[] deflate(byte[] b) {
        return compress(b, DeflaterOutputStream::new);
    }

    static byte[] zstd(byte[] b) {
        return compress(b, ZstdOutputStream::new);
    }

    /** {@code n} bytes of newlines-free 'a' compressed by {@code codec}, without holding them uncompressed. */
    static byte[] bomb(long n, Codec codec) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = codec.wrap(bytes)) {
            byte[] chunk = new byte[1 << 16];
            java.util.Arrays.fill(chunk, (byte) 'a');
            for (long left = n; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    interface Codec {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] b, Codec codec) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = codec.wrap(bytes)) {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
