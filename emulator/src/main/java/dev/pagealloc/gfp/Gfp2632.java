package dev.pagealloc.gfp;

import dev.pagealloc.mmzone.MigrateType;

/**
 * The 2.6.32 GFP bits as compile-time constants, for the allocator's hot path ({@code include/linux/gfp.h}
 * [2632], {@code __GFP_BITS_SHIFT 22}). Names keep the kernel spelling. Composite masks are written
 * from the kernel's definitions, not as hex; {@link GfpBits#V2_6_32} holds the same table as data
 * (for parsing and printing) and a test checks the two agree.
 *
 * <p>{@code __GFP_NOTRACK} is 0 without CONFIG_KMEMCHECK (the x86 distribution configs), so it is
 * omitted. Bit 0x2000 is unused in 2.6.32.
 */
public final class Gfp2632 {
    private Gfp2632() {}

    // Zone modifiers (low four bits, GFP_ZONEMASK).
    public static final int __GFP_DMA = 0x01;
    public static final int __GFP_HIGHMEM = 0x02;
    public static final int __GFP_DMA32 = 0x04;
    /** Page is movable. */
    public static final int __GFP_MOVABLE = 0x08;
    public static final int GFP_ZONEMASK = __GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE;

    // Action modifiers.
    /** Can wait and reschedule. */
    public static final int __GFP_WAIT = 0x10;
    /** Should access emergency pools (equal to ALLOC_HIGH on purpose). */
    public static final int __GFP_HIGH = 0x20;
    /** Can start physical IO. */
    public static final int __GFP_IO = 0x40;
    /** Can call down to low-level FS. */
    public static final int __GFP_FS = 0x80;
    /** Cache-cold page required. */
    public static final int __GFP_COLD = 0x100;
    /** Suppress page allocation failure warning. */
    public static final int __GFP_NOWARN = 0x200;
    public static final int __GFP_REPEAT = 0x400;
    public static final int __GFP_NOFAIL = 0x800;
    public static final int __GFP_NORETRY = 0x1000;
    /** Add compound page metadata. */
    public static final int __GFP_COMP = 0x4000;
    /** Return zeroed page on success. */
    public static final int __GFP_ZERO = 0x8000;
    /** Don't use emergency reserves. */
    public static final int __GFP_NOMEMALLOC = 0x10000;
    /** Enforce hardwall cpuset memory allocs. */
    public static final int __GFP_HARDWALL = 0x20000;
    /** No fallback, no policies. */
    public static final int __GFP_THISNODE = 0x40000;
    /** Page is reclaimable. */
    public static final int __GFP_RECLAIMABLE = 0x80000;

    public static final int __GFP_BITS_SHIFT = 22;
    public static final int __GFP_BITS_MASK = (1 << __GFP_BITS_SHIFT) - 1;

    // Composites, from their kernel definitions.
    /** GFP_ATOMIC means both !wait (__GFP_WAIT not set) and use emergency pool. */
    public static final int GFP_ATOMIC = __GFP_HIGH;
    /** {@code GFP_ATOMIC & ~__GFP_HIGH}: "This equals 0, but use constants in case they ever change". */
    public static final int GFP_NOWAIT = GFP_ATOMIC & ~__GFP_HIGH;
    public static final int GFP_NOIO = __GFP_WAIT;
    public static final int GFP_NOFS = __GFP_WAIT | __GFP_IO;
    public static final int GFP_KERNEL = __GFP_WAIT | __GFP_IO | __GFP_FS;
    public static final int GFP_TEMPORARY = __GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_RECLAIMABLE;
    public static final int GFP_USER = __GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
    public static final int GFP_HIGHUSER = __GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL | __GFP_HIGHMEM;
    public static final int GFP_HIGHUSER_MOVABLE =
            __GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL | __GFP_HIGHMEM | __GFP_MOVABLE;
    public static final int GFP_DMA = __GFP_DMA;
    public static final int GFP_DMA32 = __GFP_DMA32;
    /** CONFIG_NUMA: "Just the THISNODE bit with fall-back suppressed" (no warning, no retry). */
    public static final int GFP_THISNODE = __GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY;

    /** All the page movable related flags. */
    public static final int GFP_MOVABLE_MASK = __GFP_RECLAIMABLE | __GFP_MOVABLE;
    /** Control page allocator reclaim behavior. */
    public static final int GFP_RECLAIM_MASK = __GFP_WAIT | __GFP_HIGH | __GFP_IO | __GFP_FS
            | __GFP_NOWARN | __GFP_REPEAT | __GFP_NOFAIL | __GFP_NORETRY | __GFP_NOMEMALLOC;
    /** Control allocation constraints. */
    public static final int GFP_CONSTRAINT_MASK = __GFP_HARDWALL | __GFP_THISNODE;

    /**
     * {@code allocflags_to_migratetype()}, include/linux/gfp.h [2632]: convert GFP flags to their
     * migrate type, {@code ((MOVABLE != 0) << 1) | (RECLAIMABLE != 0)} in the 2.6.32 numbering
     * (UNMOVABLE 0, RECLAIMABLE 1, MOVABLE 2); MIGRATE_UNMOVABLE when
     * {@code page_group_by_mobility_disabled}. Both bits set (which the kernel WARNs about) gives 3,
     * MIGRATE_RESERVE, exactly as the kernel computes it.
     *
     * @param gfpFlags the request's gfp mask
     * @param pageGroupByMobilityDisabled the kernel's {@code page_group_by_mobility_disabled}
     * @return the kernel migratetype value (see {@link MigrateType#of(int)})
     */
    public static int allocflagsToMigratetype(int gfpFlags, boolean pageGroupByMobilityDisabled) {
        if (pageGroupByMobilityDisabled) {
            return MigrateType.MIGRATE_UNMOVABLE.ordinal();
        }
        return (((gfpFlags & __GFP_MOVABLE) != 0 ? 1 : 0) << 1) | ((gfpFlags & __GFP_RECLAIMABLE) != 0 ? 1 : 0);
    }
}
