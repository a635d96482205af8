package dev.pagealloc.buddy;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PAGE_LRU_MASK;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_HIGHATOMIC;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_PCPTYPES;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RECLAIMABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_UNMOVABLE;
import static dev.pagealloc.mmzone.Zone.MAX_ORDER;
import static dev.pagealloc.mmzone.Zone.slot;

import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.Zone;

/**
 * Taking blocks off the buddy lists the 6.1 way (mm/page_alloc.c [61]): {@code __rmqueue()} with
 * its fallback that steals from the largest block of another type, the watermark boost a steal
 * raises, and the MIGRATE_HIGHATOMIC reserve of high-order atomic requests.
 *
 * <h2>Notation</h2>
 * Types are the emulator's free-list slots (U 0, E 1, M 2, H 3 = MIGRATE_HIGHATOMIC, I 4);
 * {@code pageblock_nr_pages} = 2^pageblock_order. A <em>steal</em> takes a block of order
 * {@code current} from another type's list for a request of type {@code start}:
 * <pre>
 *   fallback search: current = MAX_ORDER−1 … min_order (min_order = pageblock_order under
 *       ALLOC_NOFRAGMENT, else the request's order); the first fallbacks[start][i] list that is
 *       non-empty wins; a MOVABLE request that may not take the whole pageblock
 *       (can_steal_fallback false) instead takes the smallest suitable block
 *   can_steal_fallback: current ≥ pageblock_order, or ≥ pageblock_order/2, or start is
 *       UNMOVABLE/RECLAIMABLE, or mobility grouping is off
 *   steal: current ≥ pageblock_order → the pageblocks become start; otherwise boost the zone's
 *       watermark, move the pageblock's free pages to start's lists and claim the pageblock when
 *       free + alike ≥ pageblock_nr_pages/2 (alike = its LRU pages for a MOVABLE request, the
 *       non-free non-LRU pages of a MOVABLE block for the others)
 * </pre>
 *
 * <h2>Invariants</h2>
 * {@code zone.nrReservedHighatomic} is a multiple of pageblock_nr_pages and never exceeds
 * managed/100 + one pageblock (checked before each reservation); boost never exceeds
 * max(pageblock_nr_pages, high × watermark_boost_factor / 10000).
 */
public final class Rmqueue61 {
    /** ALLOC_* bits of mm/internal.h (6.1) this class reads. */
    public static final int ALLOC_HARDER = 0x10;
    public static final int ALLOC_NOFRAGMENT = 0x100;
    public static final int ALLOC_KSWAPD = 0x800;

    private final Buddy buddy;
    private final MemMap mm;
    private final int pageblockOrder;
    private final int pageblockNr;
    private final int boostFactor;
    /** Out-parameter of {@link #moveFreepagesBlock}: the LRU pages seen ({@code num_movable}). */
    private int numMovable;

    /** The kernel's value of each internal migratetype slot, for the tracepoints. */
    private final int[] kernelMt;

    public Rmqueue61(Buddy buddy, int watermarkBoostFactor, int[] kernelMigratetype) {
        this.buddy = buddy;
        this.kernelMt = kernelMigratetype.clone();
        this.mm = buddy.memMap();
        this.pageblockOrder = buddy.pageblockOrder();
        this.pageblockNr = 1 << pageblockOrder;
        this.boostFactor = watermarkBoostFactor;
    }

    /**
     * {@code __rmqueue()}, mm/page_alloc.c (6.1, no CMA): the smallest block of the type; if none,
     * steal through {@link #rmqueueFallback} and look again. -1 when nothing can be found.
     */
    public int rmqueue(Zone zone, int order, int migratetype, int allocFlags) {
        int pfn;
        while (true) {
            pfn = buddy.rmqueueSmallest(zone, order, migratetype);
            if (pfn < 0 && rmqueueFallback(zone, order, migratetype, allocFlags)) {
                continue;
            }
            break;
        }
        buddy.trace().mmPageAllocZoneLocked(pfn, order, kernelMt[migratetype]);
        return pfn;
    }

    /**
     * {@code rmqueue_buddy()}'s choice, mm/page_alloc.c (6.1): a high-order ALLOC_HARDER request
     * first tries the HighAtomic reserve, then {@link #rmqueue}. The caller debits NR_FREE_PAGES.
     */
    public int rmqueueBuddy(Zone zone, int order, int migratetype, int allocFlags) {
        int pfn = -1;
        if (order > 0 && (allocFlags & ALLOC_HARDER) != 0) {
            pfn = buddy.rmqueueSmallest(zone, order, MIGRATE_HIGHATOMIC.ordinal());
        }
        if (pfn < 0) {
            pfn = rmqueue(zone, order, migratetype, allocFlags);
        }
        return pfn;
    }

