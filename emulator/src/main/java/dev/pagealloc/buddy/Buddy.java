package dev.pagealloc.buddy;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;
import static dev.pagealloc.mem.MemMapDescriptor.PS_TAIL;
import static dev.pagealloc.mmzone.Zone.MAX_ORDER;
import static dev.pagealloc.mmzone.Zone.slot;

import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.PfnList;
import dev.pagealloc.mmzone.Zone;

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
 *       pageblock's type: stealing (a kernel's {@code __rmqueue_fallback()}) and boot-time reserve setup move
 *       free pages between lists.
 * </ul>
 *
 * <h2>Where blocks go</h2>
 * Allocation takes a list's head. Where a freed, merged or moved block goes, and whether two
 * buddies may merge at all, is the kernel's {@link BuddyPlacement}: 2.6.32 always adds to the
 * head, so the most recently freed block is reused first; 5.x/6.x put a block whose parent is
 * likely to form soon, and every moved block, at the tail. Every upper half {@link #expand} splits
 * off goes to the head in all kernels, so a split keeps handing out the lowest addresses of the
 * block it split.
 *
 * <p>How a kernel takes blocks off these lists when its own type has none (stealing, reserves)
 * is its {@code __rmqueue()}, in the kernel's package.
 */
public final class Buddy {
    private final MemMap mm;
    private final int pageblockOrder;
    private final boolean mobilityDisabled;
    private final BuddyPlacement placement;

    /**
     * @param mobilityDisabled {@code page_group_by_mobility_disabled}
     * @param placement the kernel's list placement and merge rules
     */
    public Buddy(MemMap mm, int pageblockOrder, boolean mobilityDisabled, BuddyPlacement placement) {
        this.mm = mm;
        this.pageblockOrder = pageblockOrder;
        this.mobilityDisabled = mobilityDisabled;
        this.placement = placement;
    }

    public MemMap memMap() {
        return mm;
    }

    /** The kernel's placement and merge rules this buddy allocator follows. */
    public BuddyPlacement placement() {
        return placement;
    }

    public int pageblockOrder() {
        return pageblockOrder;
    }

    public boolean mobilityDisabled() {
        return mobilityDisabled;
    }

    /** {@code page_is_buddy()}, mm/page_alloc.c: free head, same order, same zone. */
    public boolean pageIsBuddy(Zone zone, int buddy, int order) {
        if (buddy < 0 || buddy >= mm.nrPages()) {
            return false;
        }
        return mm.state(buddy) == PS_BUDDY && mm.order(buddy) == order && mm.zoneIdx(buddy) == zone.idx;
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
     * {@code __free_pages_core()} frees boot memory): merges while the buddy is free and the
     * kernel's {@link BuddyPlacement#mayMerge} allows, then adds the block where
     * {@link BuddyPlacement#freeToTail} says.
     */
    public void freeOnePage(Zone zone, int pfn, int order, int migratetype, boolean toTail) {
        while (order < MAX_ORDER - 1) {
            int buddy = pfn ^ (1 << order);
            if (!pageIsBuddy(zone, buddy, order)
                    || !placement.mayMerge(this, migratetype, buddy, order)) {
                break;
            }
            // Our buddy is free, merge with it and move up one order.
            delFromFreeList(zone, buddy, order);
            zone.nrFree[order]--;
            mm.setStateOrder(buddy, PS_TAIL, 0); // rmv_page_order(buddy)
            mm.setStateOrder(pfn, PS_TAIL, 0);
            pfn &= buddy;
            order++;
        }
        if (placement.freeToTail(this, zone, pfn, order, toTail)) {
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
     * {@code move_freepages()}, mm/page_alloc.c: moves every free block whose head lies in
     * {@code [startPfn, endPfn]} to the head of the {@code migratetype} list of its order.
     * Returns the number of pages moved.
     */
    public int moveFreepages(Zone zone, int startPfn, int endPfn, int migratetype) {
        int moved = 0;
        for (int pfn = startPfn; pfn <= endPfn; ) {
            if (mm.state(pfn) != PS_BUDDY) {
                pfn++;
                continue;
            }
            int order = mm.order(pfn);
            delFromFreeList(zone, pfn, order);
            if (placement.moveToTail()) {
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
    public void rmvPageOrder(int pfn, int order) {
        mm.setStateOrder(pfn, PS_ALLOCATED, order);
    }

    /** Removes a PageBuddy head from whichever list of its order it is on. */
    public void delFromFreeList(Zone zone, int pfn, int order) {
        int mt = listMigratetype(zone, pfn, order);
        int s = slot(order, mt);
        PfnList.del(mm, zone.freeHead, zone.freeTail, s, pfn);
        zone.listLen[s]--;
    }

    /** {@code add_to_free_list()}: at the head of free_list[order][migratetype]. */
    public void addToFreeList(Zone zone, int pfn, int order, int migratetype) {
        int s = slot(order, migratetype);
        PfnList.add(mm, zone.freeHead, zone.freeTail, s, pfn);
        zone.listLen[s]++;
        mm.setBuddy(pfn, order, migratetype);
    }

    /** {@code add_to_free_list_tail()}. */
    public void addToFreeListTail(Zone zone, int pfn, int order, int migratetype) {
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
