package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.Locale;

/**
 * /proc/vmstat as Linux 2.6.32 prints it: a transliteration of mm/vmstat.c {@code vmstat_start()}
 * and {@code vmstat_show()}, which print one {@code "%s %lu\n"} line per entry of
 * {@code vmstat_text[]}, in that array's order.
 *
 * <p><b>The 2.6.32 {@code vmstat_text[]}</b>, for the emulated configuration (x86, CONFIG_NUMA=y
 * as {@link dev.pagealloc.kernel.KernelFeatures#numa} says, CONFIG_VM_EVENT_COUNTERS=y,
 * CONFIG_HUGETLB_PAGE=y, CONFIG_ZONE_DMA=y, CONFIG_ZONE_DMA32 on x86_64, CONFIG_HIGHMEM on i386):
 * <ol>
 *   <li>the {@code enum zone_stat_item} names ({@link ZoneStatItem}, nr_free_pages … nr_shmem;
 *       the numa_* items only with CONFIG_NUMA);
 *   <li>pgpgin, pgpgout, pswpin, pswpout;
 *   <li>{@code TEXTS_FOR_ZONES("pgalloc")}: one line per zone the arch configures, suffixes
 *       _dma, _dma32, _normal, _high, _movable in zone-index order;
 *   <li>pgfree, pgactivate, pgdeactivate, pgfault, pgmajfault;
 *   <li>{@code TEXTS_FOR_ZONES} of pgrefill, pgsteal, pgscan_kswapd, pgscan_direct;
 *   <li>zone_reclaim_failed (CONFIG_NUMA);
 *   <li>pginodesteal, slabs_scanned, kswapd_steal, kswapd_inodesteal, pageoutrun, allocstall,
 *       pgrotated;
 *   <li>htlb_buddy_alloc_success, htlb_buddy_alloc_fail (CONFIG_HUGETLB_PAGE);
 *   <li>unevictable_pgs_culled, _scanned, _rescued, _mlocked, _munlocked, _cleared, _stranded,
 *       _mlockfreed.
 * </ol>
 * 2.6.32 has no nr_dirty_threshold / nr_dirty_background_threshold (those {@code
 * writeback_stat_item}s came in 3.x) and no kswapd_low_wmark_hit_quickly,
 * kswapd_high_wmark_hit_quickly or kswapd_skip_congestion_wait (Mel Gorman's kswapd changes,
 * merged for 2.6.33), no compact_* (2.6.35) and no thp_* (2.6.38).
 *
 * <p><b>Sources read</b> (the 2.6.32 tree itself, chenbq83/Linux-2.6.32.69, does not hold
 * mm/vmstat.c in the index): a verbatim copy of the 2.6.31/2.6.32-era {@code vmstat_text[]} and
 * {@code vmstat_start()} (sectors → kB halving of pgpgin/pgpgout) in an out-of-tree module (the
 * LANL "supermon" {@code supermon_proc.c}, which copies the kernel table for its own use); linux-mm
 * patch mails against mm/vmstat.c showing the later additions in context (kswapd_*_wmark_hit_quickly
 * and kswapd_skip_congestion_wait before pageoutrun; the thp_* block after
 * unevictable_pgs_mlockfreed); the zone items and their 2.6.32 order come from
 * include/linux/mmzone.h as already transliterated in {@link ZoneStatItem}.
 *
 * <p><b>Values.</b> Zone items are {@code global_page_state()}: Σ over all zones of
 * {@link Zone#vmStat}, a negative sum printing 0 as the kernel clamps it. pgalloc_* are {@code
 * machine.allocator.pgalloc(zoneIdx)}, pgfree is {@code allocator.pgfree()}. From the
 * {@link Vmscan} when one is given: pswpout; pgsteal_* = pgstealKswapd + pgstealDirect;
 * pgscan_kswapd_* = pgscanKswapd; pgscan_direct_* = pgscanDirect; kswapd_steal = pgstealKswapd;
 * pageoutrun; allocstall. The kernel counts pgsteal/pgscan per zone, the emulator only in total:
 * the whole total is printed on the highest populated zone's line (where reclaim of a machine this
 * shape mostly happens) and the other zones print 0, so each family still sums to the right
 * number. Everything the emulator does not model prints 0: pgpgin, pgpgout, pswpin, pgactivate,
 * pgdeactivate, pgfault, pgmajfault, pgrefill_*, zone_reclaim_failed, pginodesteal,
 * slabs_scanned, kswapd_inodesteal, pgrotated, htlb_buddy_alloc_*, unevictable_pgs_*.
 */
public final class VmstatView2632 {
    private VmstatView2632() {}

