package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_CPUSET;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_HIGHATOMIC;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_KSWAPD;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_MIN_RESERVE;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NOFRAGMENT;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NON_BLOCK;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NO_WATERMARKS;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_RESERVES;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_HIGH;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_LOW;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_MASK;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_MIN;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_ISOLATE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.alloc.Compactor;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.alloc.Reclaimer;
import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.mmzone.ZoneType;
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.vmstat.ZoneStatItem;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.ZoneWithFree;

/**
 * The 6.1 allocation and free paths of mm/page_alloc.c [61]: {@code __alloc_pages()},
 * {@code get_page_from_freelist()} with {@code zone_watermark_fast()} and ALLOC_NOFRAGMENT,
 * {@code rmqueue()} through the per-CPU lists ({@link Pcp61}) or {@code rmqueue_buddy()}
 * ({@link Rmqueue61}), {@code free_the_page()}, and the slow path with direct compaction, direct
 * reclaim, the retry rules and the OOM decision. Every watermark check's lowmem_reserve column is
 * {@code highest_zoneidx} (5.8+).
 *
 * <h2>Simplified</h2>
 * kswapd is asked through {@link Reclaimer#wakeupKswapd}; a zone's watermark boost is dropped when
 * kswapd is woken for it (6.1's kswapd reclaims up to the boost and then clears it; with nothing
 * reclaimable it clears it at once).
 */
public final class PageAlloc61 extends PageAllocator {
    /** {@code MAX_RECLAIM_RETRIES}, mm/internal.h. */
    static final int MAX_RECLAIM_RETRIES = 16;
    /** Bounds the emulated slow path where the kernel keeps looping after OOM kills. */
    static final int MAX_SLOWPATH_ROUNDS = 64;

    private final PcpPolicy pcp;
    private final Buddy buddy;
    private final Rmqueue61 rmq;
    private final WatermarkCheck wmark;
    private final Zone[] zones;
    private final int[] zonelist;
    private final int gfpHigh;
    private final int gfpAtomic;
    private final int gfpNomemalloc;
    private final int gfpKswapdReclaim;
    private final int gfpDirectReclaim;
    private final int gfpNoretry;
    private final int gfpRetryMayfail;
    private final int gfpFs;
    private final int gfpIo;
    private final int gfpThisnode;
    private final int normalIdx;
    /**
     * The zone whose requests get ALLOC_NOFRAGMENT: Normal where the build has CONFIG_ZONE_DMA32
     * (x86_64), none on i386, whose kernels have no ZONE_DMA32 (-1).
     */
    private final int nofragmentIdx;

    public PageAlloc61(AllocContext ctx, PcpPolicy pcp, Rmqueue61 rmq) {
        super(ctx);
        this.pcp = pcp;
        this.rmq = rmq;
        this.buddy = ctx.buddy();
        this.wmark = ctx.watermarkCheck();
        this.zones = ctx.zones();
        this.zonelist = ctx.zonelist();
        GfpBits g = ctx.gfp();
        this.gfpHigh = g.bit("__GFP_HIGH");
        this.gfpAtomic = g.bit("__GFP_ATOMIC");
        this.gfpNomemalloc = g.bit("__GFP_NOMEMALLOC");
        this.gfpKswapdReclaim = g.bit("__GFP_KSWAPD_RECLAIM");
        this.gfpDirectReclaim = g.bit("__GFP_DIRECT_RECLAIM");
        this.gfpNoretry = g.bit("__GFP_NORETRY");
        this.gfpRetryMayfail = g.bit("__GFP_RETRY_MAYFAIL");
        this.gfpFs = g.bit("__GFP_FS");
        this.gfpIo = g.bit("__GFP_IO");
        this.gfpThisnode = g.bit("__GFP_THISNODE");
        int n = -1;
        boolean zoneDma32 = false;
        for (Zone z : zones) {
            if (z.type == ZoneType.NORMAL) {
                n = z.idx;
            }
            zoneDma32 |= z.type == ZoneType.DMA32;
        }
        this.normalIdx = n;
        this.nofragmentIdx = zoneDma32 ? n : -1;
    }

    // ------------------------------------------------------------------ allocation

