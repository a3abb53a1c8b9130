package foundation.foxlight.skulklogs.agent.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Identity of a file by the checksum of its first bytes (up to {@link #MAX_BYTES}), not its inode: a
 * renamed file keeps its identity, and a new file that reuses an old inode gets a new one. A file shorter
 * than {@link #MAX_BYTES} is fingerprinted over what it has; {@link #matches} compares over the same
 * length, so a growing file keeps matching.
 *
 * @param length how many leading bytes were checksummed (0 for an empty file)
 * @param crc    CRC32C of those bytes
 */
public record FileFingerprint(int length, long crc) {
    public static final int MAX_BYTES = 256;

    /** Fingerprints the first bytes of an open file. Blocking I/O. */
    public static FileFingerprint of(FileChannel channel) throws IOException {
        return of(channel, MAX_BYTES);
    }

    static FileFingerprint of(FileChannel channel, int maxBytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(maxBytes);
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        buf.flip();
        CRC32C crc = new CRC32C();
        crc.update(buf);
        return new FileFingerprint((int) pos, crc.getValue());
    }

    /** True when the file's first {@link #length} bytes are the ones this fingerprint was taken of. */
    public boolean matches(FileChannel channel) throws IOException {
        if (channel.size() < length) {
            return false;
        }
        return of(channel, length).equals(this);
    }

    public boolean isComplete() {
        return length >= MAX_BYTES;
    }
}
