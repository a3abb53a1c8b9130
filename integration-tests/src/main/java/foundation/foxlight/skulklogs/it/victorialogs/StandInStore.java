package foundation.foxlight.skulklogs.it.victorialogs;

import java.util.ArrayList;
import java.util.List;

/**
 * The stand-in's storage: every row with the instant it becomes searchable (VictoriaLogs makes new rows visible
 * about a second after they arrive, or at once on {@code /internal/force_flush}). Thread-safe (one lock).
 */
final class StandInStore {
    private static final class Entry {
        final StoredRow row;
        long visibleAtNanoTime;

        Entry(StoredRow row, long visibleAtNanoTime) {
            this.row = row;
            this.visibleAtNanoTime = visibleAtNanoTime;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final long flushDelayNanos;

    StandInStore(long flushDelayNanos) {
        this.flushDelayNanos = flushDelayNanos;
    }

    synchronized void add(List<StoredRow> rows) {
        long visibleAt = System.nanoTime() + flushDelayNanos;
        for (StoredRow r : rows) {
            entries.add(new Entry(r, visibleAt));
        }
    }

    /** Makes every row stored so far searchable now. */
    synchronized void flush() {
        long now = System.nanoTime();
        for (Entry e : entries) {
            if (e.visibleAtNanoTime - now > 0) {
                e.visibleAtNanoTime = now;
            }
        }
    }

    /** The searchable rows of a tenant, in insertion order. */
    synchronized List<StoredRow> searchable(Tenant tenant) {
        long now = System.nanoTime();
        List<StoredRow> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.row.tenant().equals(tenant) && now - e.visibleAtNanoTime >= 0) {
                out.add(e.row);
            }
        }
        return out;
    }

    /** All rows stored, searchable or not, for every tenant. */
    synchronized long size() {
        return entries.size();
    }

    synchronized long size(Tenant tenant) {
        return entries.stream().filter(e -> e.row.tenant().equals(tenant)).count();
    }

    synchronized void clear() {
        entries.clear();
    }
}