    /** {@code can_steal_fallback()}, mm/page_alloc.c (6.1). */
    private boolean canStealFallback(int order, int startMt) {
        if (order >= pageblockOrder) {
            return true;
        }
        return order >= pageblockOrder / 2
                || startMt == MIGRATE_RECLAIMABLE.ordinal()
                || startMt == MIGRATE_UNMOVABLE.ordinal()
                || buddy.mobilityDisabled();
    }

    /** Set by {@link #findSuitableFallback}: whether the whole pageblock may be taken. */
    private boolean canSteal;

    /**
     * {@code find_suitable_fallback()}, mm/page_alloc.c (6.1): the first type of
     * {@code fallbacks[migratetype]} with a block at this order, or -1.
     */
    public int findSuitableFallback(Zone zone, int order, int migratetype, boolean onlyStealable) {
        if (zone.nrFree[order] == 0) {
            return -1;
        }
        canSteal = false;
        for (int mt : buddy.fallbacks()[migratetype]) {
            if (mt < 0) {
                break;
            }
            if (zone.listLen[slot(order, mt)] == 0) {
                continue;
            }
            if (canStealFallback(order, migratetype)) {
                canSteal = true;
            }
            if (!onlyStealable || canSteal) {
                return mt;
            }
        }
        return -1;
    }

    /** Whether the last {@link #findSuitableFallback} may steal the whole pageblock. */
    public boolean lastCanSteal() {
        return canSteal;
    }

    /**
     * {@code __rmqueue_fallback()}, mm/page_alloc.c (6.1): steals a block of another type onto
     * {@code startMt}'s lists (or claims its pageblock); returns whether anything was moved.
     */
    boolean rmqueueFallback(Zone zone, int order, int startMt, int allocFlags) {
        int minOrder = order;
        if ((allocFlags & ALLOC_NOFRAGMENT) != 0) {
            minOrder = pageblockOrder;
        }
        int current;
        int fallbackMt = -1;
        for (current = MAX_ORDER - 1; current >= minOrder; --current) {
            fallbackMt = findSuitableFallback(zone, current, startMt, false);
            if (fallbackMt == -1) {
                continue;
            }
            // A MOVABLE request that cannot take the whole block splits the smallest one instead.
            if (!canSteal && startMt == MIGRATE_MOVABLE.ordinal() && current > order) {
                for (current = order; current < MAX_ORDER; current++) {
                    fallbackMt = findSuitableFallback(zone, current, startMt, false);
                    if (fallbackMt != -1) {
                        break;
                    }
                }
                if (fallbackMt == -1) {
                    return false; // VM_BUG_ON in the kernel: the largest-first search found one
                }
            }
            int pfn = zone.freeHead[slot(current, fallbackMt)];
            stealSuitableFallback(zone, pfn, allocFlags, startMt, canSteal);
            buddy.trace().mmPageAllocExtfrag(pfn, order, current, pageblockOrder, kernelMt[startMt], kernelMt[fallbackMt]);
            return true;
        }
        return false;
    }

    /**
     * {@code steal_suitable_fallback()}, mm/page_alloc.c (6.1): see the class comment.
     */
    private void stealSuitableFallback(Zone zone, int pfn, int allocFlags, int startType, boolean wholeBlock) {
        int currentOrder = mm.order(pfn);
        int oldBlockType = mm.pageblockMigratetype(pfn);
        if (oldBlockType == MIGRATE_HIGHATOMIC.ordinal()) {
            moveToFreeList(zone, pfn, currentOrder, startType);
            return;
        }
        if (currentOrder >= pageblockOrder) {
            buddy.changePageblockRange(pfn, currentOrder, startType);
            moveToFreeList(zone, pfn, currentOrder, startType);
            return;
        }
        // Boost watermarks to increase reclaim pressure and reduce future fallbacks.
        if (boostWatermark(zone) && (allocFlags & ALLOC_KSWAPD) != 0) {
            zone.boostedWatermarkFlag = true;
        }
        if (!wholeBlock) {
            moveToFreeList(zone, pfn, currentOrder, startType);
            return;
        }
        int freePages = moveFreepagesBlock(zone, pfn, startType);
        int alikePages;
        if (startType == MIGRATE_MOVABLE.ordinal()) {
            alikePages = numMovable;
        } else if (oldBlockType == MIGRATE_MOVABLE.ordinal()) {
            alikePages = pageblockNr - (freePages + numMovable);
        } else {
            alikePages = 0;
        }
        if (freePages == 0) { // moving the whole block can fail at zone boundaries
            moveToFreeList(zone, pfn, currentOrder, startType);
            return;
        }
        if (freePages + alikePages >= (1 << (pageblockOrder - 1)) || buddy.mobilityDisabled()) {
            buddy.setPageblockMigratetype(pfn, startType);
        }
    }

