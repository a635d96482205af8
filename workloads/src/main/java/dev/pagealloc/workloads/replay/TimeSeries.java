package dev.pagealloc.workloads.replay;

import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

/**
 * Free pages per zone and per order over emulated time, sampled by the replay: one row per sample
 * of {@code time_ns}, then for each populated zone NR_FREE_PAGES and {@code free_area[order].nr_free}
 * for orders 0 … MAX_ORDER-1 (what /proc/buddyinfo shows), then the failures so far. When a long
 * replay fills it, every other row is dropped and the interval doubles, so its size stays bounded.
 */
public final class TimeSeries {
    private final Zone[] zones;
    private final int width;
    private final LongArrayList rows = new LongArrayList();
    private long failures;

    TimeSeries(Zone[] zones) {
        this.zones = zones.clone();
        this.width = 2 + zones.length * (1 + Zone.MAX_ORDER);
    }

    void failure() {
        failures++;
    }

    void sample(long timeNs) {
        int n = size();
        if (n > 0 && rows.get((n - 1) * width) == timeNs) {
            rows.removeAtIndex(rows.size() - 1); // replace the last row taken at the same time
            for (int i = 1; i < width; i++) {
                rows.removeAtIndex(rows.size() - 1);
            }
        }
        rows.add(timeNs);
        for (Zone z : zones) {
            rows.add(z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()]);
            for (int o = 0; o < Zone.MAX_ORDER; o++) {
                rows.add(z.nrFree[o]);
            }
        }
        rows.add(failures);
    }

    void halve() {
        LongArrayList kept = new LongArrayList(rows.size() / 2 + width);
        int n = size();
        for (int r = 0; r < n; r++) {
            if (r % 2 == 0 || r == n - 1) {
                for (int i = 0; i < width; i++) {
                    kept.add(rows.get(r * width + i));
                }
            }
        }
        rows.clear();
        rows.addAll(kept);
    }

    /** Rows sampled. */
    public int size() {
        return rows.size() / width;
    }

    /** The zones' names, in column order. */
    public List<String> zoneNames() {
        List<String> l = new ArrayList<>();
        for (Zone z : zones) {
            l.add(z.name);
        }
        return l;
    }

    public long timeNs(int row) {
        return rows.get(row * width);
    }

    /** NR_FREE_PAGES of zone {@code z} (index into {@link #zoneNames()}) at {@code row}. */
    public long freePages(int row, int z) {
        return rows.get(row * width + 1 + z * (1 + Zone.MAX_ORDER));
    }

    /** free_area[order].nr_free of zone {@code z} at {@code row}. */
    public long nrFree(int row, int z, int order) {
        return rows.get(row * width + 2 + z * (1 + Zone.MAX_ORDER) + order);
    }

    /** Failures up to {@code row}. */
    public long failures(int row) {
        return rows.get(row * width + width - 1);
    }

    /** The CSV: {@code time_ns,<Zone>_free,<Zone>_o0..o10,...,failures}, one row per sample. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append("time_ns");
        for (Zone z : zones) {
            sb.append(',').append(z.name).append("_free");
            for (int o = 0; o < Zone.MAX_ORDER; o++) {
                sb.append(',').append(z.name).append("_o").append(o);
            }
        }
        sb.append(",failures\n");
        int n = size();
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < width; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(rows.get(r * width + i));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
