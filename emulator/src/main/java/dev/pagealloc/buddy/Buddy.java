package dev.pagealloc.buddy;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;
import static dev.pagealloc.mem.MemMapDescriptor.PS_TAIL;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RECLAIMABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RESERVE;
import static dev.pagealloc.mmzone.Zone.MAX_ORDER;
import static dev.pagealloc.mmzone.Zone.slot;

import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.PfnList;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.trace.TraceSink;

/**
 * The binary buddy allocator of mm/page_alloc.c, 2.6.32.
 *
 * <h2>Notation</h2>
 * A free block of order {@code o} is {@code 2^o} pages starting at a pfn aligned to {@code 2^o};
 * its head page is PageBuddy with {@code page_order = o} and sits on exactly one list,
 * {@code free_area[o].free_list[mt]}. The buddy of the block at {@code pfn} is at
 * {@code pfn ^ (1 << o)}; two free buddies of order {@code o} in the same zone merge into the
 * block at {@code pfn & ~(1 << o)} of order {@code o + 1}, up to MAX_ORDER − 1 (4 MiB).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>{@code nr_free[o]} is the number of blocks over all migratetype lists of order {@code o};
 *       NR_FREE_PAGES is the sum of {@code nr_free[o] << o} (pages on per-CPU lists excluded).
 *   <li>After {@link #freeOnePage}, no two free buddies of the same order exist (merging is eager).
 *   <li>Which list a block is on is its <em>list</em> migratetype, which may differ from its
 *       pageblock's type: stealing ({@link #rmqueueFallback}) and boot-time reserve setup move
 *       free pages between lists.
 * </ul>
 *
 * <h2>Where blocks go</h2>
 * 2.6.32 always adds to the list head: a freed or merged block, and every upper half that
 * {@link #expand} splits off. Allocation takes the head. So the most recently freed block is
 * reused first, and a split keeps handing out the lowest addresses of the block it split.
 */
public final class Buddy {
    private final MemMap mm;
    private final int pageblockOrder;
    private final int[][] fallbacks;
    private final boolean mobilityDisabled;
    private TraceSink trace = TraceSink.NONE;
    /**
     * 5.x/6.x list placement: a freed block whose merged parent is likely to form soon goes to the
     * tail ({@code buddy_merge_likely()}), moved blocks go to the tail ({@code move_to_free_list()}),
     * and blocks of pageblock order or more do not merge across isolated or highatomic blocks.
     */
    private boolean modern;

    /**
     * @param fallbacks the profile's {@code fallbacks[MIGRATE_TYPES][MIGRATE_TYPES-1]}
     * @param mobilityDisabled {@code page_group_by_mobility_disabled}
     */
    public Buddy(MemMap mm, int pageblockOrder, int[][] fallbacks, boolean mobilityDisabled) {
        this.mm = mm;
        this.pageblockOrder = pageblockOrder;
        this.fallbacks = fallbacks;
        this.mobilityDisabled = mobilityDisabled;
    }

    /** Selects the 5.x/6.x placement rules (see {@link #modern}). */
    public void setModern(boolean modern) {
        this.modern = modern;
    }

    public boolean isModern() {
        return modern;
    }

    MemMap memMap() {
        return mm;
    }

    TraceSink trace() {
        return trace;
    }

    int[][] fallbacks() {
        return fallbacks;
    }

    public void setTrace(TraceSink trace) {
        this.trace = trace;
    }

    public int pageblockOrder() {
        return pageblockOrder;
    }

    public boolean mobilityDisabled() {
        return mobilityDisabled;
    }

    /** {@code page_is_buddy()}, mm/page_alloc.c: free head, same order, same zone. */
    boolean pageIsBuddy(Zone zone, int buddy, int order) {
        if (buddy < 0 || buddy >= mm.nrPages()) {
            return false;
        }
        int f = mm.flags(buddy);
        return (f & 0x7) == PS_BUDDY && mm.order(buddy) == order && mm.zoneIdx(buddy) == zone.idx;
    }

    /**
     * {@code __free_one_page()}, mm/page_alloc.c: merges the block with its free buddies as far
     * as it can and puts the result at the head of {@code free_list[migratetype]}. The caller has
     * already credited NR_FREE_PAGES.
     */
    public void freeOnePage(Zone zone, int pfn, int order, int migratetype) {
        freeOnePage(zone, pfn, order, migratetype, false);
    }

