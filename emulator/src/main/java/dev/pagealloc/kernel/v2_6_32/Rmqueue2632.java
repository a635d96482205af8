package dev.pagealloc.kernel.v2_6_32;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RECLAIMABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RESERVE;
import static dev.pagealloc.mmzone.Zone.MAX_ORDER;
import static dev.pagealloc.mmzone.Zone.slot;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.mmzone.Zone;

/**
 * Taking a block off the buddy lists the 2.6.32 way (mm/page_alloc.c [2632]): {@code __rmqueue()}
 * tries the request's own type, then steals from the largest block of a fallback type, then takes
 * MIGRATE_RESERVE rather than fail.
 *
 * <h2>Stealing (2.6.32)</h2>
 * <pre>
 *   current = MAX_ORDER−1 … order; the first fallbacks[start][i] list (RESERVE skipped) with a block
 *   if current ≥ pageblock_order/2, or start is RECLAIMABLE, or mobility grouping is off:
 *       move the pageblock's free pages to start's lists; claim the pageblock if that moved
 *       ≥ pageblock_nr_pages/2 pages (always with mobility grouping off); the block is now start's
 *   current ≥ pageblock_order: every pageblock of the block becomes start
 *   split the block down to order on the list it now belongs to
 * </pre>
 */
public final class Rmqueue2632 {
    private final AllocContext ctx;
    private final Buddy buddy;
    private final Migratetypes types;
    private final int pageblockOrder;

    public Rmqueue2632(AllocContext ctx) {
        this.ctx = ctx;
        this.buddy = ctx.buddy();
        this.types = ctx.migratetypes();
        this.pageblockOrder = buddy.pageblockOrder();
    }

    /**
     * {@code __rmqueue()}, mm/page_alloc.c:911 [2632]: own list, then fallback, then
     * MIGRATE_RESERVE rather than fail. Emits mm_page_alloc_zone_locked even when nothing was
     * found. The caller debits NR_FREE_PAGES.
     */
    public int rmqueue(Zone zone, int order, int migratetype) {
        int pfn;
        while (true) {
            pfn = buddy.rmqueueSmallest(zone, order, migratetype);
            if (pfn < 0 && migratetype != MIGRATE_RESERVE.ordinal()) {
                pfn = rmqueueFallback(zone, order, migratetype);
                if (pfn < 0) {
                    migratetype = MIGRATE_RESERVE.ordinal();
                    continue;
                }
            }
            break;
        }
        ctx.trace().mmPageAllocZoneLocked(pfn, order, migratetype);
        return pfn;
    }

    /**
     * {@code __rmqueue_fallback()}, mm/page_alloc.c:839 [2632]: takes the largest block of a
     * fallback type, stealing the whole pageblock's free pages when the block is at least half a
     * pageblock's order, or the request is reclaimable; returns -1 if no fallback list has one.
     *
     * <p>Faithful oddity: {@code fallbacks[][]} has MIGRATE_TYPES−1 = 4 columns but only 3
     * initialisers, so the fourth column is 0 (MIGRATE_UNMOVABLE) and is probed too.
     */
    int rmqueueFallback(Zone zone, int order, int startMigratetype) {
        boolean mobilityDisabled = buddy.mobilityDisabled();
        int[] row = types.fallbacks(startMigratetype);
        for (int current = MAX_ORDER - 1; current >= order; --current) {
            for (int i = 0; i < row.length; i++) {
                int migratetype = row[i];
                // MIGRATE_RESERVE handled later if necessary
                if (migratetype == MIGRATE_RESERVE.ordinal()) {
                    continue;
                }
                int pfn = zone.freeHead[slot(current, migratetype)];
                if (pfn == NIL) {
                    continue;
                }
                zone.nrFree[current]--;
                /*
                 * If breaking a large block of pages, move all free pages to the preferred
                 * allocation list. If falling back for a reclaimable kernel allocation, be more
                 * aggressive about taking ownership of free pages.
                 */
                if (current >= (pageblockOrder >> 1)
                        || startMigratetype == MIGRATE_RECLAIMABLE.ordinal()
                        || mobilityDisabled) {
                    int pages = moveFreepagesBlock(buddy, zone, pfn, startMigratetype);
                    // Claim the whole block if over half of it is free
                    if (pages >= (1 << (pageblockOrder - 1)) || mobilityDisabled) {
                        buddy.setPageblockMigratetype(pfn, startMigratetype);
                    }
                    migratetype = startMigratetype;
                }
                // Remove the page from the freelists (it may have moved to another list above)
                buddy.delFromFreeList(zone, pfn, current);
                buddy.rmvPageOrder(pfn, order);
                // Take ownership for orders >= pageblock_order
                if (current >= pageblockOrder) {
                    buddy.changePageblockRange(pfn, current, startMigratetype);
                }
                buddy.expand(zone, pfn, order, current, migratetype);
                ctx.trace().mmPageAllocExtfrag(pfn, order, current, pageblockOrder, startMigratetype, migratetype);
                return pfn;
            }
        }
        return -1;
    }

    /**
     * {@code move_freepages_block()}, mm/page_alloc.c:805 [2632]: {@code move_freepages()} over the
     * pageblock containing {@code pfn}, not crossing the zone's start (clipped to {@code pfn}) nor
     * its end (nothing moved).
     */
    static int moveFreepagesBlock(Buddy buddy, Zone zone, int pfn, int migratetype) {
        int nr = 1 << buddy.pageblockOrder();
        long startPfn = pfn & ~(long) (nr - 1);
        int startPage = (int) startPfn;
        int endPage = (int) startPfn + nr - 1;
        // Do not cross zone boundaries
        if (startPfn < zone.zoneStartPfn) {
            startPage = pfn;
        }
        if (startPfn + nr - 1 >= zone.zoneStartPfn + zone.spannedPages) {
            return 0;
        }
        return buddy.moveFreepages(zone, startPage, endPage, migratetype);
    }
}