    /**
     * {@code __alloc_pages()}, mm/page_alloc.c (6.1): the fast path at WMARK_LOW (with ALLOC_KSWAPD
     * from the mask and ALLOC_NOFRAGMENT when the preferred zone is Normal), then the slow path.
     */
    @Override
    protected long allocPagesNodemask(int gfpMask, int order, int cpu, int highestZoneidx, int migratetype,
            int preferred) {
        long page = -1;
        if (order >= Zone.MAX_ORDER) {
            return fail(gfpMask, order, highestZoneidx, preferred, migratetype, -1,
                    "order >= MAX_ORDER: the request can never be satisfied");
        }
        if (preferred >= 0) {
            int allocFlags = ALLOC_WMARK_LOW | allocFlagsNofragment(preferred, gfpMask);
            page = getPageFromFreelist(gfpMask, order, allocFlags, highestZoneidx, migratetype, cpu);
        }
        if (page < 0) {
            page = slowpath(gfpMask, order, highestZoneidx, preferred, migratetype, cpu);
        }
        return page;
    }

    /**
     * {@code alloc_flags_nofragment()}, mm/page_alloc.c:4194 [61.192] (one node): ALLOC_KSWAPD from
     * the mask, and ALLOC_NOFRAGMENT for a request whose preferred zone is Normal, which the
     * kernel's {@code #ifdef CONFIG_ZONE_DMA32} (:4204) confines to builds with a DMA32 zone.
     */
    private int allocFlagsNofragment(int preferred, int gfpMask) {
        int allocFlags = (gfpMask & gfpKswapdReclaim) != 0 ? ALLOC_KSWAPD : 0;
        if (preferred < 0 || preferred != nofragmentIdx) {
            return allocFlags;
        }
        return allocFlags | ALLOC_NOFRAGMENT;
    }

    /**
     * {@code gfp_to_alloc_flags()}, mm/page_alloc.c:4891 [61.192], as 6.1.y has it since the 6.4
     * reserve rules were backported: MIN|CPUSET; __GFP_HIGH is ALLOC_MIN_RESERVE and
     * __GFP_KSWAPD_RECLAIM ALLOC_KSWAPD (:4905); without __GFP_DIRECT_RECLAIM the request cannot block
     * (ALLOC_NON_BLOCK unless __GFP_NOMEMALLOC, plus ALLOC_HIGHATOMIC for order &gt; 0 with
     * MIN_RESERVE, :4918-4921) and a MIN_RESERVE one ignores cpusets (:4929). No emulated task is
     * realtime (:4932) and no CMA area exists ({@code gfp_to_alloc_flags_cma()} adds nothing the
     * model reads).
     */
    int gfpToAllocFlags(int gfpMask, int order) {
        int allocFlags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
        if ((gfpMask & gfpHigh) != 0) {
            allocFlags |= ALLOC_MIN_RESERVE;
        }
        if ((gfpMask & gfpKswapdReclaim) != 0) {
            allocFlags |= ALLOC_KSWAPD;
        }
        if ((gfpMask & gfpDirectReclaim) == 0) {
            if ((gfpMask & gfpNomemalloc) == 0) {
                allocFlags |= ALLOC_NON_BLOCK;
                if (order > 0 && (allocFlags & ALLOC_MIN_RESERVE) != 0) {
                    allocFlags |= ALLOC_HIGHATOMIC;
                }
            }
            if ((allocFlags & ALLOC_MIN_RESERVE) != 0) {
                allocFlags &= ~ALLOC_CPUSET;
            }
        }
        return allocFlags;
    }

    /**
     * {@code get_page_from_freelist()}, mm/page_alloc.c (6.1): the first zone of the zonelist (up
     * to {@code highest_zoneidx}) that passes {@code zone_watermark_fast()} and has a block; a
     * high-order ALLOC_HARDER success reserves its pageblock as HighAtomic; with ALLOC_NOFRAGMENT a
     * fruitless walk is repeated without it.
     */
    long getPageFromFreelist(int gfpMask, int order, int allocFlags, int highestZoneidx, int migratetype,
            int cpu) {
        while (true) {
            boolean noFallback = (allocFlags & ALLOC_NOFRAGMENT) != 0;
            for (int zi : zonelist) {
                if (zi > highestZoneidx) {
                    continue;
                }
                Zone zone = zones[zi];
                if ((allocFlags & ALLOC_NO_WATERMARKS) == 0) {
                    long mark = zone.wmark(allocFlags & ALLOC_WMARK_MASK);
                    if (!zoneWatermarkFast(zone, order, mark, highestZoneidx, allocFlags, gfpMask)) {
                        continue; // node_reclaim_mode is 0
                    }
                }
                long page = rmqueue(zone, order, gfpMask, allocFlags, migratetype, cpu);
                if (page >= 0) {
                    ctx.prepNewPage(mm, (int) page, order, gfpMask);
                    if ((allocFlags & ALLOC_HIGHATOMIC) != 0) { // :4364 [61.192]
                        rmq.reserveHighatomicPageblock((int) page, zone);
                    }
                    return page;
                }
            }
            if (!noFallback) {
                return -1;
            }
            allocFlags &= ~ALLOC_NOFRAGMENT;
        }
    }

