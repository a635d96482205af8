package dev.pagealloc.mem;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The layout of one emulated {@code struct page} in {@link MemMap}, described once (Agrona's
 * {@code RecordDescriptor} style): the record, every bit of its flags word, and the two uses of
 * its {@code private} word. The kernel spends 56 (2.6.32 x86_64) or 64 bytes per page; we spend 16
 * and keep only what the allocator and the reclaim model read.
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   |   lru.next (pfn)  |   lru.prev (pfn)  |       flags       |      private      |
 *   +-------------------+-------------------+-------------------+-------------------+
 *
 *   flags (bit 0 first; each field's shift is the sum of the widths below it):
 *     0-2   state      3 bits  PS_NOMAP, PS_RESERVED, PS_BUDDY, PS_PCP, PS_ALLOCATED, PS_TAIL
 *     3-6   order      4 bits  page_order of a PageBuddy head, a per-CPU block or an allocated head
 *     7-9   mt         3 bits  the free-list slot of the list a PageBuddy head is on, or
 *                              page_private's migratetype of a per-CPU block
 *    10-12  zone       3 bits  page_zonenum()
 *    13-15  pageblock  3 bits  the pageblock's migratetype, kept on the pageblock's first page
 *                              (the kernel's pageblock_flags bitmap, folded into the memmap)
 *    16-18  lru        3 bits  the LRU list an allocated page is on, plus one; 0: not PageLRU
 *    19     PG_referenced, 20 PG_dirty, 21 PG_writeback, 22 PG_swapbacked   (the reclaim model's)
 *    23-31  unused, always 0
 *
 *   private:
 *     an allocated block's head in integrity mode: the stamp prep_new_page() wrote into its frames
 *     an anonymous LRU page (PG_swapbacked): the pid of the task that owns it (page->mapping's role)
 *     otherwise 0
 * </pre>
 *
 * <h2>Invariants</h2>
 * A state change keeps only the zone and pageblock bits ({@link #KEEP_MASK}): the order, mt, lru
 * and PG_ bits belong to the state they were set in. {@code lru.next}/{@code lru.prev} hold pfns
 * ({@link #NIL} for none) of the neighbours on whichever list the page is on: a buddy free list
 * ({@code free_area[order].free_list[mt]}), a per-CPU list or an LRU list, exactly as the kernel
 * threads {@code page->lru}; list surgery goes through {@code PfnList}. The reclaim model owns an
 * anonymous page's {@code private} word, so integrity mode does not check pages it allocates.
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
    public static final long NEXT_OFFSET = PAGE.byteOffset(MemoryLayout.PathElement.groupElement("next"));
    public static final long PREV_OFFSET = PAGE.byteOffset(MemoryLayout.PathElement.groupElement("prev"));
    public static final long FLAGS_OFFSET = PAGE.byteOffset(MemoryLayout.PathElement.groupElement("flags"));
    public static final long PRIVATE_OFFSET = PAGE.byteOffset(MemoryLayout.PathElement.groupElement("private"));

    // ---- the states (the state field)

    /** Not backed by a valid struct page ({@code !pfn_valid}). */
    public static final int PS_NOMAP = 0;
    /** PageReserved: a hole inside a valid section, firmware, kernel image, boot allocations. */
    public static final int PS_RESERVED = 1;
    /** PageBuddy: head of a free block on a buddy free list. */
    public static final int PS_BUDDY = 2;
    /** Head of a free block on a per-CPU list (its order and page_private migratetype kept). */
    public static final int PS_PCP = 3;
    /** Head of an allocated block. */
    public static final int PS_ALLOCATED = 4;
    /**
     * A page inside a free or allocated block other than its head: a buddy absorbed by a merge
     * ({@code rmv_page_order()} clears its PG_buddy), or a page released at boot with its block.
     */
    public static final int PS_TAIL = 5;

    // ---- field widths, from bit 0 up

    static final int STATE_BITS = 3;
    static final int ORDER_BITS = 4;
    static final int MT_BITS = 3;
    static final int ZONE_BITS = 3;
    static final int PB_BITS = 3;
    static final int LRU_BITS = 3;

    public static final int STATE_SHIFT = 0;
    public static final int ORDER_SHIFT = STATE_SHIFT + STATE_BITS;
    public static final int MT_SHIFT = ORDER_SHIFT + ORDER_BITS;
    public static final int ZONE_SHIFT = MT_SHIFT + MT_BITS;
    public static final int PB_SHIFT = ZONE_SHIFT + ZONE_BITS;
    public static final int LRU_SHIFT = PB_SHIFT + PB_BITS;
    private static final int PG_SHIFT = LRU_SHIFT + LRU_BITS;

    public static final int STATE_MASK = mask(STATE_BITS, STATE_SHIFT);
    public static final int ORDER_MASK = mask(ORDER_BITS, ORDER_SHIFT);
    public static final int MT_MASK = mask(MT_BITS, MT_SHIFT);
    public static final int ZONE_MASK = mask(ZONE_BITS, ZONE_SHIFT);
    public static final int PB_MASK = mask(PB_BITS, PB_SHIFT);
    /** The LRU list of an allocated page, plus one (0: not on an LRU list, {@code !PageLRU}). */
    public static final int LRU_MASK = mask(LRU_BITS, LRU_SHIFT);

    /** PG_referenced: a second access, found by reclaim at the tail of an inactive list. */
    public static final int PG_REFERENCED = 1 << PG_SHIFT;
    /** PG_dirty: a page cache page not yet written back. */
    public static final int PG_DIRTY = 1 << (PG_SHIFT + 1);
    /** PG_writeback: under writeback until the reclaim model's next tick. */
    public static final int PG_WRITEBACK = 1 << (PG_SHIFT + 2);
    /** PG_swapbacked: anonymous memory; {@code private} holds the owner's pid. */
    public static final int PG_SWAPBACKED = 1 << (PG_SHIFT + 3);
    /** The bits above PG_swapbacked: unused. */
    static final int UNUSED_MASK = -1 << (PG_SHIFT + 4);

    /** Bits a page keeps whatever its state: its zone, and its pageblock's type if it heads one. */
    public static final int KEEP_MASK = ZONE_MASK | PB_MASK;

    static {
        if ((UNUSED_MASK & (STATE_MASK | ORDER_MASK | MT_MASK | ZONE_MASK | PB_MASK | LRU_MASK | PG_SWAPBACKED)) != 0
                || PG_SWAPBACKED != 1 << 22) {
            throw new AssertionError("the flags fields overlap or moved");
        }
    }

    /** The LRU list that a page's {@code flags} word records ({@code page_lru()}), or -1 when on none. */
    public static int lruOf(int flags) {
        return ((flags & LRU_MASK) >>> LRU_SHIFT) - 1;
    }

    private static int mask(int bits, int shift) {
        return ((1 << bits) - 1) << shift;
    }
}
