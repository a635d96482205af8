package dev.pagealloc.alloc;

/**
 * What the slow path asks of memory reclaim (mm/vmscan.c, mm/oom_kill.c): the seam between the
 * allocator and whatever models the pages' users. Without one, a request that would enter direct
 * reclaim fails with an {@link AllocFailure} saying so.
 */
public interface Reclaimer {
    /** {@code wakeup_kswapd()}: a zone fell below its low watermark for {@code order}. */
    void wakeupKswapd(int zoneIdx, int order, int highZoneIdx);

    /**
     * {@code try_to_free_pages()}: direct reclaim for a request of {@code order} with
     * {@code gfpMask} (which says whether it may do I/O or filesystem writeback) over the zones up to
     * {@code highZoneIdx}. Returns the number of pages reclaimed ({@code did_some_progress}).
     */
    long tryToFreePages(int gfpMask, int order, int highZoneIdx);

    /**
     * {@code out_of_memory()}: choose a victim by the kernel's badness, kill it and free its
     * pages. Returns false when there is nothing left to kill.
     */
    boolean outOfMemory(int gfpMask, int order);

    /** {@code zone_reclaimable_pages()}, mm/vmscan.c: LRU pages reclaim could free in zone {@code zoneIdx}. */
    default long zoneReclaimablePages(int zoneIdx) {
        return 0;
    }
}
