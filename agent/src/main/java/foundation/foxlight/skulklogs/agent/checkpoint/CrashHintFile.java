package foundation.foxlight.skulklogs.agent.checkpoint;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A small file rewritten in place, <em>without</em> fsync, after every change: it survives a process crash
 * ({@code kill -9}: the bytes are in the OS page cache), not necessarily a power loss. It holds hints that
 * narrow what is replayed after a crash — positions and acknowledgements newer than the last durable
 * checkpoint — and never anything whose loss or staleness could lose a line: whoever reads one checks it
 * against durable state before using it.
 *
 * <p>Layout: length (u32, big-endian), CRC32C of the content (u32), content. A write that was torn or cut
 * short, or bytes left over from a longer earlier content, fail the check or lie beyond the length: such a
 * file reads as absent.
 *
 * <p>Thread-safe (writes are serialized); every method does blocking I/O, never call it on an event loop.
 */
public final class CrashHintFile implements Closeable {
    private static final int HEADER_BYTES = 8;
    /** Larger contents are refused: a hint is a few hundred bytes. */
    static final int MAX_CONTENT_BYTES = 16 * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private ByteBuffer scratch = ByteBuffer.allocate(256);
    private long fileBytes; // the file's length after the last write (no size call per write: this is on hot paths)

    private CrashHintFile(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.fileBytes = channel.size();
    }

    /** Opens (creating if needed) the file for writing; existing content stays until the first {@link #write}. */
    public static CrashHintFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return new CrashHintFile(path, channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Replaces the content (one positional write, then a truncate to the new length; no fsync). */
    public synchronized void write(byte[] content) throws IOException {
        if (content.length > MAX_CONTENT_BYTES) {
            throw new IllegalArgumentException("hint of " + content.length + " bytes for " + path + " (at most " + MAX_CONTENT_BYTES + ")");
        }
        int total = HEADER_BYTES + content.length;
        if (scratch.capacity() < total) {
            scratch = ByteBuffer.allocate(Math.max(total, scratch.capacity() * 2));
        }
        CRC32C crc = new CRC32C();
        crc.update(content);
        scratch.clear();
        scratch.putInt(content.length).putInt((int) crc.getValue()).put(content).flip();
        long pos = 0;
        while (scratch.hasRemaining()) {
            pos += channel.write(scratch, pos);
        }
        if (fileBytes > total) {
            channel.truncate(total);
        }
        fileBytes = total;
    }

    /** The content last written, or empty when the file is missing, torn or corrupt. */
    public static Optional<byte[]> read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length < HEADER_BYTES) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int length = b.getInt();
        int storedCrc = b.getInt();
        if (length < 0 || length > bytes.length - HEADER_BYTES) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, HEADER_BYTES, length);
        if ((int) crc.getValue() != storedCrc) {
            return Optional.empty();
        }
        return Optional.of(java.util.Arrays.copyOfRange(bytes, HEADER_BYTES, HEADER_BYTES + length));
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
