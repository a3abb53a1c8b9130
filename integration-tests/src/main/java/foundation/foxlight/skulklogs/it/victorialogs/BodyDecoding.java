package foundation.foxlight.skulklogs.it.victorialogs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * {@code Content-Encoding} handling as in VictoriaLogs: an unknown encoding, or a gzip/zlib header or snappy block
 * that does not decode, fails the request (400); a stream that breaks off later only ends the body early, and the
 * request is answered as usual. zstd and snappy use zstd-jni and snappy-java when they are on the classpath (they
 * come with kafka-clients); without zstd-jni a zstd body reads as broken from its first byte, without snappy-java a
 * snappy body is refused.
 */
public final class BodyDecoding {
    /** The request cannot be decoded at all: VictoriaLogs answers 400 with this message. */
    static final class Undecodable extends Exception {
        private static final long serialVersionUID = 1L;

        Undecodable(String message) {
            super(message);
        }
    }

    /** What could be read of a body, and why reading stopped early (null when it did not). */
    record Decoded(byte[] data, IOException error) {
    }

    private BodyDecoding() {
    }

    /**
     * The whole decoded body, for the benchmarks' own endpoint: unlike VictoriaLogs, a body that breaks off is an
     * error too. {@code encoding} is the {@code Content-Encoding} header as the stand-in takes it (null for none).
     */
    public static byte[] decodeWhole(byte[] body, String encoding) throws IOException {
        try {
            Decoded d = decode(body, Objects.requireNonNullElse(encoding, ""));
            if (d.error() != null) {
                throw d.error();
            }
            return d.data();
        } catch (Undecodable e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static Decoded decode(byte[] body, String encoding) throws Undecodable {
        switch (encoding) {
            case "":
            case "none":
            case "identity":
                return new Decoded(body, null);
            case "gzip": {
                InputStream in;
                try {
                    in = new GZIPInputStream(new ByteArrayInputStream(body));
                } catch (IOException e) {
                    throw new Undecodable("cannot decode jsonline request: " + message(e));
                }
                return readAll(in);
            }
            case "deflate": {
                if (body.length < 2 || (body[0] & 0x0f) != 8 || (((body[0] & 0xff) << 8) | (body[1] & 0xff)) % 31 != 0) {
                    throw new Undecodable("cannot decode jsonline request: zlib: invalid header");
                }
                return readAll(new InflaterInputStream(new ByteArrayInputStream(body)));
            }
            case "zstd": {
                InputStream in;
                try {
                    in = (InputStream) Class.forName("com.github.luben.zstd.ZstdInputStream")
                            .getConstructor(InputStream.class).newInstance(new ByteArrayInputStream(body));
                } catch (ClassNotFoundException | LinkageError e) {
                    return new Decoded(new byte[0], new IOException("zstd: no zstd-jni on the stand-in's classpath"));
                } catch (InvocationTargetException e) {
                    return new Decoded(new byte[0], new IOException("zstd: " + e.getCause(), e.getCause()));
                } catch (ReflectiveOperationException e) {
                    return new Decoded(new byte[0], new IOException("zstd: " + e, e));
                }
                return readAll(in);
            }
            case "snappy": {
                try {
                    Object out = Class.forName("org.xerial.snappy.Snappy").getMethod("uncompress", byte[].class).invoke(null, (Object) body);
                    return new Decoded((byte[]) out, null);
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new Undecodable("cannot decode jsonline request: snappy is not available in the VictoriaLogs stand-in");
                } catch (InvocationTargetException e) {
                    throw new Undecodable("cannot decode jsonline request: snappy: corrupt input: " + e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new Undecodable("cannot decode jsonline request: snappy: " + e);
                }
            }
            default:
                throw new Undecodable("cannot decode jsonline request: unsupported encoding: " + encoding);
        }
    }

    private static Decoded readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        try (InputStream s = in) {
            int n;
            while ((n = s.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return new Decoded(out.toByteArray(), null);
        } catch (IOException | RuntimeException e) {
            IOException io = e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
            return new Decoded(out.toByteArray(), io);
        }
    }

    private static String message(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
