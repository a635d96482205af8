package dev.pagealloc.pcp;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;

import dev.pagealloc.mmzone.MigrateType;
import java.util.Arrays;

/**
 * {@code struct per_cpu_pages} (include/linux/mmzone.h, 2.6.32): one per (zone, CPU), with
 * MIGRATE_PCPTYPES intrusive lists of order-0 pages threaded through the memmap.
 *
 * <p>Notation: {@code count} is the number of pages over all lists; when a free makes
 * {@code count >= high}, {@code batch} pages go back to the buddy lists
 * ({@code free_pcppages_bulk}); an empty list is refilled with {@code batch} pages
 * ({@code rmqueue_bulk}). Invariants: {@code count} equals the sum of the list lengths; pages on
 * these lists are not counted in NR_FREE_PAGES; each page's {@code page_private} is the migratetype
 * it was freed or refilled as, which is where it returns when drained.
 */
public final class PerCpuPages {
    /** List heads and tails, indexed by migratetype (< MIGRATE_PCPTYPES). */
    public final int[] head = new int[MigrateType.MIGRATE_PCPTYPES];

    public final int[] tail = new int[MigrateType.MIGRATE_PCPTYPES];
    public int count;
    public int high;
    public int batch;
    /** {@code per_cpu_pageset.stat_threshold} (mm/vmstat.c calculate_threshold), for zoneinfo. */
    public int statThreshold;

    public PerCpuPages() {
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
    }

    /** {@code setup_pageset()}, mm/page_alloc.c: high = 6 × batch, pcp.batch = max(1, batch). */
    public void setupPageset(int batch) {
        this.count = 0;
        this.high = 6 * batch;
        this.batch = Math.max(1, batch);
    }
}
