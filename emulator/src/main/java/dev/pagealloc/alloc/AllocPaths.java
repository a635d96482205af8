package dev.pagealloc.alloc;

import dev.pagealloc.mem.MemMap;

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
     * The memmap these paths work on, the node's ({@link AllocContext#memMap()}), through the one
     * field every hot path reads it from. Each reference to the off-heap segment costs the compiled
     * code a type, bounds-base, alignment and liveness check, and C2 merges those only for loads
     * of the same field of the same object; so the front door reads the memmap here, the paths
     * read this field, and they pass it on to the {@link dev.pagealloc.pcp.PcpPolicy} and to
     * {@link AllocContext#prepNewPage} rather than let those hold their own (an order-0
     * alloc/free pair paid ~7 ns for three references, AllocatorBench, December 2026).
     */
    MemMap memMap();

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

    /**
     * {@code __free_pages_bootmem()}, for kernels whose boot frees memory through
     * {@code __free_pages()}: a block boot reserved, its pages already un-reserved and the free
     * already traced. By default {@link #freePages}; a kernel overrides it where the kernel's own
     * function tests the order itself, which also keeps boot's many large frees out of the JIT's
     * profile of {@link #freePages}.
     */
    default void freePagesBootmem(int page, int order, int cpu) {
        freePages(page, order, cpu, false);
    }

    /** {@code drain_pages()}: every block on this CPU's lists back to the buddy lists. */
    void drainPages(int cpu);
}