    /** /proc/vmstat of {@code m}; {@code v} may be null (no reclaim modelled: its counters print 0). */
    public static String vmstat(Machine m, Vmscan v) {
        StringBuilder sb = new StringBuilder(4096);
        Zone[] zones = m.zones;
        boolean numa = m.kernel.features().numa();

        // enum zone_stat_item: global_page_state(i)
        for (ZoneStatItem item : ZoneStatItem.values()) {
            if (!numa && item.ordinal() >= ZoneStatItem.NUMA_HIT.ordinal()) {
                continue;
            }
            line(sb, item.procName, globalPageState(m, item));
        }

        // enum vm_event_item: all_vm_events(); pgpgin/pgpgout /= 2 (sectors -> kbytes)
        line(sb, "pgpgin", 0L / 2);
        line(sb, "pgpgout", 0L / 2);
        line(sb, "pswpin", 0);
        line(sb, "pswpout", v == null ? 0 : v.pswpout());

        long[] pgalloc = new long[zones.length];
        for (Zone z : zones) {
            pgalloc[z.idx] = m.allocator.pgalloc(z.idx);
        }
        perZone(sb, zones, "pgalloc", pgalloc);

        line(sb, "pgfree", m.allocator.pgfree());
        line(sb, "pgactivate", 0);
        line(sb, "pgdeactivate", 0);
        line(sb, "pgfault", 0);
        line(sb, "pgmajfault", 0);

        int reclaimZone = reclaimZoneIdx(m);
        perZone(sb, zones, "pgrefill", new long[zones.length]);
        perZone(sb, zones, "pgsteal",
                onZone(zones.length, reclaimZone, v == null ? 0 : v.pgstealKswapd() + v.pgstealDirect()));
        perZone(sb, zones, "pgscan_kswapd", onZone(zones.length, reclaimZone, v == null ? 0 : v.pgscanKswapd()));
        perZone(sb, zones, "pgscan_direct", onZone(zones.length, reclaimZone, v == null ? 0 : v.pgscanDirect()));

        if (numa) {
            line(sb, "zone_reclaim_failed", 0);
        }
        line(sb, "pginodesteal", 0);
        line(sb, "slabs_scanned", 0);
        line(sb, "kswapd_steal", v == null ? 0 : v.pgstealKswapd());
        line(sb, "kswapd_inodesteal", 0);
        line(sb, "pageoutrun", v == null ? 0 : v.pageoutrun());
        line(sb, "allocstall", v == null ? 0 : v.allocstall());

        line(sb, "pgrotated", 0);
        // CONFIG_HUGETLB_PAGE
        line(sb, "htlb_buddy_alloc_success", 0);
        line(sb, "htlb_buddy_alloc_fail", 0);
        line(sb, "unevictable_pgs_culled", 0);
        line(sb, "unevictable_pgs_scanned", 0);
        line(sb, "unevictable_pgs_rescued", 0);
        line(sb, "unevictable_pgs_mlocked", 0);
        line(sb, "unevictable_pgs_munlocked", 0);
        line(sb, "unevictable_pgs_cleared", 0);
        line(sb, "unevictable_pgs_stranded", 0);
        line(sb, "unevictable_pgs_mlockfreed", 0);
        return sb.toString();
    }

    /**
     * {@code global_page_state(item)}, include/linux/vmstat.h: the sum over every zone, clamped
     * at 0 (CONFIG_SMP: per-cpu differentials can leave it briefly negative).
     */
    static long globalPageState(Machine m, ZoneStatItem item) {
        long x = 0;
        for (Zone z : m.zones) {
            x += z.vmStat[item.ordinal()];
        }
        return Math.max(0, x);
    }

    private static void perZone(StringBuilder sb, Zone[] zones, String prefix, long[] byIdx) {
        for (Zone z : zones) {
            line(sb, prefix + z.type.vmstatSuffix, byIdx[z.idx]);
        }
    }

    private static long[] onZone(int n, int idx, long value) {
        long[] a = new long[n];
        if (idx >= 0) {
            a[idx] = value;
        }
        return a;
    }

    /** The highest populated zone's index, or -1 (see the class comment on per-zone reclaim counts). */
    private static int reclaimZoneIdx(Machine m) {
        int idx = -1;
        for (Zone z : m.zones) {
            if (z.isPopulated()) {
                idx = z.idx;
            }
        }
        return idx;
    }

    /** {@code seq_printf(m, "%s %lu\n", vmstat_text[off], *l)}. */
    private static void line(StringBuilder sb, String name, long value) {
        sb.append(name).append(' ').append(String.format(Locale.ROOT, "%d", value)).append('\n');
    }
}
