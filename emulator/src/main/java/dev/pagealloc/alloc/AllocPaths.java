package dev.pagealloc.alloc;

/**
 * The part of mm/page_alloc.c that each kernel writes its own way: {@code __alloc_pages()} with
 * its fast path and slow path, {@code __free_pages()}, and {@code drain_pages()}. A kernel package
 * implements it over an {@link AllocContext}; {@link PageAllocator} is the front door that decodes
 * the request, checks frees the way {@code free_pages_check()} does and calls in here.
 *
 * <p>Implementations keep the hot paths free of allocation and boxing.
 */
public interface AllocPaths {
    /**
     * {@code __alloc_pages()}: the first page of an order-{@code order} block for {@code gfpMask},
     * or -1 after recording the failure with {@link AllocContext#fail}.
     *
     * @param highZoneIdx {@code gfp_zone(gfp_mask)}
     * @param migratetype the request's free-list slot ({@code gfp_migratetype()} mapped to a slot)
     * @param preferred the first zonelist entry at or below {@code highZoneIdx}, or -1 when none
     */
    long allocPages(int gfpMask, int order, int cpu, int highZoneIdx, int migratetype, int preferred);

    /**
     * {@code __free_pages()} of an allocated block the front door has already checked and traced;
     * {@code cold} is {@code free_cold_page()} in kernels that have hot/cold lists.
     */
    void freePages(int page, int order, int cpu, boolean cold);

    /** {@code drain_pages()}: every block on this CPU's lists back to the buddy lists. */
    void drainPages(int cpu);
}
