package dev.pagealloc.mem;

import java.lang.invoke.VarHandle;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The layout of one emulated {@code struct page} in {@link MemMap}, described once (Agrona's
 * {@code RecordDescriptor} style). The kernel spends 56 (2.6.32 x86_64) or 64 bytes per page; we
 * spend 16 and keep only what the allocator reads.
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   |   lru.next (pfn)  |   lru.prev (pfn)  |       flags       |      private      |
 *   +-------------------+-------------------+-------------------+-------------------+
 *
 *   flags:  bits 0-2  state      PS_NOMAP, PS_RESERVED, PS_BUDDY, PS_PCP, PS_ALLOCATED, PS_TAIL
 *           bits 3-6  order      page_private order of a PageBuddy head or an allocated head
 *           bits 7-9  migratetype  page_private migratetype of a page on a per-CPU list
 *           bits 10-12 zone      zone index (page_zonenum)
 *           bits 13-15 pageblock migratetype, kept on the first page of each pageblock
 *                                (the kernel's pageblock_flags bitmap, folded into the memmap)
 * </pre>
 *
 * <p>{@code lru.next}/{@code lru.prev} hold pfns ({@link #NIL} for none) of the neighbours on
 * whichever list the page is on: a buddy free list ({@code free_area[order].free_list[mt]}) or a
 * per-CPU list ({@code pcp->lists[mt]}), exactly as the kernel threads {@code page->lru}.
 * {@code private} is the integrity stamp of an allocated block (or 0).
 */
public final class MemMapDescriptor {
    private MemMapDescriptor() {}

    /** No page: a list end. */
    public static final int NIL = -1;

    public static final StructLayout PAGE =
            MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT.withName("next"),
                    ValueLayout.JAVA_INT.withName("prev"),
                    ValueLayout.JAVA_INT.withName("flags"),
                    ValueLayout.JAVA_INT.withName("private"));

    public static final long SIZE = PAGE.byteSize();
    public static final long NEXT_OFFSET = 0;
    public static final long PREV_OFFSET = 4;
    public static final long FLAGS_OFFSET = 8;
    public static final long PRIVATE_OFFSET = 12;

    /** Not backed by a valid struct page ({@code !pfn_valid}). */
    /**
     * Bits 16-18 of an allocated page's flags: the LRU list it is on plus one, 0 when it is not on
     * an LRU list ({@code PageLRU}). Written by the reclaim model; read by stealing and compaction
     * to tell movable pages from the rest.
     */
    public static final int PAGE_LRU_MASK = 0x7 << 16;

    public static final int PS_NOMAP = 0;
    /** PageReserved: a hole inside a valid section, firmware, kernel image, boot allocations. */
    public static final int PS_RESERVED = 1;
    /** PageBuddy: head of a free block on a buddy free list. */
    public static final int PS_BUDDY = 2;
    /** On a per-CPU list (order 0, page count 0, not PageBuddy). */
    public static final int PS_PCP = 3;
    /** Head of an allocated block. */
    public static final int PS_ALLOCATED = 4;
    /**
     * A page inside a free or allocated block other than its head: a buddy absorbed by a merge
     * ({@code rmv_page_order()} clears its PG_buddy), or a page released at boot with its block.
     */
    public static final int PS_TAIL = 5;

    public static final int STATE_MASK = 0x7;
    public static final int ORDER_SHIFT = 3;
    public static final int ORDER_MASK = 0xf << ORDER_SHIFT;
    public static final int MT_SHIFT = 7;
    public static final int MT_MASK = 0x7 << MT_SHIFT;
    public static final int ZONE_SHIFT = 10;
    public static final int ZONE_MASK = 0x7 << ZONE_SHIFT;
    public static final int PB_SHIFT = 13;
    public static final int PB_MASK = 0x7 << PB_SHIFT;
    /** Bits a page keeps whatever its state: its zone, and its pageblock's type if it heads one. */
    public static final int KEEP_MASK = ZONE_MASK | PB_MASK;

    static final VarHandle INT = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
}
