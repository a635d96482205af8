package dev.pagealloc.vmscan;

/**
 * What an allocated page is for, which decides its counters and whether reclaim can take it:
 * anonymous memory and page cache live on the LRU lists; the rest are the kernel's own.
 */
public enum PageUse {
    /** A kernel or driver buffer (DMA rings, …): never reclaimed. */
    KERNEL,
    /** Anonymous process memory: NR_ANON_PAGES, reclaimable only to swap. */
    ANON,
    /** Page cache: NR_FILE_PAGES, reclaimable when clean, after writeback when dirty. */
    FILE,
    /** Slab the shrinkers could free: NR_SLAB_RECLAIMABLE (not reclaimed by this model). */
    SLAB_RECLAIMABLE,
    /** NR_SLAB_UNRECLAIMABLE. */
    SLAB_UNRECLAIMABLE,
    /** NR_PAGETABLE. */
    PAGETABLE,
    /** NR_KERNEL_STACK (two pages per stack on x86_64). */
    KERNEL_STACK
}