    /** {@code move_to_free_list()}, mm/page_alloc.c (6.1): to the tail of another list of its order. */
    private void moveToFreeList(Zone zone, int pfn, int order, int migratetype) {
        buddy.delFromFreeList(zone, pfn, order);
        buddy.addToFreeListTail(zone, pfn, order, migratetype);
    }

    /**
     * {@code move_freepages_block()} with {@code num_movable}, mm/page_alloc.c (6.1): every free
     * block of the pageblock to the tail of {@code migratetype}'s lists; returns the pages moved and
     * leaves the LRU pages seen in {@link #numMovable}. A pageblock that crosses the zone moves
     * nothing.
     */
    public int moveFreepagesBlock(Zone zone, int pfn, int migratetype) {
        numMovable = 0;
        int start = pfn & -pageblockNr;
        int end = start + pageblockNr - 1;
        if (start < zone.zoneStartPfn || end >= zone.zoneEndPfn()) {
            return 0;
        }
        int moved = 0;
        for (int p = start; p <= end; ) {
            int f = mm.flags(p);
            if ((f & 0x7) != PS_BUDDY) {
                if ((f & 0x7) == PS_ALLOCATED && (f & PAGE_LRU_MASK) != 0) {
                    numMovable++;
                }
                p++;
                continue;
            }
            int order = mm.order(p);
            moveToFreeList(zone, p, order, migratetype);
            p += 1 << order;
            moved += 1 << order;
        }
        return moved;
    }

    /**
     * {@code boost_watermark()}, mm/page_alloc.c (6.1): raise the zone's watermark boost by a
     * pageblock, up to max(pageblock_nr_pages, high × watermark_boost_factor / 10000); not on zones
     * smaller than four pageblocks.
     */
    boolean boostWatermark(Zone zone) {
        if (boostFactor == 0) {
            return false;
        }
        if ((long) pageblockNr * 4 > zone.managedPages) {
            return false;
        }
        long high = zone.watermark[2];
        long maxBoost = (high / 10000) * boostFactor + (high % 10000) * boostFactor / 10000;
        if (maxBoost == 0) {
            return false;
        }
        maxBoost = Math.max(pageblockNr, maxBoost);
        zone.watermarkBoost = Math.min(zone.watermarkBoost + pageblockNr, maxBoost);
        return true;
    }

    /**
     * {@code reserve_highatomic_pageblock()}, mm/page_alloc.c (6.1): after a high-order
     * ALLOC_HARDER allocation, the page's pageblock becomes MIGRATE_HIGHATOMIC (its free pages
     * moved there), up to about 1% of the zone plus one pageblock.
     */
    public void reserveHighatomicPageblock(int pfn, Zone zone) {
        long maxManaged = zone.managedPages / 100 + pageblockNr;
        if (zone.nrReservedHighatomic >= maxManaged) {
            return;
        }
        int mt = mm.pageblockMigratetype(pfn);
        if (mt < MIGRATE_PCPTYPES) { // migratetype_is_mergeable()
            zone.nrReservedHighatomic += pageblockNr;
            buddy.setPageblockMigratetype(pfn, MIGRATE_HIGHATOMIC.ordinal());
            moveFreepagesBlock(zone, pfn, MIGRATE_HIGHATOMIC.ordinal());
        }
    }

    /**
     * {@code unreserve_highatomic_pageblock()}, mm/page_alloc.c (6.1): gives one HighAtomic
     * pageblock of the zones (highest first) back to {@code migratetype}, keeping the last one
     * unless {@code force}; returns whether free pages moved.
     */
    public boolean unreserveHighatomicPageblock(Zone[] zonelistZones, int migratetype, boolean force) {
        for (Zone zone : zonelistZones) {
            if (!force && zone.nrReservedHighatomic <= pageblockNr) {
                continue;
            }
            for (int order = 0; order < MAX_ORDER; order++) {
                int page = zone.freeHead[slot(order, MIGRATE_HIGHATOMIC.ordinal())];
                if (page == NIL) {
                    continue;
                }
                if (mm.pageblockMigratetype(page) == MIGRATE_HIGHATOMIC.ordinal()) {
                    zone.nrReservedHighatomic -= Math.min(pageblockNr, zone.nrReservedHighatomic);
                }
                buddy.setPageblockMigratetype(page, migratetype);
                if (moveFreepagesBlock(zone, page, migratetype) > 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
