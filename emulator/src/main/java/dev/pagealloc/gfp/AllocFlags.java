package dev.pagealloc.gfp;

/**
 * The page allocator's internal {@code alloc_flags} of 2.6.32 (defined privately in mm/page_alloc.c
 * [2632]; later kernels moved them to mm/internal.h and added ALLOC_OOM, ALLOC_CMA, ...).
 * The ALLOC_WMARK bits are an index into {@code zone->watermark[]}.
 */
public final class AllocFlags {
    private AllocFlags() {}

    /** WMARK_MIN: use the min watermark. */
    public static final int ALLOC_WMARK_MIN = 0;
    /** WMARK_LOW: use the low watermark (the fast path's first attempt). */
    public static final int ALLOC_WMARK_LOW = 1;
    /** WMARK_HIGH: use the high watermark. */
    public static final int ALLOC_WMARK_HIGH = 2;
    /** Don't check watermarks at all. */
    public static final int ALLOC_NO_WATERMARKS = 0x04;
    /** Mask to get the watermark bits. */
    public static final int ALLOC_WMARK_MASK = ALLOC_NO_WATERMARKS - 1;
    /** Try to alloc harder (min -= min/4 in zone_watermark_ok). */
    public static final int ALLOC_HARDER = 0x10;
    /** __GFP_HIGH set (min -= min/2 in zone_watermark_ok); equal to __GFP_HIGH on purpose. */
    public static final int ALLOC_HIGH = 0x20;
    /** Check for correct cpuset. */
    public static final int ALLOC_CPUSET = 0x40;

    static {
        // BUILD_BUG_ON(__GFP_HIGH != ALLOC_HIGH) in gfp_to_alloc_flags().
        if (Gfp2632.__GFP_HIGH != ALLOC_HIGH) {
            throw new AssertionError("__GFP_HIGH != ALLOC_HIGH");
        }
    }

    /**
     * {@code gfp_to_alloc_flags()}, mm/page_alloc.c [2632]: the slow path's alloc_flags for a
     * request. Start from {@code ALLOC_WMARK_MIN|ALLOC_CPUSET}; copy {@code __GFP_HIGH} straight
     * across as ALLOC_HIGH; without {@code __GFP_WAIT} add ALLOC_HARDER and drop ALLOC_CPUSET
     * (in 2.6.32 even with __GFP_NOMEMALLOC), else a realtime task outside interrupt context gets
     * ALLOC_HARDER; unless {@code __GFP_NOMEMALLOC}, a task outside interrupt context with
     * PF_MEMALLOC or TIF_MEMDIE gets ALLOC_NO_WATERMARKS.
     *
     * @param gfpMask the request's 2.6.32 gfp mask
     * @param rtTask {@code rt_task(current)}
     * @param inInterrupt {@code in_interrupt()} (hard or soft irq, or bh disabled)
     * @param pfMemalloc {@code current->flags & PF_MEMALLOC}
     * @param tifMemdie {@code test_thread_flag(TIF_MEMDIE)} (the task is an OOM victim)
     */
    public static int gfpToAllocFlags(
            int gfpMask, boolean rtTask, boolean inInterrupt, boolean pfMemalloc, boolean tifMemdie) {
        int allocFlags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
        boolean wait = (gfpMask & Gfp2632.__GFP_WAIT) != 0;

        allocFlags |= gfpMask & Gfp2632.__GFP_HIGH;

        if (!wait) {
            allocFlags |= ALLOC_HARDER;
            // Ignore cpuset if GFP_ATOMIC (!wait) rather than fail alloc.
            allocFlags &= ~ALLOC_CPUSET;
        } else if (rtTask && !inInterrupt) {
            allocFlags |= ALLOC_HARDER;
        }

        if ((gfpMask & Gfp2632.__GFP_NOMEMALLOC) == 0) {
            if (!inInterrupt && (pfMemalloc || tifMemdie)) {
                allocFlags |= ALLOC_NO_WATERMARKS;
            }
        }
        return allocFlags;
    }

    /**
     * The {@code ALLOC_*} defines of mm/page_alloc.c [2632] set in {@code allocFlags}, e.g. {@code ALLOC_WMARK_MIN|ALLOC_HARDER|ALLOC_HIGH}, for
     * diagnostics (no kernel counterpart; the kernel never prints alloc_flags).
     */
    public static String describe(int allocFlags) {
        StringBuilder sb = new StringBuilder();
        switch (allocFlags & ALLOC_WMARK_MASK) {
            case ALLOC_WMARK_MIN -> sb.append("ALLOC_WMARK_MIN");
            case ALLOC_WMARK_LOW -> sb.append("ALLOC_WMARK_LOW");
            case ALLOC_WMARK_HIGH -> sb.append("ALLOC_WMARK_HIGH");
            default -> sb.append("ALLOC_WMARK_").append(allocFlags & ALLOC_WMARK_MASK);
        }
        int rest = allocFlags & ~ALLOC_WMARK_MASK;
        rest = append(sb, rest, ALLOC_NO_WATERMARKS, "ALLOC_NO_WATERMARKS");
        rest = append(sb, rest, ALLOC_HARDER, "ALLOC_HARDER");
        rest = append(sb, rest, ALLOC_HIGH, "ALLOC_HIGH");
        rest = append(sb, rest, ALLOC_CPUSET, "ALLOC_CPUSET");
        if (rest != 0) {
            sb.append("|0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    private static int append(StringBuilder sb, int rest, int flag, String name) {
        if ((rest & flag) != 0) {
            sb.append('|').append(name);
            return rest & ~flag;
        }
        return rest;
    }
}
