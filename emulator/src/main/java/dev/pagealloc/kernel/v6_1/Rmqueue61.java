package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_HIGHATOMIC;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_KSWAPD;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NOFRAGMENT;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NON_BLOCK;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_OOM;
import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_HIGHATOMIC;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_PCPTYPES;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RECLAIMABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_UNMOVABLE;
import static dev.pagealloc.mmzone.Zone.MAX_ORDER;
import static dev.pagealloc.mmzone.Zone.slot;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.watermark.Watermarks;

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
    /**
     * {@link #findSuitableFallback}'s answer carries {@code *can_steal} in this bit above the
     * fallback type.
     */
    static final int CAN_STEAL = 1 << 8;

    private final AllocContext ctx;
    private final Buddy buddy;
    private final MemMap mm;
    private final Migratetypes types;
    private final int pageblockOrder;
    private final int pageblockNr;
    private final int boostFactor;

    /** @param watermarkBoostFactor {@code watermark_boost_factor} (0: no boosting) */
    public Rmqueue61(AllocContext ctx, int watermarkBoostFactor) {
        this.ctx = ctx;
        this.buddy = ctx.buddy();
        this.mm = ctx.memMap();
        this.types = ctx.migratetypes();
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
        if (ctx.tracing()) {
            ctx.trace().mmPageAllocZoneLocked(pfn, order, types.kernelValue(migratetype));
        }
        return pfn;
    }

    /**
     * {@code rmqueue_buddy()}'s choice, mm/page_alloc.c:3745 [61.192]: an ALLOC_HIGHATOMIC request
     * first tries the HighAtomic reserve (:3761), then {@link #rmqueue}; when that finds nothing, an
     * OOM victim or a non-blocking request of any order may still take a HighAtomic block (:3772),
     * "as failing now is worse than failing a high-order atomic allocation in the future". The caller
     * debits NR_FREE_PAGES.
     */
    public int rmqueueBuddy(Zone zone, int order, int migratetype, int allocFlags) {
        int pfn = -1;
        if ((allocFlags & ALLOC_HIGHATOMIC) != 0) {
            pfn = buddy.rmqueueSmallest(zone, order, MIGRATE_HIGHATOMIC.ordinal());
        }
        if (pfn < 0) {
            pfn = rmqueue(zone, order, migratetype, allocFlags);
            if (pfn < 0 && (allocFlags & (ALLOC_OOM | ALLOC_NON_BLOCK)) != 0) {
                pfn = buddy.rmqueueSmallest(zone, order, MIGRATE_HIGHATOMIC.ordinal());
            }
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

    /**
     * {@code find_suitable_fallback()}, mm/page_alloc.c:2845 [61]: the first type of
     * {@code fallbacks[migratetype]} with a block at this order, with {@link #CAN_STEAL} set when
     * the whole pageblock may be taken ({@code *can_steal}); -1 when there is none.
     */
    int findSuitableFallback(Zone zone, int order, int migratetype, boolean onlyStealable) {
        if (zone.nrFree[order] == 0) {
            return -1;
        }
        boolean canSteal = false;
        for (int mt : types.fallbacks(migratetype)) {
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
                return canSteal ? mt | CAN_STEAL : mt;
            }
        }
        return -1;
    }

    /**
     * {@code find_suitable_fallback(..., only_stealable=true, ...) != -1}: the question
     * {@code __compact_finished()}, mm/compaction.c [61], asks of each order at or above the request's.
     */
    boolean hasStealableFallback(Zone zone, int order, int migratetype) {
        return findSuitableFallback(zone, order, migratetype, true) != -1;
    }

    /**
     * {@code __rmqueue_fallback()}, mm/page_alloc.c:3033 [61.192]: steals a block of another type
     * onto {@code startMt}'s lists (or claims its pageblock); returns whether anything was moved.
     * ALLOC_NOFRAGMENT keeps a request below pageblock_order from splitting another type's
     * pageblock (:3048; the same line in 6.1.20); a request of pageblock_order or more searches from
     * its own order, never below it.
     */
    boolean rmqueueFallback(Zone zone, int order, int startMt, int allocFlags) {
        int minOrder = order;
        if (order < pageblockOrder && (allocFlags & ALLOC_NOFRAGMENT) != 0) {
            minOrder = pageblockOrder;
        }
        for (int current = MAX_ORDER - 1; current >= minOrder; --current) {
            int found = findSuitableFallback(zone, current, startMt, false);
            if (found == -1) {
                continue;
            }
            // A MOVABLE request that cannot take the whole block splits the smallest one instead
            // (find_smallest:), and can_steal is what that search said.
            if ((found & CAN_STEAL) == 0 && startMt == MIGRATE_MOVABLE.ordinal() && current > order) {
                for (current = order; current < MAX_ORDER; current++) {
                    found = findSuitableFallback(zone, current, startMt, false);
                    if (found != -1) {
                        break;
                    }
                }
                if (found == -1) {
                    return false; // VM_BUG_ON in the kernel: the largest-first search found one
                }
            }
            int fallbackMt = found & ~CAN_STEAL;
            int pfn = zone.freeHead[slot(current, fallbackMt)];
            stealSuitableFallback(zone, pfn, allocFlags, startMt, (found & CAN_STEAL) != 0);
            if (ctx.tracing()) {
                ctx.trace().mmPageAllocExtfrag(pfn, order, current, pageblockOrder, types.kernelValue(startMt),
                        types.kernelValue(fallbackMt));
            }
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
        long moved = moveFreepagesBlock(zone, pfn, startType);
        int freePages = movedPages(moved);
        int numMovable = numMovable(moved);
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
     * {@code move_freepages_block()} with {@code num_movable}, mm/page_alloc.c:2680 [61.192]: every
     * free block of the pageblock to the tail of {@code migratetype}'s lists. Returns the pages moved
     * in the low half ({@link #movedPages}) and the LRU pages seen, {@code *num_movable}, in the high
     * half ({@link #numMovable}). "Do not cross zone boundaries" (:2692): a pageblock that starts
     * before the zone (x86's DMA starts at pfn 1) is walked from {@code pfn} itself; one that ends
     * after the zone moves nothing.
     */
    long moveFreepagesBlock(Zone zone, int pfn, int migratetype) {
        int start = pfn & -pageblockNr;
        int end = start + pageblockNr - 1;
        if (start < zone.zoneStartPfn) {
            start = pfn;
        }
        if (end >= zone.zoneEndPfn()) {
            return 0;
        }
        int moved = 0;
        int numMovable = 0;
        for (int p = start; p <= end; ) {
            int state = mm.state(p);
            if (state != PS_BUDDY) {
                if (state == PS_ALLOCATED && mm.onLru(p)) {
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
        return ((long) numMovable << 32) | moved;
    }

    /** The pages {@link #moveFreepagesBlock} moved. */
    static int movedPages(long moved) {
        return (int) moved;
    }

    /** The LRU pages {@link #moveFreepagesBlock} saw ({@code num_movable}). */
    static int numMovable(long moved) {
        return (int) (moved >>> 32);
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
        long high = zone.watermark[2]; // _watermark[WMARK_HIGH]: without the boost, unlike high_wmark_pages()
        long maxBoost = Watermarks.multFrac(high, boostFactor, 10000);
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
                if (movedPages(moveFreepagesBlock(zone, page, migratetype)) > 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
