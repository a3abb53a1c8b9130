package foundation.foxlight.skulklogs.schema;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The versioned binary form of an {@link EventBatch} (Kryo), used as the Kafka record value and as the
 * agent's disk buffer record. Layout: 4-byte magic {@code SKLB}, 1 version byte, then the version's body.
 * Thread-safe.
 *
 * <p>Kryo's {@link Output}/{@link Input} serve only as a binary writer and reader (no class registration, no
 * reflection), so every byte is defined here. Version 1:
 * <pre>
 * magic            4 bytes  0x53 0x4B 0x4C 0x42 ("SKLB")
 * version          1 byte   0x01
 * nodeId           string
 * source           string
 * sequence         varlong, zigzag      (Output.writeVarLong(v, false))
 * createdAtMillis  8 bytes little-endian (Output.writeLong, Kryo 5 byte order)
 * eventCount       varint, unsigned     (Output.writeVarInt(n, true))
 * per event:
 *   fieldCount     varint, unsigned
 *   per field:
 *     name         string
 *     tag          1 byte, then the value:
 *                  0 = null (no value bytes)       1 = String: string
 *                  2 = Long: varlong, zigzag       3 = Boolean false (no value bytes)
 *                  4 = Boolean true (no value bytes)  5 = JsonText: string (the JSON text)
 * </pre>
 * A {@code string} is Kryo 5's {@link Output#writeString(String)} encoding, never null here: either ASCII
 * bytes with the high bit set on the last byte (Kryo's choice for short ASCII strings), or a varint of
 * (char count + 1) whose first byte carries the flag bit 0x80, followed by each UTF-16 char as 1 to 3
 * bytes (so lone surrogates survive). The golden files under {@code src/test/resources/golden/v1/} pin
 * these bytes.
 * There is no checksum: Kafka records and disk-buffer records carry their own.
 */
public final class BatchCodec {
    /** "SKLB" in ASCII, big-endian. */
    public static final int MAGIC = 0x534B4C42;
    public static final byte VERSION_1 = 1;

    static final byte TAG_NULL = 0;
    static final byte TAG_STRING = 1;
    static final byte TAG_LONG = 2;
    static final byte TAG_FALSE = 3;
    static final byte TAG_TRUE = 4;
    static final byte TAG_JSON_TEXT = 5;

    /**
     * The largest encoding buffer a thread keeps for its next batch: the agent's batches (256 KiB by default) reuse
     * theirs; larger ones (the relay's ingest batches) get a fresh buffer each, so no thread pins megabytes.
     */
    static final int RETAINED_BUFFER_BYTES = 1 << 20;
    /** Per thread: one growing buffer instead of a size pre-pass, an estimate-sized buffer and a copy per batch. */
    private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(() -> new Output(64 * 1024, -1));

    /** Magic plus version byte. */
    private static final int HEADER_LENGTH = 5;
    /** The smallest encoded field: a one-byte name (the empty string) and a tag without value bytes. */
    private static final int MIN_FIELD_BYTES = 2;

    private BatchCodec() {
    }

    /**
     * Encodes a batch in the current format (version 1). Thread-safe: each thread writes into its own reused buffer
     * ({@value #RETAINED_BUFFER_BYTES} bytes at most are kept between calls) and gets a copy of exactly the encoded
     * bytes.
     *
     * @throws com.esotericsoftware.kryo.KryoException only if the encoding would exceed 2 GiB
     */
    public static byte[] encode(EventBatch batch) {
        Objects.requireNonNull(batch, "batch");
        Output out = OUTPUT.get();
        out.reset();
        try {
            write(batch, out);
            return out.toBytes();
        } finally {
            if (out.getBuffer().length > RETAINED_BUFFER_BYTES) {
                OUTPUT.remove(); // a rare huge batch does not pin its buffer to the thread
            }
        }
    }

    private static void write(EventBatch batch, Output out) {
        out.writeByte(MAGIC >>> 24);
        out.writeByte(MAGIC >>> 16);
        out.writeByte(MAGIC >>> 8);
        out.writeByte(MAGIC);
        out.writeByte(VERSION_1);
        out.writeString(batch.nodeId());
        out.writeString(batch.source());
        out.writeVarLong(batch.sequence(), false);
        out.writeLong(batch.createdAtMillis());
        List<LogEvent> events = batch.events();
        out.writeVarInt(events.size(), true);
        for (LogEvent event : events) {
            int n = event.size();
            out.writeVarInt(n, true);
            for (int i = 0; i < n; i++) {
                out.writeString(event.name(i));
                Object v = event.value(i);
                if (v == null) {
                    out.writeByte(TAG_NULL);
                } else if (v instanceof String s) {
                    out.writeByte(TAG_STRING);
                    out.writeString(s);
                } else if (v instanceof Long l) {
                    out.writeByte(TAG_LONG);
                    out.writeVarLong(l, false);
                } else if (v instanceof Boolean b) {
                    out.writeByte(b ? TAG_TRUE : TAG_FALSE);
                } else if (v instanceof JsonText j) {
                    out.writeByte(TAG_JSON_TEXT);
                    out.writeString(j.json());
                } else {
                    throw new IllegalStateException("unsupported LogEvent value type " + v.getClass().getName());
                }
            }
        }
    }

    /**
     * The number of events in an encoded batch, read from its header only (cheap: for metrics). Returns 0
     * for bytes that are not a v1 batch; never throws for any content. Stateless and thread-safe.
     */
    public static int eventCount(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_LENGTH || bytes[4] != VERSION_1
                || ((bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF)) != MAGIC) {
            return 0;
        }
        try {
            Input in = new Input(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
            in.readString();
            in.readString();
            in.readVarLong(false);
            in.readLong();
            return Math.max(0, in.readVarInt(true));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Decodes a batch; any bytes that are not a complete v1 batch raise {@link BatchFormatException}, never
     * a misread: wrong magic, another version, a truncated or overlong body, an unknown type tag, a count
     * larger than the remaining bytes could hold, a missing string or a repeated field name. Never throws
     * an unchecked exception for any content. Stateless and thread-safe.
     *
     * @throws NullPointerException if {@code bytes} is null
     */
    public static EventBatch decode(byte[] bytes) throws BatchFormatException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < HEADER_LENGTH) {
            throw new BatchFormatException("not a skulk-logs batch: " + bytes.length
                    + " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
        }
        int magic = (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
        if (magic != MAGIC) {
            throw new BatchFormatException(String.format("not a skulk-logs batch (bad magic 0x%08X)", magic));
        }
        int version = bytes[4] & 0xFF;
        if (version != VERSION_1) {
            throw new BatchFormatException("unsupported batch format version " + version
                    + " (this build reads " + VERSION_1 + ")");
        }
        Input in = new Input(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
        try {
            return readV1(in);
        } catch (KryoException e) {
            throw new BatchFormatException("truncated batch: ended inside the body at byte " + in.position()
                    + " of " + bytes.length, e);
        } catch (RuntimeException e) {
            throw new BatchFormatException("corrupt batch at byte " + in.position() + ": " + e, e);
        }
    }

    private static EventBatch readV1(Input in) throws BatchFormatException {
        String nodeId = readString(in, Part.NODE_ID, -1, -1, null);
        String source = readString(in, Part.SOURCE, -1, -1, null);
        long sequence = in.readVarLong(false);
        long createdAtMillis = in.readLong();
        int eventCount = readCount(in, 1, "event count", -1);
        List<LogEvent> events = new ArrayList<>(eventCount);
        for (int e = 0; e < eventCount; e++) {
            int fieldCount = readCount(in, MIN_FIELD_BYTES, "field count of event", e);
            FieldCollector fields = new FieldCollector(fieldCount);
            Set<String> seen = fieldCount > 8 ? new HashSet<>(fieldCount * 2) : null;
            for (int f = 0; f < fieldCount; f++) {
                String name = readString(in, Part.FIELD_NAME, e, f, null);
                boolean fresh = seen != null ? seen.add(name) : fields.indexOf(name) < 0;
                if (!fresh) {
                    throw new BatchFormatException("corrupt batch: event " + e + " repeats field '" + abbreviate(name) + "'");
                }
                int tagPosition = in.position();
                byte tag = in.readByte();
                Object value = switch (tag) {
                    case TAG_NULL -> null;
                    case TAG_STRING -> readString(in, Part.FIELD_VALUE, e, f, name);
                    case TAG_LONG -> in.readVarLong(false);
                    case TAG_FALSE -> Boolean.FALSE;
                    case TAG_TRUE -> Boolean.TRUE;
                    case TAG_JSON_TEXT -> new JsonText(readString(in, Part.FIELD_VALUE, e, f, name));
                    default -> throw new BatchFormatException(String.format(
                            "corrupt batch: unknown value type tag 0x%02X at byte %d (field '%s' of event %d)",
                            tag & 0xFF, tagPosition, abbreviate(name), e));
                };
                fields.append(name, value);
            }
            events.add(fields.build());
        }
        if (in.position() != in.limit()) {
            throw new BatchFormatException("corrupt batch: " + (in.limit() - in.position())
                    + " trailing bytes after the last event (at byte " + in.position() + ")");
        }
        return new EventBatch(nodeId, source, sequence, createdAtMillis, events);
    }

    /** Which string of a batch is being read: named in error messages only (built when one is thrown, never per field). */
    private enum Part {
        NODE_ID, SOURCE, FIELD_NAME, FIELD_VALUE;

        String describe(int event, int field, String fieldName) {
            return switch (this) {
                case NODE_ID -> "nodeId";
                case SOURCE -> "source";
                case FIELD_NAME -> "name of field " + field + " of event " + event;
                case FIELD_VALUE -> "value of field '" + abbreviate(fieldName) + "' of event " + event;
            };
        }
    }

    /**
     * An unsigned varint count, each item taking at least {@code minBytesEach} of the remaining bytes; {@code what}
     * (followed by {@code event} unless negative) names it in an error message.
     */
    private static int readCount(Input in, int minBytesEach, String what, int event) throws BatchFormatException {
        int start = in.position();
        int count = in.readVarInt(true);
        long remaining = in.limit() - in.position();
        if (count < 0 || (long) count * minBytesEach > remaining) {
            throw new BatchFormatException("truncated or corrupt batch: " + what + (event >= 0 ? " " + event : "") + " " + Integer.toUnsignedString(count)
                    + " at byte " + start + " cannot fit in the remaining " + remaining + " bytes");
        }
        return count;
    }

    /**
     * A non-null Kryo string. The char count is checked against the remaining bytes before Kryo allocates
     * its char buffer, so a corrupt length cannot exhaust the heap. {@code part}, {@code event}, {@code field}
     * and {@code fieldName} only name the string in an error message.
     */
    private static String readString(Input in, Part part, int event, int field, String fieldName) throws BatchFormatException {
        int start = in.position();
        if (start >= in.limit()) {
            throw new BatchFormatException("truncated batch: " + part.describe(event, field, fieldName) + " missing at byte " + start);
        }
        if (in.readVarIntFlag()) { // length-prefixed form; else ASCII bytes up to one with the high bit set
            int countPlusOne = in.readVarIntFlag(true);
            long remaining = in.limit() - in.position();
            if (countPlusOne == 0) {
                throw new BatchFormatException("corrupt batch: " + part.describe(event, field, fieldName) + " is null at byte " + start);
            }
            if (countPlusOne < 0 || countPlusOne - 1L > remaining) {
                throw new BatchFormatException("truncated or corrupt batch: " + part.describe(event, field, fieldName) + " at byte "
                        + start + " claims " + Integer.toUnsignedString(countPlusOne - 1) + " chars but only " + remaining + " bytes remain");
            }
            in.setPosition(start);
        }
        String s = in.readString();
        if (s == null) {
            throw new BatchFormatException("corrupt batch: " + part.describe(event, field, fieldName) + " is null at byte " + start);
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /**
     * About how many bytes {@code event} takes in an encoded batch (mostly-ASCII text: a byte per character plus
     * lengths and tags), for sizing buffers and batches without encoding. Stateless and thread-safe.
     */
    public static long estimatedSize(LogEvent event) {
        long size = 2;
        for (int i = 0; i < event.size(); i++) {
            size += event.name(i).length() + 4;
            Object v = event.value(i);
            if (v instanceof String s) {
                size += s.length() + 2;
            } else if (v instanceof JsonText j) {
                size += j.json().length() + 2;
            } else {
                size += 9;
            }
        }
        return size;
    }
}