    /**
     * {@code zone_watermark_fast()}, mm/page_alloc.c (6.1): a cheap order-0 test, then
     * {@code __zone_watermark_ok()}; an order-0 __GFP_ATOMIC request at WMARK_MIN ignores the boost
     * (:4148 [61.192]).
     */
    boolean zoneWatermarkFast(Zone z, int order, long mark, int highestZoneidx, int allocFlags, int gfpMask) {
        long free = z.freePages();
        if (order == 0) {
            // __zone_watermark_unusable_free(z, 0, alloc_flags)
            long reserved = (allocFlags & ALLOC_RESERVES) == 0 ? z.nrReservedHighatomic : 0;
            long usable = free - Math.min(free, reserved);
            if (usable > mark + z.lowmemReserve[highestZoneidx]) {
                return true;
            }
        }
        if (wmark.zoneWatermarkOk(z, order, mark, highestZoneidx, allocFlags, null)) {
            return true;
        }
        if (order == 0 && (gfpMask & gfpAtomic) != 0 && z.watermarkBoost != 0
                && (allocFlags & ALLOC_WMARK_MASK) == ALLOC_WMARK_MIN) {
            return wmark.zoneWatermarkOk(z, 0, z.watermark[ALLOC_WMARK_MIN], highestZoneidx, allocFlags, null);
        }
        return false;
    }

    /**
     * {@code rmqueue()}, mm/page_alloc.c (6.1): the per-CPU list for pcp orders, else
     * {@code rmqueue_buddy()}; a zone whose watermark was boosted by a steal wakes kswapd.
     */
    private long rmqueue(Zone zone, int order, int gfpMask, int allocFlags, int migratetype, int cpu) {
        long page = -1;
        if (pcp.allowed(order)) {
            page = pcp.rmqueue(mm, zone, order, migratetype, allocFlags, false, cpu);
        }
        if (page < 0) {
            int pfn = rmq.rmqueueBuddy(zone, order, migratetype, allocFlags);
            if (pfn >= 0) {
                zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= 1L << order;
                page = pfn;
            }
        }
        if (zone.boostedWatermarkFlag) {
            zone.boostedWatermarkFlag = false;
            wakeupKswapdForBoost(zone);
        }
        if (page >= 0) {
            ctx.countAlloc(zone, order);
        }
        return page;
    }

    // ------------------------------------------------------------------ slow path

