package dev.pagealloc.workloads.event;

/**
 * A workload as a stream of events (DESIGN §5): what readers of recorded traces, the compact
 * {@code .pgw} format and the generators all produce, and what the replay engine, the {@code .pgw}
 * writer and counters consume. One call per event, primitive arguments only: this is the hot path
 * of a replay.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li>{@code timeNs}: emulated time in nanoseconds since the start of the stream, never
 *       decreasing.
 *   <li>{@code cpu}: the CPU the event ran on, as recorded (the consumer may remap it).
 *   <li>{@code id}: the identity that matches an allocation to its free: a recorded pfn in a
 *       trace (a free matches the live allocation of that pfn), a counter in a generator.
 *   <li>symbols ({@code gfpSym}, {@code commSym}, {@code siteSym}, {@code nameSym}): small
 *       non-negative ints, each defined once by {@link #symbol} before its first use and local to
 *       the stream. {@link #NO_SYMBOL} means "not recorded". A gfp symbol's text is a mask as the
 *       kernel's {@code show_gfp_flags()} prints it ({@code GFP_ATOMIC|__GFP_COMP}), optionally
 *       prefixed by the era it is written in ({@code "6.1:"}, see {@link GfpSpelling}).
 * </ul>
 */
public interface EventSink {
    /** "Not recorded" for a symbol argument. */
    int NO_SYMBOL = -1;

    /** Marker kinds for {@link #marker}. */
    int MARKER_SNAPSHOT = 0;
    int MARKER_PHASE = 1;

    /** Defines symbol {@code sym} as {@code text}; a later definition of the same number replaces it. */
    void symbol(int sym, String text);

    /**
     * An allocation ({@code __alloc_pages_nodemask()} / {@code mm_page_alloc}) of 2^order pages.
     *
     * @param pid the owner (0: the kernel)
     * @param siteSym the call site, or {@link #NO_SYMBOL}
     * @return true when the pages were allocated (a writer or counter returns true); generators use
     *     it the way a driver uses a NULL return
     */
    boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym);

    /** A free ({@code __free_pages()} / {@code mm_page_free}) of the live allocation {@code id}. */
    void free(long timeNs, int cpu, long id, int order);

    /** A process starts (fork/exec): an owner of anonymous memory and a candidate for the OOM killer. */
    void processStart(long timeNs, int pid, int commSym, int oomAdj);

    /** A process exits: its anonymous memory is freed ({@code exit_mmap()}). */
    void processExit(long timeNs, int pid);

    /** Process {@code pid} faults in {@code pages} new anonymous pages (GFP_HIGHUSER_MOVABLE, order 0). */
    void anonFault(long timeNs, int cpu, int pid, long pages);

    /** {@code pages} page cache pages are read in (clean) or written ({@code dirty}). */
    void fileRead(long timeNs, int cpu, long pages, boolean dirty);

    /**
     * {@code pages} pages of a block device's own page cache are read in (clean) or written
     * ({@code dirty}): I/O through {@code /dev/sdX} itself ({@code dd if=/dev/sdb}, an image
     * backup) or filesystem metadata read through the buffer cache. The block device inode's
     * mapping allocates with {@code GFP_USER} ({@code bdget()}, fs/block_dev.c to 5.9;
     * {@code bdev_alloc()}, block/bdev.c from 5.11): no {@code __GFP_HIGHMEM} and no
     * {@code __GFP_MOVABLE}, so on a 32-bit kernel these pages can only come from lowmem.
     */
    void bdevRead(long timeNs, int cpu, long pages, boolean dirty);

    /**
     * {@code pages} reads hit page cache pages already cached, picked at random
     * ({@code mark_page_accessed()}: a page read twice is activated, so reclaim no longer frees
     * the cache in the order it was filled). Sinks that record only allocator events ignore it.
     */
    default void fileAccess(long timeNs, int cpu, long pages) {}

    /** Up to {@code pages} clean page cache pages are dropped (truncate, {@code drop_caches}). */
    void fileDrop(long timeNs, long pages);

    /** A marker: {@link #MARKER_SNAPSHOT} (take /proc snapshots here) or {@link #MARKER_PHASE} (a phase starts). */
    void marker(long timeNs, int kind, int nameSym);
}
