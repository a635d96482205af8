package dev.pagealloc.pcp;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;

import java.util.Arrays;

/**
 * {@code struct per_cpu_pages} (include/linux/mmzone.h): one per (zone, CPU), with intrusive lists
 * of free blocks threaded through the memmap. How many lists there are, which orders they hold and
 * how they fill and flush is the kernel's {@link PcpPolicy}.
 *
 * <h2>Notation</h2>
 * {@code count} is the number of <em>pages</em> over all lists; when a free makes
 * {@code count >= high}, pages go back to the buddy lists ({@code free_pcppages_bulk}); an empty
 * list is refilled from the buddy lists ({@code rmqueue_bulk}) {@code batch} at a time.
 * <ul>
 *   <li>2.6.32 … 5.13: MIGRATE_PCPTYPES lists of order-0 pages, indexed by the free-list slot
 *       (U E M); {@code high = 6 × batch}.
 *   <li>5.14 … 6.6 (6.1 here): MIGRATE_PCPTYPES × (PAGE_ALLOC_COSTLY_ORDER + 1) + 1 = 13 lists,
 *       orders 0-3 and the pageblock order; {@code high} from the zone's low watermark split over
 *       the CPUs, {@code free_factor} scales how much one flush frees.
 * </ul>
 *
 * <h2>Invariants</h2>
 * {@code count} equals Σ over the lists' blocks of 2^order (each block's head is PS_PCP with its
 * order in the memmap); pages on these lists are not counted in NR_FREE_PAGES; each block's
 * {@code page_private} is the migratetype it was freed or refilled as, which is where it returns
 * when drained.
 */
public final class PerCpuPages {
    /** List heads and tails, indexed by list (see the kernel's {@link PcpPolicy}). */
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

    /** A pageset of {@code nrLists} empty lists. */
    public PerCpuPages(int nrLists) {
        head = new int[nrLists];
        tail = new int[nrLists];
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
    }

    /** {@code pageset_update()}, mm/page_alloc.c: new high and batch, lists kept. */
    public void pagesetUpdate(int high, int batch) {
        this.high = high;
        this.batch = batch;
    }

    /** Number of lists. */
    public int nrLists() {
        return head.length;
    }
}
