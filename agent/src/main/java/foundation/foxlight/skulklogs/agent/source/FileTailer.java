package foundation.foxlight.skulklogs.agent.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one file path the way {@code tail -F} does, and knows where it is in it.
 *
 * <ul>
 *   <li>Identity by {@link FileFingerprint} (first bytes), so inode reuse never inherits an old offset.</li>
 *   <li>Truncate-in-place (Skulk's wrapper at every restart; copytruncate): detected when the file is
 *       shorter than the read offset or its first bytes changed; reading restarts at 0.</li>
 *   <li>Rename + create: the old file is read to its end through the still-open handle, then released and
 *       the new file is read from its start.</li>
 *   <li>Deletion: the open file is read to its end and closed (a deleted file is never held open).</li>
 * </ul>
 *
 * <p>Blocking I/O: call from one worker thread at a time (not thread-safe). {@link #poll} never blocks
 * waiting for data; the caller schedules the next poll.
 */
public final class FileTailer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);

    /** What to do with a file seen for the first time. */
    public enum ReadFrom { BEGINNING, END }

    private final Path path;
    private final ReadFrom readFrom;
    private final LineFramer framer;
    private final ByteBuffer readBuffer;
    private FileChannel channel;
    private Object fileKey;
    private FileFingerprint fingerprint;
    private long readOffset;
    private boolean draining; // the path now names another file (or none): finish this one, then switch
    private long truncations;
    private long rotations;
    private long lastDataMillis = System.currentTimeMillis();
    private FileCheckpointStore.Entry restored;

    /**
     * @param restored the checkpoint of this path from a previous run, if any; used only if the file
     *                 found there has the same fingerprint
     */
    public FileTailer(Path path, ReadFrom readFrom, int maxLineBytes, int readChunkBytes, FileCheckpointStore.Entry restored) {
        this.path = path;
        this.readFrom = readFrom;
        this.framer = new LineFramer(maxLineBytes, 0);
        this.readBuffer = ByteBuffer.allocate(readChunkBytes);
        this.restored = restored;
    }

    public Path path() {
        return path;
    }

    /**
     * Reads what is available, up to about {@code maxBytes}, and returns the complete lines (and pieces of
     * over-long lines) it framed, in order. Empty when there is nothing new.
     */
    public List<Line> poll(int maxBytes) throws IOException {
        List<Line> lines = new ArrayList<>();
        if (channel == null && !openCurrent()) {
            return lines;
        }
        if (!draining) {
            checkTruncatedOrReplaced();
        }
        int budget = maxBytes;
        while (budget > 0) {
            readBuffer.clear().limit(Math.min(readBuffer.capacity(), budget));
            int n = channel.read(readBuffer, readOffset);
            if (n <= 0) {
                break;
            }
            framer.feed(readBuffer.array(), 0, n, lines::add);
            readOffset += n;
            budget -= n;
            lastDataMillis = System.currentTimeMillis();
        }
        if (budget > 0 && draining) {
            // Read to the end of the old file: ship its unterminated tail and move on to the new one.
            Line partial = framer.flushPartial();
            if (partial != null) {
                lines.add(partial);
            }
            LOG.info("{}: finished the rotated or deleted file at offset {}", path, readOffset);
            closeChannel();
        }
        return lines;
    }

    /**
     * Ships the bytes still waiting for a newline if none came for {@code timeoutMillis}; returns that
     * line or null.
     */
    public Line flushPartialIfIdle(long timeoutMillis) {
        if (framer.pendingBytes() > 0 && System.currentTimeMillis() - lastDataMillis >= timeoutMillis) {
            return framer.flushPartial();
        }
        return null;
    }

    /** Goes back to {@code offset} (lines after it will be read again), e.g. when the buffer was full. */
    public void rewind(long offset) {
        readOffset = offset;
        framer.reset(offset);
    }

    /** The checkpoint entry for what has been framed so far (lines before it were all returned). */
    public FileCheckpointStore.Entry position(long offset) {
        return fingerprint == null ? null
                : new FileCheckpointStore.Entry(path.toString(), fingerprint, offset, System.currentTimeMillis());
    }

    /** Identity of the file currently open (null when none), to tie buffered lines to the file they came from. */
    public FileFingerprint fingerprint() {
        return fingerprint;
    }

    public long truncations() {
        return truncations;
    }

    public long rotations() {
        return rotations;
    }

    public boolean isOpen() {
        return channel != null;
    }

    private boolean openCurrent() throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        channel = ch;
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        fingerprint = FileFingerprint.of(ch);
        draining = false;
        long start;
        FileCheckpointStore.Entry cp = restored;
        restored = null;
        if (cp != null && cp.fingerprint().matches(ch) && cp.offset() <= ch.size()) {
            start = cp.offset();
            LOG.info("{}: resuming at offset {} from the checkpoint", path, start);
        } else if (cp != null) {
            start = 0;
            LOG.info("{}: the file is not the one checkpointed (new content); reading it from the start", path);
        } else if (readFrom == ReadFrom.END && rotations == 0 && truncations == 0) {
            start = ch.size();
            LOG.info("{}: new file, read_from=end: starting at offset {}", path, start);
        } else {
            start = 0;
            LOG.info("{}: reading from the start", path);
        }
        rewind(start);
        return true;
    }

    private void checkTruncatedOrReplaced() throws IOException {
        Object currentKey;
        try {
            currentKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            currentKey = null;
        }
        if (!Objects.equals(currentKey, fileKey)) {
            // Renamed away (rotation) or deleted: finish what the old file holds, then follow the path.
            draining = true;
            rotations++;
            return;
        }
        long size = channel.size();
        if (size < readOffset || !fingerprint.matches(channel)) {
            truncations++;
            LOG.warn("{}: truncated in place (size {} < offset {} or first bytes changed); reading from the start", path,
                    size, readOffset);
            fingerprint = FileFingerprint.of(channel);
            rewind(0);
            return;
        }
        if (!fingerprint.isComplete() && size > fingerprint.length()) {
            fingerprint = FileFingerprint.of(channel);
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            fileKey = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
