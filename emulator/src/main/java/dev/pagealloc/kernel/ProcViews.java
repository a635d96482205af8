package dev.pagealloc.kernel;

import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;

/**
 * The /proc files of mm/vmstat.c and fs/proc/meminfo.c as one kernel prints them: each a
 * line-by-line transliteration of that release's {@code seq_printf} calls (same padding, same
 * trailing spaces), checked against real captures where the project has them.
 */
public interface ProcViews {
    /** /proc/zoneinfo. */
    String zoneinfo(Machine m);

    /** /proc/buddyinfo. */
    String buddyinfo(Machine m);

    /** /proc/pagetypeinfo. */
    String pagetypeinfo(Machine m);

    /** /proc/vmstat (reclaim counters 0: no reclaim model is read). */
    String vmstat(Machine m);

    /** /proc/meminfo (no swap, no reclaim model read). */
    String meminfo(Machine m);

    /**
     * The pageblocks of each migratetype in {@code zone}, indexed by the kernel's migratetype value,
     * as /proc/pagetypeinfo's "Number of blocks type" row counts them.
     */
    long[] pageblockCounts(Machine m, Zone zone);
}
