package dev.pagealloc.trace;

/**
 * Receives the kmem tracepoint events (include/trace/events/kmem.h) at the points where the
 * kernel emits them. Arguments are the tracepoints' fields; a sink that prints them uses the
 * kernel's TP_printk. The default methods discard everything, so a sink overrides what it needs.
 */
public interface TraceSink {
    /** A sink that records nothing. */
    TraceSink NONE = new TraceSink() {};

    /** {@code trace_mm_page_alloc(page, order, gfp_flags, migratetype)}; pfn -1 on failure. */
    default void mmPageAlloc(long pfn, int order, int gfpFlags, int migratetype) {}

    /** {@code trace_mm_page_free_direct(page, order)} (2.6.32 name). */
    default void mmPageFreeDirect(long pfn, int order) {}

    /** {@code trace_mm_pagevec_free(page, cold)}. */
    default void mmPagevecFree(long pfn, boolean cold) {}

    /** {@code trace_mm_page_alloc_zone_locked(page, order, migratetype)}; pfn -1 when NULL. */
    default void mmPageAllocZoneLocked(long pfn, int order, int migratetype) {}

    /** {@code trace_mm_page_pcpu_drain(page, order, migratetype)}. */
    default void mmPagePcpuDrain(long pfn, int order, int migratetype) {}

    /** {@code trace_mm_page_alloc_extfrag(page, alloc_order, fallback_order, alloc_mt, fallback_mt)}. */
    default void mmPageAllocExtfrag(
            long pfn,
            int allocOrder,
            int fallbackOrder,
            int pageblockOrder,
            int allocMigratetype,
            int fallbackMigratetype) {}
}
