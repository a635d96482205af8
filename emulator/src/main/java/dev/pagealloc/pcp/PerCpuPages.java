package dev.pagealloc.pcp;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;

import java.util.Arrays;

/**
 * {@code struct per_cpu_pages} (include/linux/mmzone.h): one per (zone, CPU), with intrusive lists
 * of free blocks threaded through the memmap.
 *
 * <h2>Notation</h2>
 * {@code count} is the number of <em>pages</em> over all lists; when a free makes
 * {@code count >= high}, pages go back to the buddy lists ({@code free_pcppages_bulk}); an empty
 * list is refilled from the buddy lists ({@code rmqueue_bulk}).
 * <ul>
 *   <li>2.6.32 … 5.13: MIGRATE_PCPTYPES lists of order-0 pages, indexed by the emulator's internal
 *       migratetype (U E M); {@code high = 6 × batch}.
 *   <li>5.14 … 6.6 (6.1 here): {@code NR_PCP_LISTS} = MIGRATE_PCPTYPES × (PAGE_ALLOC_COSTLY_ORDER
 *       + 1) + 1 = 13 lists; list {@code order_to_pindex(mt, order)} = 3 × order + mt (the kernel's
 *       U 0, M 1, E 2 numbering) for orders 0 … 3, and list 12 for pageblock-order (THP) blocks;
 *       {@code high} from the zone's low watermark split over the CPUs ({@code zone_highsize}),
 *       {@code free_factor} scales how much one flush frees.
 * </ul>
 *
 * <h2>Invariants</h2>
 * {@code count} equals Σ (list length × 2^order of the list); pages on these lists are not counted
 * in NR_FREE_PAGES; each block's {@code page_private} is the migratetype it was freed or refilled
 * as, which is where it returns when drained.
 */
public final class PerCpuPages {
    /** 2.6.32's list count (MIGRATE_PCPTYPES). */
    public static final int NR_LISTS_STATIC = 3;
    /** 6.1's NR_PCP_LISTS: 3 × 4 low orders + 1 THP list. */
    public static final int NR_PCP_LISTS_61 = 13;
    /** 6.1's NR_LOWORDER_PCP_LISTS: the index of the THP list. */
    public static final int NR_LOWORDER_PCP_LISTS = 12;

    /** List heads and tails, indexed by list (see the class comment). */
    public final int[] head;

    public final int[] tail;
    /** Pages over all lists. */
    public int count;
    public int high;
    public int batch;
    /** 5.14+ {@code free_factor}: grows while flushes free little, halves on each allocation. */
    public int freeFactor;
    /** {@code per_cpu_pageset.stat_threshold} (mm/vmstat.c calculate_threshold), for zoneinfo. */
    public int statThreshold;

    /** 2.6.32's shape: three order-0 lists. */
    public PerCpuPages() {
        this(NR_LISTS_STATIC);
    }

    public PerCpuPages(int nrLists) {
        head = new int[nrLists];
        tail = new int[nrLists];
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
    }

    /** {@code setup_pageset()}, mm/page_alloc.c (≤ 5.13): high = 6 × batch, pcp.batch = max(1, batch). */
    public void setupPageset(int batch) {
        this.count = 0;
        this.high = 6 * batch;
        this.batch = Math.max(1, batch);
    }

    /** {@code pageset_update()}, mm/page_alloc.c (5.14+): new high and batch, lists kept. */
    public void pagesetUpdate(int high, int batch) {
        this.high = high;
        this.batch = batch;
    }

    /** Number of lists. */
    public int nrLists() {
        return head.length;
    }

    /** {@code order_to_pindex()} (6.1) for a kernel migratetype value (U 0, M 1, E 2). */
    public static int orderToPindex(int kernelMigratetype, int order) {
        if (order > 3) { // PAGE_ALLOC_COSTLY_ORDER: only pageblock_order gets here
            return NR_LOWORDER_PCP_LISTS;
        }
        return 3 * order + kernelMigratetype;
    }

    /** {@code pindex_to_order()} (6.1). */
    public static int pindexToOrder(int pindex, int pageblockOrder) {
        return pindex == NR_LOWORDER_PCP_LISTS ? pageblockOrder : pindex / 3;
    }
}
