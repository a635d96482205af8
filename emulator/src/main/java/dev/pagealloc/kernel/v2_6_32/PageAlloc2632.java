package dev.pagealloc.kernel.v2_6_32;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_CPUSET;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NO_WATERMARKS;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_HIGH;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_LOW;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_MASK;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.alloc.Reclaimer;
import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.gfp.AllocFlags;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.vmstat.ZoneStatItem;
import dev.pagealloc.watermark.WatermarkCheck;

/**
 * The 2.6.32 allocation and free paths of mm/page_alloc.c [2632]: {@code __alloc_pages_nodemask()}
 * with {@code get_page_from_freelist()} at WMARK_LOW, then {@code __alloc_pages_slowpath()} (wake
 * kswapd, WMARK_MIN with {@code gfp_to_alloc_flags()}, direct reclaim, the OOM killer,
 * {@code should_alloc_retry()}); {@code buffered_rmqueue()} through the per-CPU lists for order 0;
 * {@code __free_pages()}.
 *
 * <p>The lowmem_reserve column of every watermark check is the preferred zone's
 * ({@code classzone_idx = zone_idx(preferred_zone)}), as until 5.7.
 */
public final class PageAlloc2632 extends PageAllocator {
    /** Bounds the emulated slow path where the kernel would loop (it waits in congestion_wait). */
    static final int MAX_SLOWPATH_LOOPS = 4096;

    private final PcpPolicy pcp;
    private final Rmqueue2632 rmq;
    private final Zone[] zones;
    private final int[] zonelist;
    private final WatermarkCheck wmark;
    private final GfpBits gfp;
    private final boolean numa;
    // bits the paths test, resolved once from the layout
    private final int gfpHardwall;
    private final int gfpCold;
    private final int gfpThisnode;
    private final int gfpFs;
    private final int gfpNoretry;
    private final int gfpNofail;
    private final int gfpRepeat;

    /**
     * @param numa CONFIG_NUMA: a GFP_THISNODE request fails rather than fall back to another node
     */
    public PageAlloc2632(AllocContext ctx, PcpPolicy pcp, Rmqueue2632 rmq, boolean numa) {
        super(ctx);
        this.pcp = pcp;
        this.rmq = rmq;
        this.zones = ctx.zones();
        this.zonelist = ctx.zonelist();
        this.wmark = ctx.watermarkCheck();
        this.gfp = ctx.gfp();
        this.numa = numa;
        this.gfpHardwall = gfp.bit("__GFP_HARDWALL");
        this.gfpCold = gfp.bit("__GFP_COLD");
        // GFP_THISNODE with CONFIG_NUMA: THISNODE | NOWARN | NORETRY
        this.gfpThisnode = gfp.bit("__GFP_THISNODE") | gfp.bit("__GFP_NOWARN") | gfp.bit("__GFP_NORETRY");
        this.gfpFs = gfp.bit("__GFP_FS");
        this.gfpNoretry = gfp.bit("__GFP_NORETRY");
        this.gfpNofail = gfp.bit("__GFP_NOFAIL");
        this.gfpRepeat = gfp.bit("__GFP_REPEAT");
    }

    // ------------------------------------------------------------------ allocation

    /**
     * {@code __alloc_pages_nodemask()}, mm/page_alloc.c:1939 [2632]: the fast path at WMARK_LOW over
     * the zonelist, then {@code __alloc_pages_slowpath()}.
     */
    @Override
    protected long allocPagesNodemask(int gfpMask, int order, int cpu, int highZoneIdx, int migratetype,
            int preferred) {
        long page = -1;
        if (preferred >= 0 && order < Zone.MAX_ORDER) {
            page = getPageFromFreelist(gfpMask | gfpHardwall, order, highZoneIdx, ALLOC_WMARK_LOW | ALLOC_CPUSET,
                    preferred, migratetype, cpu);
        }
        if (page < 0) {
            page = allocPagesSlowpath(gfpMask, order, highZoneIdx, preferred, migratetype, cpu);
        }
        return page;
    }

