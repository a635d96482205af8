package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.kernel.ProcViews;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.proc.Buddyinfo;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.Locale;

/**
 * /proc/buddyinfo, /proc/pagetypeinfo and /proc/zoneinfo as 2.6.32's mm/vmstat.c prints them:
 * each method is a line-by-line transliteration of the kernel's {@code seq_printf} calls, with the
 * same padding and the same trailing spaces. Only populated zones are shown
 * ({@code walk_zones_in_node()} skips the others in 2.6.32).
 */
public final class ProcViews2632 implements ProcViews {
    /** The views of {@link Linux2632}. */
    public static final ProcViews2632 INSTANCE = new ProcViews2632();

    private ProcViews2632() {}

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    /** {@code frag_show_print()}, mm/vmstat.c: /proc/buddyinfo ({@link Buddyinfo}). */
    @Override
    public String buddyinfo(Machine m) {
        return Buddyinfo.fragShowPrint(m.populatedZones());
    }

    /**
     * {@code pagetypeinfo_show()}, mm/vmstat.c: the pageblock order, then free blocks per
     * (zone, migratetype, order) ({@code pagetypeinfo_showfree_print}), then pageblocks per type
     * ({@code pagetypeinfo_showblockcount_print}).
     */
    @Override
    public String pagetypeinfo(Machine m) {
        Zone[] zones = m.populatedZones();
        long[][] blocks = new long[zones.length][];
        for (int i = 0; i < zones.length; i++) {
            blocks[i] = pageblockCounts(m, zones[i]);
        }
        return pagetypeinfo(zones, m.allocator.memMap().pageblockOrder(), blocks);
    }

    /** {@code pagetypeinfo_show()} over the given zones and their pageblock counts per type. */
    public static String pagetypeinfo(Zone[] populated, int pageblockOrder, long[][] blockCounts) {
        StringBuilder sb = new StringBuilder();
        sb.append(f("Page block order: %d\n", pageblockOrder));
        sb.append(f("Pages per block:  %d\n", 1L << pageblockOrder));
        sb.append('\n');
        sb.append(f("%-43s ", "Free pages count per migrate type at order"));
        for (int order = 0; order < Zone.MAX_ORDER; ++order) {
            sb.append(f("%6d ", order));
        }
        sb.append('\n');
        for (Zone zone : populated) {
            for (int mtype = 0; mtype < MigrateType.MIGRATE_TYPES; mtype++) {
                sb.append(f("Node %4d, zone %8s, type %12s ", zone.nodeId, zone.name,
                        MigrateType.of(mtype).kernelName));
                for (int order = 0; order < Zone.MAX_ORDER; ++order) {
                    sb.append(f("%6d ", zone.listLen[Zone.slot(order, mtype)]));
                }
                sb.append('\n');
            }
        }
        sb.append(f("\n%-23s", "Number of blocks type "));
        for (int mtype = 0; mtype < MigrateType.MIGRATE_TYPES; mtype++) {
            sb.append(f("%12s ", MigrateType.of(mtype).kernelName));
        }
        sb.append('\n');
        for (int i = 0; i < populated.length; i++) {
            Zone zone = populated[i];
            sb.append(f("Node %d, zone %8s ", zone.nodeId, zone.name));
            for (int mtype = 0; mtype < MigrateType.MIGRATE_TYPES; mtype++) {
                sb.append(f("%12d ", blockCounts[i][mtype]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Pageblocks of each migratetype in the zone, counted as showblockcount_print does. */
    @Override
    public long[] pageblockCounts(Machine m, Zone zone) {
        MemMap mm = m.allocator.memMap();
        long nr = 1L << mm.pageblockOrder();
        long[] count = new long[MigrateType.MIGRATE_TYPES];
        for (long pfn = zone.zoneStartPfn; pfn < zone.zoneEndPfn(); pfn += nr) {
            if (mm.state((int) pfn) == dev.pagealloc.mem.MemMapDescriptor.PS_NOMAP) {
                continue; // !pfn_valid(pfn)
            }
            int mtype = mm.pageblockMigratetype(pfn);
            if (mtype < MigrateType.MIGRATE_TYPES) {
                count[mtype]++;
            }
        }
        return count;
    }

    /** {@code zoneinfo_show_print()}, mm/vmstat.c (2.6.32): /proc/zoneinfo. */
    @Override
    public String zoneinfo(Machine m) {
        return zoneinfo(m.populatedZones(), m.kernel.features().numa());
    }

    /** /proc/vmstat with no reclaim model read ({@link VmstatView2632}). */
    @Override
    public String vmstat(Machine m) {
        return VmstatView2632.vmstat(m, null);
    }

    /** /proc/meminfo with no swap and no reclaim model read ({@link MeminfoView2632}). */
    @Override
    public String meminfo(Machine m) {
        return MeminfoView2632.meminfo(m, null, 0);
    }

    /** {@code zoneinfo_show_print()} over the given (populated) zones; {@code numa}: CONFIG_NUMA. */
    public static String zoneinfo(Zone[] populated, boolean numa) {
        StringBuilder sb = new StringBuilder();
        for (Zone zone : populated) {
            sb.append(f("Node %d, zone %8s", zone.nodeId, zone.name));
            sb.append(f("\n  pages free     %d"
                            + "\n        min      %d"
                            + "\n        low      %d"
                            + "\n        high     %d"
                            + "\n        scanned  %d"
                            + "\n        spanned  %d"
                            + "\n        present  %d",
                    zone.freePages(), zone.minWmark(), zone.lowWmark(), zone.highWmark(),
                    zone.pagesScanned, zone.spannedPages, zone.presentPages));
            for (ZoneStatItem item : ZoneStatItem.values()) {
                if (!numa && item.ordinal() >= ZoneStatItem.NUMA_HIT.ordinal()) {
                    break;
                }
                sb.append(f("\n    %-12s %d", item.procName, zone.vmStat[item.ordinal()]));
            }
            sb.append(f("\n        protection: (%d", zone.lowmemReserve[0]));
            for (int i = 1; i < zone.lowmemReserve.length; i++) {
                sb.append(f(", %d", zone.lowmemReserve[i]));
            }
            sb.append(f(")\n  pagesets"));
            for (int cpu = 0; cpu < zone.pcp.length; cpu++) {
                PerCpuPages p = zone.pcp[cpu];
                sb.append(f("\n    cpu: %d"
                                + "\n              count: %d"
                                + "\n              high:  %d"
                                + "\n              batch: %d",
                        cpu, p.count, p.high, p.batch));
                sb.append(f("\n  vm stats threshold: %d", p.statThreshold));
            }
            sb.append(f("\n  all_unreclaimable: %d"
                            + "\n  prev_priority:     %d"
                            + "\n  start_pfn:         %d"
                            + "\n  inactive_ratio:    %d",
                    zone.allUnreclaimable ? 1 : 0, zone.prevPriority, zone.zoneStartPfn,
                    zone.inactiveRatio));
            sb.append('\n');
        }
        return sb.toString();
    }
}
