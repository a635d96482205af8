package dev.pagealloc.gfp;

/**
 * The page allocator's internal {@code alloc_flags}: 2.6.32 (defined privately in mm/page_alloc.c
 * [2632]) and, for every later era, the mm/internal.h values (ALLOC_OOM, ALLOC_CMA,
 * ALLOC_NOFRAGMENT, ALLOC_KSWAPD, and 6.4's ALLOC_NON_BLOCK / ALLOC_MIN_RESERVE / ALLOC_HIGHATOMIC,
 * which reuse the values of ALLOC_HARDER / ALLOC_HIGH / ALLOC_KSWAPD_5_0).
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
    /** 4.14+: an OOM victim may dip into reserves (min -= min/2 in the 4.x check); 0x08 with an MMU. */
    public static final int ALLOC_OOM = 0x08;
    /** 6.4+ (same value as ALLOC_HARDER): the caller cannot block, {@code !__GFP_DIRECT_RECLAIM}. */
    public static final int ALLOC_NON_BLOCK = 0x10;
    /** 6.4+ (same value as ALLOC_HIGH and __GFP_HIGH): may use the min reserve (min -= min/2). */
    public static final int ALLOC_MIN_RESERVE = 0x20;
    /** 3.8+ (CONFIG_CMA): allow allocations from CMA areas. */
    public static final int ALLOC_CMA = 0x80;
    /** 5.0+ (CONFIG_ZONE_DMA32): avoid mixing pageblock types (fast path only). */
    public static final int ALLOC_NOFRAGMENT = 0x100;
    /** 6.4+: allows access to MIGRATE_HIGHATOMIC (non-blocking order &gt; 0 requests). */
    public static final int ALLOC_HIGHATOMIC = 0x200;
    /** 6.4+ (and 6.1.y backports): the flags that give access to reserves below min. */
    public static final int ALLOC_RESERVES = ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM;
    /**
     * 5.7+: allow waking kswapd; equal to the 5.4+ {@code __GFP_KSWAPD_RECLAIM} (0x800) on purpose.
     * 5.0–5.6 defined it as 0x200 (see {@link #ALLOC_KSWAPD_5_0}).
     */
    public static final int ALLOC_KSWAPD = 0x800;
    /** 5.0–5.6 value of ALLOC_KSWAPD (mm/internal.h before "Save two branches on hot page allocation path"). */
    public static final int ALLOC_KSWAPD_5_0 = 0x200;

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
     * {@link #gfpToAllocFlags(GfpBits, int, int, boolean, boolean, boolean, boolean, boolean)} for an
     * order-0 request from an ordinary task (not realtime, not in interrupt, no PF_MEMALLOC, not an OOM
     * victim) without CMA.
     */
    public static int gfpToAllocFlags(GfpBits era, int gfp) {
        return gfpToAllocFlags(era, gfp, 0, false, false, false, false, false);
    }

    /** As {@link #gfpToAllocFlags(GfpBits, int)} for a request of the given order (6.4+: HIGHATOMIC). */
    public static int gfpToAllocFlags(GfpBits era, int gfp, int order) {
        return gfpToAllocFlags(era, gfp, order, false, false, false, false, false);
    }

    /**
     * {@code gfp_to_alloc_flags()} of each era (mm/page_alloc.c [2632],[310],[44],[419],[54],[61],
     * [612]): the slow path's alloc_flags.
     * <ul>
     * <li>2.6.32: {@link #gfpToAllocFlags(int, boolean, boolean, boolean, boolean)}.
     * <li>3.x (to 4.3): MIN|CPUSET, +HIGH from {@code __GFP_HIGH}; when
     * {@code !(__GFP_WAIT|__GFP_NO_KSWAPD)}: +HARDER unless {@code __GFP_NOMEMALLOC}, −CPUSET; else a
     * realtime task outside interrupt +HARDER. Unless NOMEMALLOC: {@code __GFP_MEMALLOC}, or
     * PF_MEMALLOC / OOM victim outside interrupt → NO_WATERMARKS.
     * <li>4.4–6.3: as 3.x with {@code __GFP_ATOMIC} as the atomic rule. 5.0+ also copies
     * {@code __GFP_KSWAPD_RECLAIM} as ALLOC_KSWAPD ({@link #ALLOC_KSWAPD} 0x800 is used for every
     * layout from 5.4; 5.0–5.6 had 0x200 and the 4.15–5.3 layout adds none). Reserves
     * ({@code __gfp_pfmemalloc_flags}, folded in here): {@code __GFP_MEMALLOC} or PF_MEMALLOC →
     * NO_WATERMARKS, an OOM victim → ALLOC_OOM (4.14+; NO_WATERMARKS before), none with
     * {@code __GFP_NOMEMALLOC}.
     * <li>6.4+: MIN|CPUSET, +MIN_RESERVE from {@code __GFP_HIGH}, +KSWAPD; without
     * {@code __GFP_DIRECT_RECLAIM}: +NON_BLOCK (and +HIGHATOMIC if order &gt; 0) unless NOMEMALLOC, and
     * −CPUSET if MIN_RESERVE is set; else a realtime task in task context +MIN_RESERVE. Reserves as 4.x.
     * </ul>
     * Plus ALLOC_CMA (3.8+) when {@code cma} and the migratetype is MOVABLE.
     *
     * @param era the layout the mask is in
     * @param gfp the request's gfp mask
     * @param order the request's order
     * @param rtTask {@code rt_task(current)} (6.4+: {@code rt_or_dl_task})
     * @param inInterrupt {@code in_interrupt()}
     * @param pfMemalloc {@code current->flags & PF_MEMALLOC}
     * @param oomVictim the task is an OOM victim (TIF_MEMDIE / {@code tsk_is_oom_victim})
     * @param cma CONFIG_CMA
     */
    public static int gfpToAllocFlags(GfpBits era, int gfp, int order, boolean rtTask, boolean inInterrupt,
            boolean pfMemalloc, boolean oomVictim, boolean cma) {
        if (era.rules() == GfpBits.Rules.P2632) {
            return gfpToAllocFlags(gfp, rtTask, inInterrupt, pfMemalloc, oomVictim);
        }
        int allocFlags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
        boolean noMemalloc = (gfp & era.bit("__GFP_NOMEMALLOC")) != 0;
        int high = gfp & era.bit("__GFP_HIGH");
        if (era.rules() == GfpBits.Rules.P64) {
            allocFlags |= high != 0 ? ALLOC_MIN_RESERVE : 0;
            allocFlags |= (gfp & era.bit("__GFP_KSWAPD_RECLAIM")) != 0 ? ALLOC_KSWAPD : 0;
            if (!era.canSleep(gfp)) {
                if (!noMemalloc) {
                    allocFlags |= ALLOC_NON_BLOCK;
                    if (order > 0) {
                        allocFlags |= ALLOC_HIGHATOMIC;
                    }
                }
                if ((allocFlags & ALLOC_MIN_RESERVE) != 0) {
                    allocFlags &= ~ALLOC_CPUSET;
                }
            } else if (rtTask && !inInterrupt) {
                allocFlags |= ALLOC_MIN_RESERVE;
            }
        } else {
            allocFlags |= high != 0 ? ALLOC_HIGH : 0;
            if (era.since >= 504 && (gfp & era.bit("__GFP_KSWAPD_RECLAIM")) != 0) {
                allocFlags |= ALLOC_KSWAPD;
            }
            boolean atomic = era.rules() == GfpBits.Rules.P310
                    ? (gfp & (era.bit("__GFP_WAIT") | era.bit("__GFP_NO_KSWAPD"))) == 0
                    : (gfp & era.bit("__GFP_ATOMIC")) != 0;
            if (atomic) {
                if (!noMemalloc) {
                    allocFlags |= ALLOC_HARDER;
                }
                allocFlags &= ~ALLOC_CPUSET;
            } else if (rtTask && !inInterrupt) {
                allocFlags |= ALLOC_HARDER;
            }
        }
        if (!noMemalloc) {
            if ((gfp & era.bit("__GFP_MEMALLOC")) != 0 || (pfMemalloc && !inInterrupt)) {
                allocFlags |= ALLOC_NO_WATERMARKS;
            } else if (oomVictim && !inInterrupt) {
                allocFlags |= era.since >= 414 ? ALLOC_OOM : ALLOC_NO_WATERMARKS;
            }
        }
        if (cma && era.migratetype(gfp) == (era.rules() == GfpBits.Rules.P310 ? 2 : 1)) {
            allocFlags |= ALLOC_CMA;
        }
        return allocFlags;
    }

    /**
     * The {@code ALLOC_*} names of {@code era}'s mm/internal.h set in {@code allocFlags}, e.g.
     * {@code ALLOC_WMARK_MIN|ALLOC_NON_BLOCK|ALLOC_MIN_RESERVE|ALLOC_KSWAPD} on 6.4+, for diagnostics.
     */
    public static String describe(GfpBits era, int allocFlags) {
        if (era.rules() == GfpBits.Rules.P2632) {
            return describe(allocFlags);
        }
        boolean p64 = era.rules() == GfpBits.Rules.P64;
        StringBuilder sb = new StringBuilder();
        sb.append(describe(allocFlags & ALLOC_WMARK_MASK));
        int rest = allocFlags & ~ALLOC_WMARK_MASK;
        rest = append(sb, rest, ALLOC_NO_WATERMARKS, "ALLOC_NO_WATERMARKS");
        rest = append(sb, rest, ALLOC_OOM, "ALLOC_OOM");
        rest = append(sb, rest, ALLOC_HARDER, p64 ? "ALLOC_NON_BLOCK" : "ALLOC_HARDER");
        rest = append(sb, rest, ALLOC_HIGH, p64 ? "ALLOC_MIN_RESERVE" : "ALLOC_HIGH");
        rest = append(sb, rest, ALLOC_CPUSET, "ALLOC_CPUSET");
        rest = append(sb, rest, ALLOC_CMA, "ALLOC_CMA");
        rest = append(sb, rest, ALLOC_NOFRAGMENT, "ALLOC_NOFRAGMENT");
        if (p64) {
            rest = append(sb, rest, ALLOC_HIGHATOMIC, "ALLOC_HIGHATOMIC");
        }
        rest = append(sb, rest, ALLOC_KSWAPD, "ALLOC_KSWAPD");
        if (rest != 0) {
            sb.append("|0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
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
