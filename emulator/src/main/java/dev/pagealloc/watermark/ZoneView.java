package dev.pagealloc.watermark;

/**
 * What a watermark check reads of a zone: a live emulated {@code Zone}, or a zone rebuilt from
 * the numbers a failure report printed. Free lists are named by the letter the kernel's report
 * uses for their migratetype (U Unmovable, M Movable, E Reclaimable, H HighAtomic, C CMA,
 * I Isolate, R Reserve), which does not depend on the era's numbering.
 */
public interface ZoneView {
    /** NR_FREE_PAGES. */
    long freePages();

    /** {@code free_area[order].nr_free}. */
    int nrFree(int order);

    /** {@code lowmem_reserve[classzoneIdx]}. */
    long lowmemReserve(int classzoneIdx);

    /** Whether {@code free_area[order].free_list[type]} is non-empty. */
    boolean hasFreeList(int order, char type);

    /** {@code nr_reserved_highatomic} (4.4+); 0 where the era has none. */
    default long reservedHighatomic() {
        return 0;
    }

    /** NR_FREE_CMA_PAGES; 0 without CMA. */
    default long freeCma() {
        return 0;
    }
}
