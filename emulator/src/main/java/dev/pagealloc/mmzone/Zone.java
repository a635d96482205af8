package dev.pagealloc.mmzone;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;

import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.Arrays;

/**
 * {@code struct zone} (include/linux/mmzone.h): a range of pfns with its own buddy free lists,
 * watermarks, lowmem_reserve, per-CPU pagesets and counters. Plain fields, read and written by
 * the allocator classes that mirror mm/page_alloc.c.
 *
 * <p>{@code free_area[order].free_list[mt]} is slot {@code order * MIGRATE_TYPES + mt} of
 * {@link #freeHead}/{@link #freeTail}; {@code free_area[order].nr_free} is {@link #nrFree}.
 * {@link #listLen} keeps each list's length so /proc/pagetypeinfo need not walk the lists.
 */
public final class Zone implements dev.pagealloc.watermark.ZoneView {
    /** MAX_ORDER, include/linux/mmzone.h (2.6.32 … 6.3: exclusive; orders 0 … 10). */
    public static final int MAX_ORDER = 11;

    /** PAGE_ALLOC_COSTLY_ORDER, include/linux/mmzone.h: larger requests are not retried forever. */
    public static final int PAGE_ALLOC_COSTLY_ORDER = 3;

    /**
     * SWAP_CLUSTER_MAX, include/linux/swap.h: reclaim's batch, compaction's COMPACT_CLUSTER_MAX, the
     * smallest HighMem min watermark. Kept beside the mmzone.h constants so every package can
     * use it.
     */
    public static final int SWAP_CLUSTER_MAX = 32;

    public final int idx;
    public final ZoneType type;
    public final String name;
    public final int nodeId;
    public long zoneStartPfn;
    public long spannedPages;
    public long presentPages;
    /** 3.10+ managed_pages; 2.6.32 has none and uses present. */
    public long managedPages;

    /**
     * {@code _watermark[WMARK_MIN]}, [WMARK_LOW], [WMARK_HIGH], without the boost; the allocator and
     * the views read them through {@link #wmark} ({@code wmark_pages()}), which adds it.
     */
    public final long[] watermark = new long[3];

    /** {@code watermark_boost} (5.0+): raised on fallback steals, cleared by kswapd. */
    public long watermarkBoost;

    /** {@code nr_reserved_highatomic} (4.4+): pages in MIGRATE_HIGHATOMIC pageblocks. */
    public long nrReservedHighatomic;

    /** {@code ZONE_BOOSTED_WATERMARK} (5.0+): wake kswapd once the allocation is done. */
    public boolean boostedWatermarkFlag;

    public final long[] lowmemReserve;
    public final int[] nrFree = new int[MAX_ORDER];
    public final int[] freeHead = new int[MAX_ORDER * MigrateType.MIGRATE_TYPES];
    public final int[] freeTail = new int[MAX_ORDER * MigrateType.MIGRATE_TYPES];
    public final int[] listLen = new int[MAX_ORDER * MigrateType.MIGRATE_TYPES];

    /** {@code zone->lru[NR_LRU_LISTS].list}: LRU_INACTIVE_ANON, ACTIVE_ANON, INACTIVE_FILE, ACTIVE_FILE, UNEVICTABLE. */
    public final int[] lruHead = new int[5];

    public final int[] lruTail = new int[5];

    /** vm_stat[NR_VM_ZONE_STAT_ITEMS]. */
    public final long[] vmStat = new long[ZoneStatItem.COUNT];

    /** zone_pcp(zone, cpu). */
    public PerCpuPages[] pcp = new PerCpuPages[0];

    public long pagesScanned;
    public int prevPriority = 12; // DEF_PRIORITY
    public int inactiveRatio = 1;
    public boolean allUnreclaimable;

    public Zone(int idx, ZoneType type, int nodeId, int maxNrZones) {
        this.idx = idx;
        this.type = type;
        this.name = type.kernelName;
        this.nodeId = nodeId;
        this.lowmemReserve = new long[maxNrZones];
        Arrays.fill(freeHead, NIL);
        Arrays.fill(freeTail, NIL);
        Arrays.fill(lruHead, NIL);
        Arrays.fill(lruTail, NIL);
    }

    /** {@code populated_zone()}: present_pages != 0. */
    public boolean isPopulated() {
        return presentPages != 0;
    }

    public boolean isHighmem() {
        return type == ZoneType.HIGHMEM;
    }

    /** {@code zone_page_state(zone, NR_FREE_PAGES)}. */
    @Override
    public long freePages() {
        return vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()];
    }

    @Override
    public int nrFree(int order) {
        return nrFree[order];
    }

    @Override
    public long lowmemReserve(int classzoneIdx) {
        return lowmemReserve[classzoneIdx];
    }

    /** Letters in 2.6.32 migratetype order: U E M R I. */
    private static final String TYPE_LETTERS = "UEMRI";

    @Override
    public boolean hasFreeList(int order, char type) {
        int mt = type == 'H' ? MigrateType.MIGRATE_HIGHATOMIC.ordinal() : TYPE_LETTERS.indexOf(type);
        return mt >= 0 && listLen[slot(order, mt)] > 0;
    }

    @Override
    public long reservedHighatomic() {
        return nrReservedHighatomic;
    }

    public long zoneEndPfn() {
        return zoneStartPfn + spannedPages;
    }

    public boolean spansPfn(long pfn) {
        return pfn >= zoneStartPfn && pfn < zoneStartPfn + spannedPages;
    }

    /**
     * {@code wmark_pages(z, i)}, include/linux/mmzone.h: {@code _watermark[i] + watermark_boost}
     * (the boost is 0 in kernels without it).
     */
    public long wmark(int i) {
        return watermark[i] + watermarkBoost;
    }

    /** {@code min_wmark_pages()}, {@code low_wmark_pages()}, {@code high_wmark_pages()}: boost included. */
    public long minWmark() {
        return wmark(0);
    }

    public long lowWmark() {
        return wmark(1);
    }

    public long highWmark() {
        return wmark(2);
    }

    /** Free-list slot of (order, migratetype). */
    public static int slot(int order, int migratetype) {
        return order * MigrateType.MIGRATE_TYPES + migratetype;
    }

    /** Pages on every per-CPU list of this zone (not part of NR_FREE_PAGES). */
    public long pcpPages() {
        long n = 0;
        for (PerCpuPages p : pcp) {
            n += p.count;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Node " + nodeId + ", zone " + name;
    }
}