    /**
     * {@code __alloc_pages_slowpath()}, mm/page_alloc.c:1800 [2632]: wake kswapd, retry at
     * WMARK_MIN with {@code gfp_to_alloc_flags()}; atomic requests stop there; the rest reclaim,
     * call the OOM killer when reclaim made no progress, and retry while
     * {@code should_alloc_retry()} says so.
     */
    private long allocPagesSlowpath(int gfpMask, int order, int highZoneIdx, int preferred, int migratetype, int cpu) {
        if (order >= Zone.MAX_ORDER) {
            // WARN_ON_ONCE(!(gfp_mask & __GFP_NOWARN)); no failure report
            return fail(gfpMask, order, highZoneIdx, preferred, migratetype, -1,
                    "order >= MAX_ORDER: the request can never be satisfied");
        }
        if (preferred < 0) {
            return fail(gfpMask, order, highZoneIdx, preferred, migratetype, -1,
                    "no populated zone at or below the request's gfp_zone()");
        }
        if (numa && (gfpMask & gfpThisnode) == gfpThisnode) {
            return fail(gfpMask, order, highZoneIdx, preferred, migratetype, -1,
                    "GFP_THISNODE: no fallback to other nodes");
        }
        int allocFlags = AllocFlags.gfpToAllocFlags(gfp, gfpMask, order);
        boolean wait = gfp.canSleep(gfpMask);
        Reclaimer reclaimer = ctx.reclaimer();
        long reclaimedSoFar = 0;
        for (int loops = 0; ; loops++) {
            // restart:
            wakeAllKswapd(order, highZoneIdx);
            long page = getPageFromFreelist(gfpMask, order, highZoneIdx, allocFlags & ~ALLOC_NO_WATERMARKS,
                    preferred, migratetype, cpu);
            if (page >= 0) {
                return page;
            }
            // rebalance: (ALLOC_NO_WATERMARKS needs PF_MEMALLOC or TIF_MEMDIE, which no emulated task has)
            if (!wait) {
                return fail(gfpMask, order, highZoneIdx, preferred, migratetype, allocFlags,
                        "!__GFP_WAIT: atomic allocations can't balance anything");
            }
            if (reclaimer == null) {
                return fail(gfpMask, order, highZoneIdx, preferred, migratetype, allocFlags,
                        "direct reclaim would run next (no reclaim model attached)");
            }
            if (loops >= MAX_SLOWPATH_LOOPS) {
                return fail(gfpMask, order, highZoneIdx, preferred, migratetype, allocFlags,
                        "still failing after " + loops + " reclaim rounds (the kernel would keep looping)");
            }
            // __alloc_pages_direct_reclaim(): try_to_free_pages(), then drain_all_pages() and retry
            long progress = reclaimer.tryToFreePages(gfpMask, order, highZoneIdx);
            reclaimedSoFar += progress;
            if (progress > 0) {
                page = getPageFromFreelist(gfpMask, order, highZoneIdx, allocFlags & ~ALLOC_NO_WATERMARKS,
                        preferred, migratetype, cpu);
                if (page < 0) {
                    drainAllPages();
                    page = getPageFromFreelist(gfpMask, order, highZoneIdx, allocFlags & ~ALLOC_NO_WATERMARKS,
                            preferred, migratetype, cpu);
                }
                if (page >= 0) {
                    return page;
                }
            } else if ((gfpMask & gfpFs) != 0 && (gfpMask & gfpNoretry) == 0) {
                // __alloc_pages_may_oom(): a last try at WMARK_HIGH catches a parallel OOM kill
                page = getPageFromFreelist(gfpMask | gfpHardwall, order, highZoneIdx,
                        ALLOC_WMARK_HIGH | ALLOC_CPUSET, preferred, migratetype, cpu);
                if (page >= 0) {
                    return page;
                }
                boolean nofail = (gfpMask & gfpNofail) != 0;
                if (order > Zone.PAGE_ALLOC_COSTLY_ORDER && !nofail) {
                    return fail(gfpMask, order, highZoneIdx, preferred, migratetype, allocFlags,
                            "no reclaim progress; order " + order + " > PAGE_ALLOC_COSTLY_ORDER: no OOM kill");
                }
                if (!reclaimer.outOfMemory(gfpMask, order)) {
                    return fail(gfpMask, order, highZoneIdx, preferred, migratetype, allocFlags,
                            "out of memory and no killable process (the kernel would panic)");
                }
                continue; // goto restart
            }
            // should_alloc_retry()
            if (!shouldAllocRetry(gfpMask, order, reclaimedSoFar)) {
                return fail(gfpMask, order, highZoneIdx, preferred, migratetype, allocFlags,
                        progress > 0 ? "reclaim made progress but the retry failed; order " + order
                                        + " is not retried (should_alloc_retry)"
                                : "no reclaim progress and no OOM kill for this mask");
            }
        }
    }

    /** {@code should_alloc_retry()}, mm/page_alloc.c:1602 [2632]. */
    private boolean shouldAllocRetry(int gfpMask, int order, long pagesReclaimed) {
        if ((gfpMask & gfpNoretry) != 0) {
            return false;
        }
        if (order <= Zone.PAGE_ALLOC_COSTLY_ORDER) {
            return true;
        }
        if ((gfpMask & gfpRepeat) != 0 && pagesReclaimed < (1L << order)) {
            return true;
        }
        return (gfpMask & gfpNofail) != 0;
    }

    /** The failure record, with the preferred zone as the lowmem_reserve column. */
    private long fail(int gfpMask, int order, int highZoneIdx, int preferred, int mt, int slowFlags, String why) {
        return ctx.fail(gfpMask, order, highZoneIdx, preferred, preferred, mt, slowFlags, why);
    }

    /**
     * {@code wake_all_kswapd()} → {@code wakeup_kswapd()}, mm/page_alloc.c:1751 and mm/vmscan.c
     * [2632]: a zone wakes the node's kswapd unless it passes WMARK_LOW for this order with
     * classzone 0.
     */
    private void wakeAllKswapd(int order, int highZoneIdx) {
        for (int zi : zonelist) {
            if (zi > highZoneIdx) {
                continue;
            }
            Zone z = zones[zi];
            if (wmark.zoneWatermarkOk(z, order, z.lowWmark(), 0, 0, null)) {
                continue;
            }
            ctx.wakeupKswapd(zi, order, highZoneIdx);
        }
    }