    /**
     * {@code __free_one_page()} with {@code FPI_TO_TAIL} ({@code toTail}, as
     * {@code __free_pages_core()} frees boot memory). In the 5.x/6.x rules a block that did not
     * reach MAX_ORDER − 2 goes to the tail when its parent's buddy is free
     * ({@code buddy_merge_likely()}), and blocks of pageblock order do not merge across a
     * HighAtomic or Isolate pageblock of another type.
     */
    public void freeOnePage(Zone zone, int pfn, int order, int migratetype, boolean toTail) {
        while (order < MAX_ORDER - 1) {
            int buddy = pfn ^ (1 << order);
            if (!pageIsBuddy(zone, buddy, order)) {
                break;
            }
            if (modern && order >= pageblockOrder) {
                int buddyMt = mm.pageblockMigratetype(buddy);
                if (migratetype != buddyMt
                        && (migratetype >= MIGRATE_RESERVE.ordinal() || buddyMt >= MIGRATE_RESERVE.ordinal())) {
                    break;
                }
            }
            // Our buddy is free, merge with it and move up one order.
            delFromFreeList(zone, buddy, order);
            zone.nrFree[order]--;
            mm.setStateOrder(buddy, PS_TAIL, 0); // rmv_page_order(buddy)
            mm.setStateOrder(pfn, PS_TAIL, 0);
            pfn &= buddy;
            order++;
        }
        if (modern && !toTail && order < MAX_ORDER - 2) {
            // buddy_merge_likely(): is the buddy of our would-be parent free at order + 1?
            int higher = pfn & ~(1 << order);
            toTail = pageIsBuddy(zone, higher ^ (1 << (order + 1)), order + 1);
        }
        if (modern && toTail) {
            addToFreeListTail(zone, pfn, order, migratetype);
        } else {
            addToFreeList(zone, pfn, order, migratetype);
        }
        zone.nrFree[order]++;
    }

    /**
     * {@code expand()}, mm/page_alloc.c: splits the block of order {@code high} at {@code pfn}
     * down to order {@code low}, putting each upper half at the head of its order's list.
     */
    public void expand(Zone zone, int pfn, int low, int high, int migratetype) {
        int size = 1 << high;
        while (high > low) {
            high--;
            size >>= 1;
            addToFreeList(zone, pfn + size, high, migratetype);
            zone.nrFree[high]++;
        }
    }

    /**
     * {@code __rmqueue_smallest()}, mm/page_alloc.c: the head block of the smallest non-empty
     * list of this migratetype at or above {@code order}, split down; -1 if none.
     */
    public int rmqueueSmallest(Zone zone, int order, int migratetype) {
        for (int current = order; current < MAX_ORDER; current++) {
            int s = slot(current, migratetype);
            int pfn = zone.freeHead[s];
            if (pfn == NIL) {
                continue;
            }
            PfnList.del(mm, zone.freeHead, zone.freeTail, s, pfn);
            zone.listLen[s]--;
            rmvPageOrder(pfn, order);
            zone.nrFree[current]--;
            expand(zone, pfn, order, current, migratetype);
            return pfn;
        }
        return -1;
    }

