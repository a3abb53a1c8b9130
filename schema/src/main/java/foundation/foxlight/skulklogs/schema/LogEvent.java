package foundation.foxlight.skulklogs.schema;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One log line: an ordered set of uniquely named fields.
 *
 * <p>Skulk's well-known fields ({@link #TS}, {@link #LEVEL}, {@link #NODE_ID}, {@link #COMPONENT},
 * {@link #MODULE}, {@link #FUNCTION}, {@link #LINE}, {@link #MSG}, {@link #EXCEPTION}) are ordinary
 * fields; any other field a line carries is kept too, in the order it appeared.
 *
 * <p>A value is one of: {@link String}, {@link Long}, {@link Boolean}, {@code null} (JSON null) or
 * {@link JsonText} (any other JSON value — a fraction, a number beyond {@code long}, an object or an
 * array — kept verbatim so that it round-trips byte for byte).
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()} or {@link #toBuilder()}.
 */
public final class LogEvent {
    public static final String TS = "ts";
    public static final String LEVEL = "level";
    public static final String NODE_ID = "node_id";
    public static final String COMPONENT = "component";
    public static final String MODULE = "module";
    public static final String FUNCTION = "function";
    public static final String LINE = "line";
    public static final String MSG = "msg";
    public static final String EXCEPTION = "exception";

    private final String[] names;
    private final Object[] values;

    private LogEvent(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    /**
     * Package-private fast path for the codecs in this package, which de-duplicate names with a hash
     * set ({@link Builder#put} is linear per field, so quadratic for lines with many fields). Takes
     * ownership of the arrays: same length, non-null unique names, values already of a valid type.
     */
    static LogEvent ofTrusted(String[] names, Object[] values) {
        return new LogEvent(names, values);
    }

    /** Number of fields. */
    public int size() {
        return names.length;
    }

    /** Name of the {@code i}-th field, in line order. */
    public String name(int i) {
        return names[i];
    }

    /** Value of the {@code i}-th field, in line order. */
    public Object value(int i) {
        return values[i];
    }

    /** Index of a field, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** The value of a field, or {@code null} when absent (use {@link #has} to tell JSON null apart). */
    public Object get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    /** A field's value as text: strings as they are, other values in their JSON form; null when absent or null. */
    public String getText(String name) {
        Object v = get(name);
        if (v == null) {
            return null;
        }
        return v instanceof JsonText j ? j.json() : v.toString();
    }

    /** A copy of the fields as an insertion-ordered map. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    public static Builder builder() {
        return new Builder(8);
    }

    public Builder toBuilder() {
        Builder b = new Builder(names.length + 4);
        for (int i = 0; i < names.length; i++) {
            b.append(names[i], values[i]);
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEvent e && Arrays.equals(names, e.names) && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "LogEvent" + asMap();
    }

    static Object checkValue(Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Boolean
                || value instanceof JsonText) {
            return value;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        throw new IllegalArgumentException("unsupported LogEvent value type " + value.getClass().getName());
    }

    /** Builds a {@link LogEvent}. Not thread-safe; one builder per event. */
    public static final class Builder {
        private String[] names;
        private Object[] values;
        private int size;

        private Builder(int capacity) {
            names = new String[capacity];
            values = new Object[capacity];
        }

        /** Sets a field: replaces the value in place when present, else appends it at the end. */
        public Builder put(String name, Object value) {
            Objects.requireNonNull(name, "name");
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    values[i] = checkValue(value);
                    return this;
                }
            }
            return append(name, value);
        }

        /** Sets a field only when it is absent. */
        public Builder putIfAbsent(String name, Object value) {
            return has(name) ? this : append(name, value);
        }

        public boolean has(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return true;
                }
            }
            return false;
        }

        public Object get(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return values[i];
                }
            }
            return null;
        }

        public Builder remove(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    System.arraycopy(names, i + 1, names, i, size - i - 1);
                    System.arraycopy(values, i + 1, values, i, size - i - 1);
                    size--;
                    names[size] = null;
                    values[size] = null;
                    return this;
                }
            }
            return this;
        }

        public int size() {
            return size;
        }

        private Builder append(String name, Object value) {
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2 + 1);
                values = Arrays.copyOf(values, size * 2 + 1);
            }
            names[size] = name;
            values[size] = checkValue(value);
            size++;
            return this;
        }

        public LogEvent build() {
            return new LogEvent(Arrays.copyOf(names, size), Arrays.copyOf(values, size));
        }
    }
}