    /**
     * {@code get_page_from_freelist()}, mm/page_alloc.c:1517 [2632]: the first zone in the
     * zonelist that passes the watermark check for {@code alloc_flags} and has a page.
     */
    private long getPageFromFreelist(int gfpMask, int order, int highZoneIdx, int allocFlags, int preferred,
            int migratetype, int cpu) {
        int classzoneIdx = preferred;
        for (int zi : zonelist) {
            if (zi > highZoneIdx) {
                continue;
            }
            Zone zone = zones[zi];
            if ((allocFlags & ALLOC_NO_WATERMARKS) == 0) {
                long mark = zone.wmark(allocFlags & ALLOC_WMARK_MASK);
                if (!wmark.zoneWatermarkOk(zone, order, mark, classzoneIdx, allocFlags, null)) {
                    continue; // zone_reclaim_mode == 0: this_zone_full
                }
            }
            long page = bufferedRmqueue(zone, order, gfpMask, migratetype, cpu);
            if (page >= 0) {
                return page;
            }
        }
        return -1;
    }

    /**
     * {@code buffered_rmqueue()}, mm/page_alloc.c:1181 [2632]: order 0 from the CPU's list for the
     * migratetype ({@link Pcp2632}), higher orders straight from the buddy lists.
     */
    private long bufferedRmqueue(Zone zone, int order, int gfpFlags, int migratetype, int cpu) {
        int page;
        if (pcp.allowed(order)) {
            page = pcp.rmqueue(mm, zone, order, migratetype, 0, (gfpFlags & gfpCold) != 0, cpu);
            if (page < 0) {
                return -1;
            }
        } else {
            page = rmq.rmqueue(zone, order, migratetype);
            if (page < 0) {
                return -1;
            }
            zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= 1L << order;
        }
        ctx.countAlloc(zone, order);
        ctx.prepNewPage(mm, page, order, gfpFlags);
        return page;
    }

    // ------------------------------------------------------------------ freeing

    /**
     * {@code __free_pages()}, mm/page_alloc.c [2632]: order 0 to the CPU's list
     * ({@code free_hot_page()}, which traces {@code mm_page_free_direct} a second time), higher
     * orders to the buddy lists ({@code __free_pages_ok()}).
     */
    @Override
    protected void freeCheckedPages(MemMap mm, int page, int order, int cpu, boolean cold) {
        if (pcp.allowed(order)) {
            ctx.trace().mmPageFreeDirect(page, 0); // free_hot_page() traces it a second time
            pcp.free(mm, zones[mm.zoneIdx(page)], page, order, cold, cpu);
        } else {
            freePagesOk(mm, page, order);
        }
    }

    /**
     * {@code __free_pages_bootmem()}, mm/page_alloc.c:617 [2632]: it tests the order itself, then
     * {@code __free_page()} or {@code __free_pages()} takes the branch of {@link #freeCheckedPages} for
     * that order. Its own test keeps boot's thousands of order-6 frees out of the JIT's branch
     * profile of {@link #freeCheckedPages}, which the workload's order-0 frees then own.
     */
    @Override
    protected void freeBootmemBlock(MemMap mm, int page, int order, int cpu) {
        if (pcp.allowed(order)) {
            ctx.trace().mmPageFreeDirect(page, 0);
            pcp.free(mm, zones[mm.zoneIdx(page)], page, order, false, cpu);
        } else {
            freePagesOk(mm, page, order);
        }
    }

    /** {@code __free_pages_ok()}, mm/page_alloc.c:583 [2632]: counts PGFREE, then {@link #freeOnePage}. */
    private void freePagesOk(MemMap mm, int page, int order) {
        ctx.countFree(1L << order);
        freeOnePage(ctx.buddy(), zones[mm.zoneIdx(page)], page, order, mm.pageblockMigratetype(page));
    }

    /**
     * {@code free_one_page()}, mm/page_alloc.c:571 [2632]: clears the zone's all_unreclaimable and
     * pages_scanned, credits NR_FREE_PAGES, then merges.
     */
    static void freeOnePage(Buddy buddy, Zone zone, int page, int order, int migratetype) {
        zone.allUnreclaimable = false;
        zone.pagesScanned = 0;
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] += 1L << order;
        buddy.freeOnePage(zone, page, order, migratetype);
    }

    @Override
    protected void freeOnePage(Zone zone, int page, int order, int migratetype) {
        freeOnePage(ctx.buddy(), zone, page, order, migratetype);
    }

    /** {@code drain_pages()}, mm/page_alloc.c:1007 [2632]: every page on this CPU's lists back to the buddy. */
    @Override
    public void drainPages(int cpu) {
        for (int zi : zonelist) {
            pcp.drain(mm, zones[zi], cpu);
        }
    }
}