    /**
     * {@code __alloc_pages_slowpath()}, mm/page_alloc.c (6.1): wake kswapd, retry at WMARK_MIN with
     * {@code gfp_to_alloc_flags()}; costly or unmovable high-order requests that may sleep try
     * direct compaction first; then the loop of direct reclaim, direct compaction,
     * {@code should_reclaim_retry()}, {@code should_compact_retry()} and the OOM killer.
     */
    private long slowpath(int gfpMask, int order, int highestZoneidx, int preferred, int migratetype, int cpu) {
        if (preferred < 0) {
            return fail(gfpMask, order, highestZoneidx, preferred, migratetype, -1,
                    "no populated zone at or below the request's gfp_zone()");
        }
        if ((gfpMask & (gfpAtomic | gfpDirectReclaim)) == (gfpAtomic | gfpDirectReclaim)) {
            gfpMask &= ~gfpAtomic; // :5118 [61.192]: atomic reserves are for atomic context (WARN_ON_ONCE)
        }
        boolean canDirectReclaim = (gfpMask & gfpDirectReclaim) != 0;
        // gfp_compaction_allowed(), include/linux/gfp.h:348 [61.192]: compaction needs __GFP_IO
        boolean canCompact = (gfpMask & gfpIo) != 0;
        boolean costlyOrder = order > Zone.PAGE_ALLOC_COSTLY_ORDER;
        int allocFlags = gfpToAllocFlags(gfpMask, order);
        Compactor compactor = ctx.compactor();
        Reclaimer reclaimer = ctx.reclaimer();
        // restart: (:5122 [61.192]) the loop's compaction starts at DEF_COMPACT_PRIORITY (sync light);
        // only the first attempt, before reclaim, is async (INIT_COMPACT_PRIORITY, :5187)
        int compactPriority = Compactor.DEF_COMPACT_PRIORITY;
        int compactResult = Compactor.COMPACT_SKIPPED;
        int compactionRetries = 0;
        int noProgressLoops = 0;

        if ((allocFlags & ALLOC_KSWAPD) != 0) {
            wakeAllKswapds(order, gfpMask, highestZoneidx);
        }
        long page = getPageFromFreelist(gfpMask, order, allocFlags, highestZoneidx, migratetype, cpu);
        if (page >= 0) {
            return page;
        }
        if (canDirectReclaim && canCompact && (costlyOrder || (order > 0 && migratetype != MIGRATE_MOVABLE.ordinal()))
                && compactor != null) {
            compactResult = compactor.tryToCompactPages(gfpMask, order, highestZoneidx, allocFlags, Compactor.INIT_COMPACT_PRIORITY);
            page = afterCompaction(gfpMask, order, allocFlags, highestZoneidx, migratetype, cpu, compactResult);
            if (page >= 0) {
                return page;
            }
            if (costlyOrder && (gfpMask & gfpNoretry) != 0) {
                if (compactResult == Compactor.COMPACT_SKIPPED || compactResult == Compactor.COMPACT_DEFERRED) {
                    return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                            "costly __GFP_NORETRY request: compaction skipped or deferred");
                }
                if ((gfpMask & gfpThisnode) != 0) { // :5197 [61.192]: no reclaim pressure on one node
                    return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                            "costly __GFP_NORETRY|__GFP_THISNODE request: compaction failed");
                }
                compactPriority = Compactor.INIT_COMPACT_PRIORITY;
            }
        }
        for (int round = 0; ; round++) {
            // retry:
            if ((allocFlags & ALLOC_KSWAPD) != 0) {
                wakeAllKswapds(order, gfpMask, highestZoneidx);
            }
            page = getPageFromFreelist(gfpMask, order, allocFlags, highestZoneidx, migratetype, cpu);
            if (page >= 0) {
                return page;
            }
            if (!canDirectReclaim) {
                return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                        "cannot sleep (no __GFP_DIRECT_RECLAIM): no reclaim, no compaction");
            }
            if (round >= MAX_SLOWPATH_ROUNDS) {
                return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                        "still failing after " + round + " rounds (the kernel would keep looping)");
            }
            // __alloc_pages_direct_reclaim()
            long progress = 0;
            if (reclaimer != null) {
                progress = reclaimer.tryToFreePages(gfpMask, order, highestZoneidx);
                if (progress > 0) {
                    page = getPageFromFreelist(gfpMask, order, allocFlags, highestZoneidx, migratetype, cpu);
                    if (page < 0) {
                        rmq.unreserveHighatomicPageblock(zonelistZones(highestZoneidx), migratetype, false);
                        drainAllPages();
                        page = getPageFromFreelist(gfpMask, order, allocFlags, highestZoneidx, migratetype, cpu);
                    }
                    if (page >= 0) {
                        return page;
                    }
                }
            }
            // __alloc_pages_direct_compact()
            if (compactor != null && order > 0) {
                compactResult = compactor.tryToCompactPages(gfpMask, order, highestZoneidx, allocFlags, compactPriority);
                page = afterCompaction(gfpMask, order, allocFlags, highestZoneidx, migratetype, cpu, compactResult);
                if (page >= 0) {
                    return page;
                }
            }
            if ((gfpMask & gfpNoretry) != 0) {
                return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                        "__GFP_NORETRY: no retry after reclaim and compaction");
            }
            if (costlyOrder && (!canCompact || (gfpMask & gfpRetryMayfail) == 0)) { // :5303 [61.192]
                return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                        "order " + order + " > PAGE_ALLOC_COSTLY_ORDER without __GFP_RETRY_MAYFAIL"
                                + " and compaction (__GFP_IO): no retry");
            }
            // should_reclaim_retry()
            if (progress > 0 && !costlyOrder) {
                noProgressLoops = 0;
            } else {
                noProgressLoops++;
            }
            // :5010-5059 [61.192]: past MAX_RECLAIM_RETRIES, or with no zone worth it, a HighAtomic
            // pageblock is given up (force) and the answer is whether one was
            boolean retry = noProgressLoops <= MAX_RECLAIM_RETRIES
                    && reclaimRetryWorthIt(order, allocFlags, highestZoneidx);
            if (retry || rmq.unreserveHighatomicPageblock(zonelistZones(highestZoneidx), migratetype, true)) {
                continue;
            }
            // should_compact_retry()
            if (progress > 0 && canCompact && compactor != null && order > 0) {
                int[] state = {compactPriority, compactionRetries};
                if (shouldCompactRetry(order, compactResult, state)) {
                    compactPriority = state[0];
                    compactionRetries = state[1];
                    continue;
                }
            }
            // __alloc_pages_may_oom()
            page = getPageFromFreelist(gfpMask, order, ALLOC_WMARK_HIGH | ALLOC_CPUSET, highestZoneidx, migratetype, cpu);
            if (page >= 0) {
                return page;
            }
            if (costlyOrder) {
                return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                        "reclaim and compaction failed; order " + order + " > PAGE_ALLOC_COSTLY_ORDER: no OOM kill");
            }
            if ((gfpMask & gfpRetryMayfail) != 0) {
                return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                        "reclaim failed; __GFP_RETRY_MAYFAIL: no OOM kill");
            }
            if (normalIdx >= 0 && highestZoneidx < normalIdx) {
                return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                        "reclaim failed; the OOM killer does not kill for lowmem-only requests");
            }
            if ((gfpMask & gfpFs) == 0) {
                noProgressLoops = 0; // out_of_memory() claims progress for !__GFP_FS
                continue;
            }
            if (reclaimer == null || !reclaimer.outOfMemory(gfpMask, order)) {
                return fail(gfpMask, order, highestZoneidx, preferred, migratetype, allocFlags,
                        reclaimer == null ? "direct reclaim and OOM would run next (no reclaim model attached)"
                                : "out of memory and no killable process (the kernel would panic)");
            }
            noProgressLoops = 0;
        }
    }

    private long afterCompaction(int gfpMask, int order, int allocFlags, int highestZoneidx, int migratetype,
            int cpu, int result) {
        if (result == Compactor.COMPACT_SKIPPED) {
            return -1;
        }
        return getPageFromFreelist(gfpMask, order, allocFlags, highestZoneidx, migratetype, cpu);
    }

    /**
     * {@code should_reclaim_retry()}'s zone test, mm/page_alloc.c (6.1): would the allocation pass
     * WMARK_MIN in some zone if every reclaimable page were freed?
     */
    private boolean reclaimRetryWorthIt(int order, int allocFlags, int highestZoneidx) {
        Reclaimer reclaimer = ctx.reclaimer();
        for (int zi : zonelist) {
            if (zi > highestZoneidx) {
                continue;
            }
            Zone z = zones[zi];
            long reclaimable = reclaimer == null ? 0 : reclaimer.zoneReclaimablePages(zi);
            long available = reclaimable + z.freePages();
            if (wmark.zoneWatermarkOk(new ZoneWithFree(z, available), order, z.minWmark(), highestZoneidx, allocFlags, null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code should_compact_retry()}, mm/page_alloc.c (6.1). {@code state} holds the compaction
     * priority and the retry count, updated in place.
     */
    private boolean shouldCompactRetry(int order, int result, int[] state) {
        int maxRetries = Compactor.MAX_COMPACT_RETRIES;
        if (result == Compactor.COMPACT_SUCCESS) {
            state[1]++;
        }
        boolean checkPriority;
        if (result == Compactor.COMPACT_COMPLETE) {
            checkPriority = true;
        } else if (result == Compactor.COMPACT_SKIPPED) {
            return true; // compaction_zonelist_suitable(): assume reclaim can help
        } else if (result == Compactor.COMPACT_DEFERRED || result == Compactor.COMPACT_CONTENDED
                || result == Compactor.COMPACT_PARTIAL_SKIPPED) {
            checkPriority = true;
        } else {
            if (order > Zone.PAGE_ALLOC_COSTLY_ORDER) {
                maxRetries /= 4;
            }
            if (state[1] <= maxRetries) {
                return true;
            }
            checkPriority = true;
        }
        int minPriority = order > Zone.PAGE_ALLOC_COSTLY_ORDER
                ? Compactor.MIN_COMPACT_COSTLY_PRIORITY : Compactor.MIN_COMPACT_PRIORITY;
        if (checkPriority && state[0] > minPriority) {
            state[0]--;
            state[1] = 0;
            return true;
        }
        return false;
    }

    private Zone[] zonelistZones(int highestZoneidx) {
        int n = 0;
        for (int zi : zonelist) {
            if (zi <= highestZoneidx) {
                n++;
            }
        }
        Zone[] out = new Zone[n];
        n = 0;
        for (int zi : zonelist) {
            if (zi <= highestZoneidx) {
                out[n++] = zones[zi];
            }
        }
        return out;
    }

    /** The failure record, with {@code highest_zoneidx} as the lowmem_reserve column. */
    private long fail(int gfp, int order, int highestZoneidx, int preferred, int mt, int allocFlags, String why) {
        return ctx.fail(gfp, order, highestZoneidx, highestZoneidx, preferred, mt, allocFlags, why);
    }

    /**
     * {@code wake_all_kswapds()} → {@code wakeup_kswapd()}, mm/page_alloc.c and mm/vmscan.c (6.1):
     * one node, so one kswapd, woken unless some zone up to highest_zoneidx is balanced at HIGH for
     * this order and no zone is boosted.
     */
    private void wakeAllKswapds(int order, int gfpMask, int highestZoneidx) {
        boolean boosted = false;
        boolean balanced = false;
        for (int zi : zonelist) {
            if (zi > highestZoneidx) {
                continue;
            }
            Zone z = zones[zi];
            boosted |= z.watermarkBoost != 0;
            if (wmark.zoneWatermarkOk(z, order, z.highWmark(), highestZoneidx, 0, null)) {
                balanced = true;
            }
        }
        if (balanced && !boosted) {
            return;
        }
        ctx.wakeupKswapd(zonelist.length > 0 ? zonelist[0] : 0, order, highestZoneidx);
        for (int zi : zonelist) {
            if (zi <= highestZoneidx) {
                zones[zi].watermarkBoost = 0; // kswapd's boost reclaim (see the class comment)
            }
        }
    }

    /** {@code wakeup_kswapd(zone, 0, 0, zone_idx(zone))} after a boosting steal (rmqueue()). */
    private void wakeupKswapdForBoost(Zone zone) {
        ctx.wakeupKswapd(zone.idx, 0, zone.idx);
        zone.watermarkBoost = 0; // see the class comment
    }

    // ------------------------------------------------------------------ freeing

    /**
     * {@code __free_pages()} → {@code free_the_page()}, mm/page_alloc.c:767 [61]: pcp orders through
     * {@code free_unref_page()} ({@link Pcp61}), the rest straight to the buddy lists
     * ({@code __free_pages_ok()}).
     */
    @Override
    protected void freeCheckedPages(MemMap mm, int page, int order, int cpu, boolean cold) {
        Zone zone = zones[mm.zoneIdx(page)];
        if (pcp.allowed(order)) {
            pcp.free(mm, zone, page, order, false, cpu);
            return;
        }
        ctx.countFree(1L << order);
        freeOnePage(buddy, zone, page, order, mm.pageblockMigratetype(page));
    }

    /** {@code free_one_page()}: credit NR_FREE_PAGES (not for Isolate), then merge. */
    static void freeOnePage(Buddy buddy, Zone zone, int page, int order, int migratetype) {
        if (migratetype != MIGRATE_ISOLATE.ordinal()) {
            zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] += 1L << order;
        }
        buddy.freeOnePage(zone, page, order, migratetype);
    }

    @Override
    protected void freeOnePage(Zone zone, int page, int order, int migratetype) {
        freeOnePage(ctx.buddy(), zone, page, order, migratetype);
    }

    /** {@code drain_pages()}, mm/page_alloc.c:3217 [61]: every block on this CPU's lists back. */
    @Override
    public void drainPages(int cpu) {
        for (int zi : zonelist) {
            pcp.drain(mm, zones[zi], cpu);
        }
    }
}
