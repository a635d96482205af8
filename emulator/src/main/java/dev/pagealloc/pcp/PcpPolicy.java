package dev.pagealloc.pcp;

import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.Zone;

/**
 * One kernel's per-CPU list policy (mm/page_alloc.c): which orders go through the lists, how an
 * empty list is refilled from the buddy lists ({@code rmqueue_bulk()}), where a freed block goes
 * and when a list is flushed back ({@code free_pcppages_bulk()}), and {@code drain_pages()}. The
 * lists themselves are {@link PerCpuPages}; see its class comment for the shapes.
 *
 * <p>Pages on the lists are free but not counted in NR_FREE_PAGES; a policy debits NR_FREE_PAGES
 * for what it takes from the buddy lists and credits it for what it gives back.
 *
 * <p>The methods take the caller's memmap rather than holding one: see {@link PageAllocator}'s class
 * comment for why the hot paths reach it through a single reference.
 */
public interface PcpPolicy {
    /** Lists per pageset: what {@link PerCpuPages} is built with. */
    int nrLists();

    /** {@code pcp_allowed_order()}: whether blocks of {@code order} go through the lists. */
    boolean allowed(int order);

    /**
     * A block of {@code order} for {@code migratetype} (a free-list slot) from {@code cpu}'s lists,
     * refilled from the buddy lists when empty; -1 when even a refill finds nothing. The block is
     * unlinked and no longer counted in the pageset.
     *
     * @param allocFlags the request's alloc_flags (what a refill's {@code __rmqueue()} may do)
     * @param cold {@code __GFP_COLD} in kernels that have it (take from the tail)
     */
    int rmqueue(MemMap mm, Zone zone, int order, int migratetype, int allocFlags, boolean cold, int cpu);

    /**
     * Puts an order-{@code order} block that was allocated onto {@code cpu}'s lists, flushing to
     * the buddy lists when the pageset reaches its high mark; blocks the kernel never keeps on the
     * lists (MIGRATE_ISOLATE) go straight to the buddy lists.
     */
    void free(MemMap mm, Zone zone, int page, int order, boolean cold, int cpu);

    /** {@code drain_pages_zone()}: every block of {@code cpu}'s lists of {@code zone} back. */
    void drain(MemMap mm, Zone zone, int cpu);
}
