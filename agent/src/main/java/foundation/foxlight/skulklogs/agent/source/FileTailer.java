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
    private final int maxLineBytes;
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
    private final String truncateCopySuffix;
    private final byte[] tail = new byte[TAIL_BYTES]; // the last bytes read, ending at readOffset
    private int tailLength;
    private long lastReturnedEnd; // offset, in the current file, just after the last line returned
    private long recoveredBytes;
    private long unrecoveredTruncations;
    private boolean polledBefore; // read_from END applies only to a file present at the very first poll

    /** How many of the last bytes read are remembered to find the unread rest in the copy made before a truncation. */
    static final int TAIL_BYTES = 256;

    /**
     * @param restored the checkpoint of this path from a previous run, if any; used only if the file
     *                 found there has the same fingerprint
     */
    public FileTailer(Path path, ReadFrom readFrom, int maxLineBytes, int readChunkBytes, FileCheckpointStore.Entry restored) {
        this(path, readFrom, maxLineBytes, readChunkBytes, restored, ".1");
    }

    /**
     * @param truncateCopySuffix where the writer copies the end of the file before truncating it in place
     *                           (Skulk's wrapper: {@code .1}, i.e. {@code skulk.stdout.log.1}); null for none
     */
    public FileTailer(Path path, ReadFrom readFrom, int maxLineBytes, int readChunkBytes, FileCheckpointStore.Entry restored,
            String truncateCopySuffix) {
        this.truncateCopySuffix = truncateCopySuffix;
        this.path = path;
        this.readFrom = readFrom;
        this.framer = new LineFramer(maxLineBytes, 0);
        this.maxLineBytes = maxLineBytes;
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
        boolean first = !polledBefore;
        polledBefore = true;
        if (channel == null && !openCurrent(lines, first)) {
            return lines;
        }
        if (!draining) {
            checkTruncatedOrReplaced(lines);
        }
        int budget = maxBytes;
        while (budget > 0) {
            readBuffer.clear().limit(Math.min(readBuffer.capacity(), budget));
            int n = channel.read(readBuffer, readOffset);
            if (n <= 0) {
                break;
            }
            feed(readBuffer.array(), n, lines);
            readOffset += n;
            budget -= n;
            lastDataMillis = System.currentTimeMillis();
        }
        if (budget > 0 && draining) {
            // Read to the end of the old file: ship its unterminated tail and move on to the new one.
            flushOldPartial(lines);
            LOG.info("{}: finished the rotated or deleted file at offset {}", path, readOffset);
            closeChannel();
        }
        return lines;
    }

    private void feed(byte[] bytes, int n, List<Line> lines) {
        framer.feed(bytes, 0, n, line -> {
            lines.add(line);
            lastReturnedEnd = line.endOffset();
        });
        remember(bytes, n);
    }

    private void remember(byte[] bytes, int n) {
        if (n >= TAIL_BYTES) {
            System.arraycopy(bytes, n - TAIL_BYTES, tail, 0, TAIL_BYTES);
            tailLength = TAIL_BYTES;
        } else {
            int keep = Math.min(tailLength, TAIL_BYTES - n);
            System.arraycopy(tail, tailLength - keep, tail, 0, keep);
            System.arraycopy(bytes, 0, tail, keep, n);
            tailLength = keep + n;
        }
    }

    /**
     * Ships the bytes still waiting for a newline if none came for {@code timeoutMillis}; returns that
     * line or null.
     */
    public Line flushPartialIfIdle(long timeoutMillis) {
        if (framer.pendingBytes() > 0 && System.currentTimeMillis() - lastDataMillis >= timeoutMillis) {
            Line line = framer.flushPartial();
            lastReturnedEnd = line.endOffset();
            return line;
        }
        return null;
    }

    /** Goes back to {@code offset} (lines after it will be read again), e.g. when the buffer was full. */
    public void rewind(long offset) {
        readOffset = offset;
        lastReturnedEnd = offset;
        tailLength = 0;
        framer.reset(offset);
    }

    /** The checkpoint entry for what has been framed so far (lines before it were all returned). */
    public FileCheckpointStore.Entry position(long offset) {
        return fingerprint == null ? null
                : new FileCheckpointStore.Entry(path.toString(), fingerprint, offset, System.currentTimeMillis(), tailBefore(offset));
    }

    /** Base64 of up to {@link #TAIL_BYTES} bytes before {@code offset} in the open file, or null. */
    private String tailBefore(long offset) {
        if (channel == null || offset <= 0) {
            return null;
        }
        try {
            int n = (int) Math.min(TAIL_BYTES, offset);
            ByteBuffer buf = ByteBuffer.allocate(n);
            long pos = offset - n;
            while (buf.hasRemaining()) {
                int r = channel.read(buf, pos + buf.position());
                if (r < 0) {
                    return null;
                }
            }
            return java.util.Base64.getEncoder().encodeToString(buf.array());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The checkpoint entry for the state just after the lines returned so far: the current file and the
     * offset after its last returned line (0 when the lines came from a previous incarnation of the path —
     * a rotated, deleted or truncated file — and none yet from the current one).
     */
    public FileCheckpointStore.Entry checkpointPosition() {
        return position(lastReturnedEnd);
    }

    /** Bytes of lines recovered from the copy made before a truncation. */
    public long recoveredBytes() {
        return recoveredBytes;
    }

    /** Truncations after which the unread end of the old content could not be found in the copy. */
    public long unrecoveredTruncations() {
        return unrecoveredTruncations;
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

    private boolean openCurrent(List<Line> lines, boolean firstPoll) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            fingerprint = FileFingerprint.of(ch);
        } catch (IOException | RuntimeException e) {
            ch.close(); // nothing half-open (a channel without a fingerprint): the next poll opens the path afresh
            throw e;
        }
        channel = ch;
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
            recoverAfterDowntime(cp, lines);
        } else if (readFrom == ReadFrom.END && firstPoll) {
            start = ch.size();
            LOG.info("{}: new file, read_from=end: starting at offset {}", path, start);
        } else {
            start = 0;
            LOG.info("{}: reading from the start", path);
        }
        rewind(start);
        return true;
    }

    private void checkTruncatedOrReplaced(List<Line> lines) throws IOException {
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
            recoverFromTruncateCopy(lines);
            LOG.info("{}: truncated in place (size {} < offset {} or first bytes changed); reading it from the start", path,
                    size, readOffset);
            fingerprint = FileFingerprint.of(channel);
            rewind(0);
            return;
        }
        if (!fingerprint.isComplete() && size > fingerprint.length()) {
            fingerprint = FileFingerprint.of(channel);
        }
    }

    /**
     * Skulk's wrapper copies the end of the file to {@code <path>.1} and then truncates the file in place:
     * whatever was written after our last read is in that copy, right after the bytes we read last. Find
     * them there and frame the rest as the end of the old content; its unterminated last line is shipped
     * as partial. If they cannot be found, say how much may be missing.
     */
    private void recoverFromTruncateCopy(List<Line> lines) throws IOException {
        Path copy = truncateCopySuffix == null ? null : path.resolveSibling(path.getFileName() + truncateCopySuffix);
        if (copy == null || tailLength == 0 || !Files.isRegularFile(copy)) {
            LOG.info("{}: truncated in place; no copy at {} to take lines written after offset {} from", path, copy, readOffset);
            flushOldPartial(lines);
            return;
        }
        byte[] content = Files.readAllBytes(copy);
        int at = lastIndexOf(content, tail, tailLength);
        if (at < 0) {
            unrecoveredTruncations++;
            LOG.warn("{}: truncated in place; the last bytes read were not found in {} — lines written between offset {} and "
                    + "the truncation may be missing", path, copy, readOffset);
        } else {
            int from = at + tailLength;
            int n = content.length - from;
            if (n > 0) {
                byte[] rest = java.util.Arrays.copyOfRange(content, from, content.length);
                feed(rest, n, lines);
                readOffset += n;
                recoveredBytes += n;
                LOG.info("{}: recovered {} bytes written just before the truncation from {}", path, n, copy);
            }
        }
        flushOldPartial(lines);
    }

    /**
     * The file changed while the agent was down. If the writer left a copy of the old content
     * ({@code <path>.1}: Skulk's wrapper at restart), ship what follows the checkpoint in it: at the
     * checkpoint offset when the copy starts like the checkpointed file (it was copied whole), else right
     * after the checkpoint's remembered last bytes.
     */
    private void recoverAfterDowntime(FileCheckpointStore.Entry cp, List<Line> lines) throws IOException {
        Path copy = truncateCopySuffix == null ? null : path.resolveSibling(path.getFileName() + truncateCopySuffix);
        if (copy == null || !Files.isRegularFile(copy)) {
            return;
        }
        byte[] content = Files.readAllBytes(copy);
        int from = -1;
        try (FileChannel c = FileChannel.open(copy, StandardOpenOption.READ)) {
            if (cp.fingerprint().length() > 0 && cp.fingerprint().matches(c) && cp.offset() <= content.length) {
                from = (int) cp.offset();
            }
        }
        byte[] tailBytes = cp.tailBytes();
        if (from < 0 && tailBytes.length > 0) {
            int at = lastIndexOf(content, tailBytes, tailBytes.length);
            from = at < 0 ? -1 : at + tailBytes.length;
        }
        if (from < 0) {
            unrecoveredTruncations++;
            LOG.warn("{}: changed while the agent was down and the checkpointed position was not found in {}: lines written "
                    + "after it and before the change may be missing", path, copy);
            return;
        }
        if (from < content.length) {
            LineFramer old = new LineFramer(maxLineBytes, from);
            old.feed(content, from, content.length - from, lines::add);
            Line partial = old.flushPartial();
            if (partial != null) {
                lines.add(partial);
            }
            recoveredBytes += content.length - from;
            LOG.info("{}: recovered {} bytes written before the agent stopped from {}", path, content.length - from, copy);
        }
    }

    private void flushOldPartial(List<Line> lines) {
        Line partial = framer.flushPartial();
        if (partial != null) {
            lines.add(partial);
            lastReturnedEnd = partial.endOffset();
        }
    }

    static int lastIndexOf(byte[] haystack, byte[] needle, int needleLength) {
        outer:
        for (int i = haystack.length - needleLength; i >= 0; i--) {
            for (int j = 0; j < needleLength; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