    /**
     * {@code __rmqueue_fallback()}, mm/page_alloc.c (2.6.32): takes the largest block of a
     * fallback type, stealing the whole pageblock's free pages when the block is at least half a
     * pageblock's order, or the request is reclaimable; returns -1 if no fallback list has one.
     *
     * <p>Faithful oddity: {@code fallbacks[][]} has MIGRATE_TYPES−1 = 4 columns but only 3
     * initialisers, so the fourth column is 0 (MIGRATE_UNMOVABLE) and is probed too.
     */
    public int rmqueueFallback(Zone zone, int order, int startMigratetype) {
        for (int current = MAX_ORDER - 1; current >= order; --current) {
            int[] row = fallbacks[startMigratetype];
            for (int i = 0; i < row.length; i++) {
                int migratetype = row[i];
                // MIGRATE_RESERVE handled later if necessary
                if (migratetype == MIGRATE_RESERVE.ordinal()) {
                    continue;
                }
                int s = slot(current, migratetype);
                int pfn = zone.freeHead[s];
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
                    int pages = moveFreepagesBlock(zone, pfn, startMigratetype);
                    // Claim the whole block if over half of it is free
                    if (pages >= (1 << (pageblockOrder - 1)) || mobilityDisabled) {
                        setPageblockMigratetype(pfn, startMigratetype);
                    }
                    migratetype = startMigratetype;
                }
                // Remove the page from the freelists (it may have moved to another list above)
                delFromFreeList(zone, pfn, current);
                rmvPageOrder(pfn, order);
                // Take ownership for orders >= pageblock_order
                if (current >= pageblockOrder) {
                    changePageblockRange(pfn, current, startMigratetype);
                }
                expand(zone, pfn, order, current, migratetype);
                trace.mmPageAllocExtfrag(
                        pfn, order, current, pageblockOrder, startMigratetype, migratetype);
                return pfn;
            }
        }
        return -1;
    }

    /**
     * {@code __rmqueue()}, mm/page_alloc.c: own list, then fallback, then MIGRATE_RESERVE rather
     * than fail. Emits mm_page_alloc_zone_locked even when nothing was found.
     */
    public int rmqueue(Zone zone, int order, int migratetype) {
        int pfn;
        while (true) {
            pfn = rmqueueSmallest(zone, order, migratetype);
            if (pfn < 0 && migratetype != MIGRATE_RESERVE.ordinal()) {
                pfn = rmqueueFallback(zone, order, migratetype);
                if (pfn < 0) {
                    migratetype = MIGRATE_RESERVE.ordinal();
                    continue;
                }
            }
            break;
        }
        trace.mmPageAllocZoneLocked(pfn, order, migratetype);
        return pfn;
    }

    /**
     * {@code move_freepages()}, mm/page_alloc.c: moves every free block whose head lies in
     * {@code [startPfn, endPfn]} to the head of the {@code migratetype} list of its order.
     * Returns the number of pages moved.
     */
    public int moveFreepages(Zone zone, int startPfn, int endPfn, int migratetype) {
        int moved = 0;
        for (int pfn = startPfn; pfn <= endPfn; ) {
            if ((mm.flags(pfn) & 0x7) != PS_BUDDY) {
                pfn++;
                continue;
            }
            int order = mm.order(pfn);
            delFromFreeList(zone, pfn, order);
            if (modern) {
                addToFreeListTail(zone, pfn, order, migratetype); // move_to_free_list()
            } else {
                addToFreeList(zone, pfn, order, migratetype);
            }
            pfn += 1 << order;
            moved += 1 << order;
        }
        return moved;
    }

    /**
     * {@code move_freepages_block()}, mm/page_alloc.c: {@link #moveFreepages} over the pageblock
     * containing {@code pfn}, not crossing the zone's start (clipped to {@code pfn}) nor its end
     * (nothing moved).
     */
    public int moveFreepagesBlock(Zone zone, int pfn, int migratetype) {
        int nr = 1 << pageblockOrder;
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
        return moveFreepages(zone, startPage, endPage, migratetype);
    }

    /**
     * {@code set_pageblock_migratetype()}, mm/page_alloc.c: with mobility grouping disabled every
     * pageblock is recorded as MIGRATE_UNMOVABLE, whatever the caller asks.
     */
    public void setPageblockMigratetype(int pfn, int migratetype) {
        mm.setPageblockMigratetype(pfn, mobilityDisabled ? 0 : migratetype);
    }

    /** {@code change_pageblock_range()}, mm/page_alloc.c. */
    public void changePageblockRange(int pfn, int startOrder, int migratetype) {
        int nrPageblocks = 1 << (startOrder - pageblockOrder);
        while (nrPageblocks-- > 0) {
            setPageblockMigratetype(pfn, migratetype);
            pfn += 1 << pageblockOrder;
        }
    }

    /** {@code rmv_page_order()}: the head is no longer PageBuddy; the caller decides its state. */
    void rmvPageOrder(int pfn, int order) {
        mm.setStateOrder(pfn, PS_ALLOCATED, order);
    }

    /** Removes a PageBuddy head from whichever list of its order it is on. */
    void delFromFreeList(Zone zone, int pfn, int order) {
        int mt = listMigratetype(zone, pfn, order);
        int s = slot(order, mt);
        PfnList.del(mm, zone.freeHead, zone.freeTail, s, pfn);
        zone.listLen[s]--;
    }

    void addToFreeList(Zone zone, int pfn, int order, int migratetype) {
        int s = slot(order, migratetype);
        PfnList.add(mm, zone.freeHead, zone.freeTail, s, pfn);
        zone.listLen[s]++;
        mm.setBuddy(pfn, order, migratetype);
    }

    void addToFreeListTail(Zone zone, int pfn, int order, int migratetype) {
        int s = slot(order, migratetype);
        PfnList.addTail(mm, zone.freeHead, zone.freeTail, s, pfn);
        zone.listLen[s]++;
        mm.setBuddy(pfn, order, migratetype);
    }

    /** The migratetype of the free list a PageBuddy head is on (kept in its flags' mt bits). */
    public int listMigratetype(Zone zone, int pfn, int order) {
        return mm.pcpMigratetype(pfn);
    }
}
