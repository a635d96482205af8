package dev.pagealloc.mem;

import static dev.pagealloc.mem.MemMapDescriptor.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The off-heap {@code mem_map[]}: one {@link MemMapDescriptor#PAGE} record per pfn in a single
 * {@link MemorySegment}, allocated once in a long-lived arena ({@code mm/mm_init.c},
 * {@code include/linux/mm_types.h}). Every page of the emulated machine costs 16 bytes here, so a
 * 64 GiB machine costs 256 MiB. The pageblock flags ({@code pageblock_flags}: each pageblock's
 * migratetype) live in the flags word of the pageblock's first page, so that is all there is.
 *
 * <p>Accessors are the kernel's helpers ({@code PageBuddy}, {@code page_order},
 * {@code set_page_private}) over pfns; all are plain reads and writes with no allocation.
 */
public final class MemMap {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final MemorySegment seg;
    private final long nrPages;
    private final int pageblockOrder;

    /** Allocates the array for pfns {@code [0, nrPages)}, zero-filled (every page PS_NOMAP). */
    public MemMap(Arena arena, long nrPages, int pageblockOrder) {
        if (nrPages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most 2^31 pages (8 TiB) can be emulated");
        }
        this.nrPages = nrPages;
        this.pageblockOrder = pageblockOrder;
        this.seg = arena.allocate(nrPages * SIZE, 64);
    }

    public long nrPages() {
        return nrPages;
    }

    public int pageblockOrder() {
        return pageblockOrder;
    }

    /** Bytes of metadata per emulated page (the pageblock flags live inside it), for the 16-byte budget. */
    public double bytesPerPage() {
        return (double) seg.byteSize() / nrPages;
    }

    public int next(int pfn) {
        return seg.get(INT, (long) pfn * SIZE + NEXT_OFFSET);
    }

    public void setNext(int pfn, int v) {
        seg.set(INT, (long) pfn * SIZE + NEXT_OFFSET, v);
    }

    public int prev(int pfn) {
        return seg.get(INT, (long) pfn * SIZE + PREV_OFFSET);
    }

    public void setPrev(int pfn, int v) {
        seg.set(INT, (long) pfn * SIZE + PREV_OFFSET, v);
    }

    public int flags(int pfn) {
        return seg.get(INT, (long) pfn * SIZE + FLAGS_OFFSET);
    }

    public void setFlags(int pfn, int v) {
        seg.set(INT, (long) pfn * SIZE + FLAGS_OFFSET, v);
    }

    private int privateWord(int pfn) {
        return seg.get(INT, (long) pfn * SIZE + PRIVATE_OFFSET);
    }

    private void setPrivateWord(int pfn, int v) {
        seg.set(INT, (long) pfn * SIZE + PRIVATE_OFFSET, v);
    }

    /** The integrity stamp of an allocated block's head ({@code private}, see {@link MemMapDescriptor}). */
    public int integrityStamp(int pfn) {
        return privateWord(pfn);
    }

    public void setIntegrityStamp(int pfn, int stamp) {
        setPrivateWord(pfn, stamp);
    }

    /** The owner's pid of an anonymous LRU page ({@code private}, see {@link MemMapDescriptor}); 0 for none. */
    public int ownerPid(int pfn) {
        return privateWord(pfn);
    }

    public void setOwnerPid(int pfn, int pid) {
        setPrivateWord(pfn, pid);
    }

    public int state(int pfn) {
        return flags(pfn) & STATE_MASK;
    }

    /** {@code page_order()}: the order of a PageBuddy or allocated head. */
    public int order(int pfn) {
        return (flags(pfn) & ORDER_MASK) >>> ORDER_SHIFT;
    }

    /** {@code page_zonenum()}. */
    public int zoneIdx(int pfn) {
        return (flags(pfn) & ZONE_MASK) >>> ZONE_SHIFT;
    }

    /** {@code page_private()} as the migratetype of a per-CPU page. */
    public int pcpMigratetype(int pfn) {
        return (flags(pfn) & MT_MASK) >>> MT_SHIFT;
    }

    /** Sets state and order, keeping the zone bits. */
    public void setStateOrder(int pfn, int state, int order) {
        int f = flags(pfn) & KEEP_MASK;
        setFlags(pfn, f | state | (order << ORDER_SHIFT));
    }

    /**
     * Marks a PageBuddy head of {@code order} on the free list of {@code listMigratetype}
     * ({@code set_page_order()} + {@code __SetPageBuddy()}); the list's type is kept in the
     * migratetype bits so a head can be unlinked from the right list.
     */
    public void setBuddy(int pfn, int order, int listMigratetype) {
        int f = flags(pfn) & KEEP_MASK;
        setFlags(pfn, f | PS_BUDDY | (order << ORDER_SHIFT) | (listMigratetype << MT_SHIFT));
    }

    /**
     * A block head of {@code order} on a per-CPU list with page_private {@code migratetype}
     * ({@code set_pcppage_migratetype()}), keeping the zone bits.
     */
    public void setStatePcp(int pfn, int migratetype, int order) {
        int f = flags(pfn) & KEEP_MASK;
        setFlags(pfn, f | PS_PCP | (order << ORDER_SHIFT) | (migratetype << MT_SHIFT));
    }

    /**
     * The LRU list of an allocated page ({@code page_lru()}), or -1 when it is on none
     * ({@code !PageLRU}).
     */
    public int lru(int pfn) {
        return lruOf(flags(pfn));
    }

    /** {@code PageLRU()}: an allocated page on an LRU list (what compaction can migrate). */
    public boolean onLru(int pfn) {
        int f = flags(pfn);
        return (f & LRU_MASK) != 0 && (f & STATE_MASK) == PS_ALLOCATED;
    }

    /** Puts an allocated page on LRU list {@code lru} (-1: off every list), keeping its other bits. */
    public void setLru(int pfn, int lru) {
        setFlags(pfn, (flags(pfn) & ~LRU_MASK) | ((lru + 1) << LRU_SHIFT));
    }

    /** Whether any of the page-flag bits {@code pg} (PG_referenced, PG_dirty, …) are set. */
    public boolean testPageFlags(int pfn, int pg) {
        return (flags(pfn) & pg) != 0;
    }

    /** Sets the page-flag bits {@code pg}. */
    public void setPageFlags(int pfn, int pg) {
        setFlags(pfn, flags(pfn) | pg);
    }

    /** Clears the page-flag bits {@code pg}. */
    public void clearPageFlags(int pfn, int pg) {
        setFlags(pfn, flags(pfn) & ~pg);
    }

    /** Boot-time init of one page: {@code set_page_links()} + SetPageReserved. */
    public void initPage(int pfn, int zoneIdx, int state) {
        setFlags(pfn, (flags(pfn) & PB_MASK) | (zoneIdx << ZONE_SHIFT) | state);
        setNext(pfn, NIL);
        setPrev(pfn, NIL);
        setPrivateWord(pfn, 0);
    }

    /** {@code get_pageblock_migratetype()}, mm/page_alloc.c. */
    public int pageblockMigratetype(long pfn) {
        int head = (int) (pfn & -(1L << pageblockOrder));
        return (flags(head) & PB_MASK) >>> PB_SHIFT;
    }

    /** {@code set_pageblock_migratetype()}, mm/page_alloc.c. */
    public void setPageblockMigratetype(long pfn, int migratetype) {
        int head = (int) (pfn & -(1L << pageblockOrder));
        setFlags(head, (flags(head) & ~PB_MASK) | (migratetype << PB_SHIFT));
    }
}
