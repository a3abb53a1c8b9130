package foundation.foxlight.skulklogs.schema;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Accumulates the fields of one event in order, finding names in constant time once there are more
 * than a few (a line may carry thousands of fields). Not thread-safe; one per event.
 */
final class FieldCollector {
    private static final int LINEAR_LIMIT = 8;

    private String[] names;
    private Object[] values;
    private int size;
    private Map<String, Integer> index;

    FieldCollector(int expected) {
        int capacity = Math.max(4, Math.min(expected, 1 << 16));
        names = new String[capacity];
        values = new Object[capacity];
    }

    int size() {
        return size;
    }

    int indexOf(String name) {
        if (index != null) {
            Integer i = index.get(name);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Sets a field: a name already present keeps its position and takes the new value. */
    void put(String name, Object value) {
        int i = indexOf(name);
        if (i >= 0) {
            values[i] = value;
        } else {
            append(name, value);
        }
    }

    /** Appends a field whose name the caller knows to be absent. */
    void append(String name, Object value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        if (index != null) {
            index.put(name, size - 1);
        } else if (size > LINEAR_LIMIT) {
            index = new HashMap<>(size * 4);
            for (int j = 0; j < size; j++) {
                index.put(names[j], j);
            }
        }
    }

    LogEvent build() {
        return LogEvent.ofTrusted(Arrays.copyOf(names, size), Arrays.copyOf(values, size));
    }
}
