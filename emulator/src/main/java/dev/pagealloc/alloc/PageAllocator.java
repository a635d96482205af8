package dev.pagealloc.alloc;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_CPUSET;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NO_WATERMARKS;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_LOW;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_MASK;
import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_PCP;
import static dev.pagealloc.mem.MemMapDescriptor.PS_TAIL;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_ISOLATE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_PCPTYPES;

import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.gfp.AllocFlags;
import dev.pagealloc.gfp.GfpZone;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.PhysMem;
import dev.pagealloc.mmzone.PfnList;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.KernelProfile;
import dev.pagealloc.trace.TraceSink;
import dev.pagealloc.vmstat.ZoneStatItem;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.WatermarkVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The zoned page allocator of mm/page_alloc.c: {@code __alloc_pages_nodemask()} and
 * {@code __free_pages()} with the per-CPU fast path, over one node's zones.
 *
 * <p>Allocation walks the zonelist (populated zones from {@code gfp_zone()} down) asking each zone
 * the profile's watermark check, first at WMARK_LOW, then in the slow path at WMARK_MIN with the
 * request's {@code gfp_to_alloc_flags()}. Reclaim, compaction and the OOM killer come in a later
 * issue: a request that reaches direct reclaim fails here with an {@link AllocFailure} that says so.
 *
 * <p>Single-threaded by design: "CPUs" are indices choosing a per-CPU pageset, so a replay is
 * deterministic. No allocation on the alloc/free hot paths.
 */
public final class PageAllocator {
    private static final int PCP_U = 0;

    private final KernelProfile profile;
    private final Arch arch;
    private final MemMap mm;
    private final Buddy buddy;
    private final WatermarkCheck wmark;
    private final Zone[] zones;
    /** Populated zone indices, highest first ({@code build_zonelists_node}). */
    private final int[] zonelist;

    private final PhysMem phys;
    private boolean integrity;
    private TraceSink trace = TraceSink.NONE;
    private Consumer<String> printk = s -> {};
    private String comm = "pagealloc";

    private Reclaimer reclaimer;
    private Compactor compactor;
    /** The 6.1 paths, or null for 2.6.32 (see {@link KernelProfile#isModern()}). */
    private final Alloc61 alloc61;
    private AllocFailure lastFailure;
    private long badPages;
    private long kswapdWakeups;
    private int kswapdMaxOrder;
    private final long[] pgalloc;
    private long pgfree;

    public PageAllocator(
            KernelProfile profile, Arch arch, MemMap mm, Buddy buddy, Zone[] zones, PhysMem phys) {
        this.profile = profile;
        this.arch = arch;
        this.mm = mm;
        this.buddy = buddy;
        this.wmark = profile.watermarkCheck;
        this.zones = zones;
        this.phys = phys;
        this.pgalloc = new long[zones.length];
        int n = 0;
        int[] zl = new int[zones.length];
        for (int i = zones.length - 1; i >= 0; i--) {
            if (zones[i].isPopulated()) {
                zl[n++] = i;
            }
        }
        this.zonelist = java.util.Arrays.copyOf(zl, n);
        this.alloc61 = profile.isModern() ? new Alloc61(this, profile, mm, buddy, zones, zonelist) : null;
    }

    // ------------------------------------------------------------------ configuration

    public void setTrace(TraceSink trace) {
        this.trace = trace;
        buddy.setTrace(trace);
    }

    /** Reclaim and the OOM killer behind the slow path; null: the slow path stops before reclaim. */
    public void setReclaimer(Reclaimer reclaimer) {
        this.reclaimer = reclaimer;
    }

    /** Where kernel log lines ({@code bad_page()} reports) go. */
    /** Direct compaction and kcompactd (profiles with CONFIG_COMPACTION). */
    public void setCompactor(Compactor compactor) {
        this.compactor = compactor;
    }

    Compactor compactor() {
        return compactor;
    }

    Reclaimer reclaimer() {
        return reclaimer;
    }

    TraceSink trace() {
        return trace;
    }

    /** The 6.1 buddy-list operations (highatomic reserve, stealing), or null for 2.6.32. */
    public dev.pagealloc.buddy.Rmqueue61 rmqueue61() {
        return alloc61 == null ? null : alloc61.rmqueue61();
    }

    public void setPrintk(Consumer<String> printk) {
        this.printk = printk;
    }

    /** {@code current->comm} for reports. */
    public void setComm(String comm) {
        this.comm = comm;
    }

    /** Integrity mode: stamp every allocation's frames and verify the stamp on free. */
    public void setIntegrity(boolean on) {
        if (on && phys == null) {
            throw new IllegalStateException("integrity mode needs the emulated RAM (PhysMem)");
        }
        this.integrity = on;
    }

    public Zone[] zones() {
        return zones;
    }

    public int[] zonelist() {
        return zonelist.clone();
    }

    public MemMap memMap() {
        return mm;
    }

    public Buddy buddy() {
        return buddy;
    }

    public PhysMem physMem() {
        return phys;
    }

    public KernelProfile profile() {
        return profile;
    }

    public Arch arch() {
        return arch;
    }

    /** The failure of the last allocation that returned no page. */
    public AllocFailure lastFailure() {
        return lastFailure;
    }

    public long badPageCount() {
        return badPages;
    }

    public long kswapdWakeups() {
        return kswapdWakeups;
    }

    /** pgalloc_* of /proc/vmstat for the zone at {@code idx}. */
    public long pgalloc(int idx) {
        return pgalloc[idx];
    }

    public long pgfree() {
        return pgfree;
    }

    // ------------------------------------------------------------------ allocation

    /**
     * {@code __alloc_pages_nodemask()}, mm/page_alloc.c: the fast path at WMARK_LOW over the
     * zonelist, then {@code __alloc_pages_slowpath()}. Returns the pfn of the first page, or -1
     * with {@link #lastFailure()} explaining why.
     */
    public long allocPages(int gfpMask, int order, int cpu) {
        int highZoneIdx = GfpZone.gfpZone(gfpMask, arch);
        int migratetype = profile.migratetypeSlot(profile.gfp.migratetype(gfpMask, buddy.mobilityDisabled()));
        int preferred = firstZone(highZoneIdx);
        if (alloc61 != null) {
            long page = alloc61.allocPages(gfpMask, order, cpu, highZoneIdx, migratetype, preferred);
            trace.mmPageAlloc(page, order, gfpMask, profile.kernelMigratetype(migratetype));
            return page;
        }
        long page = -1;
        if (preferred >= 0 && order < Zone.MAX_ORDER) {
            page =
                    getPageFromFreelist(
                            gfpMask | profile.gfpHardwall,
                            order,
                            highZoneIdx,
                            ALLOC_WMARK_LOW | ALLOC_CPUSET,
                            preferred,
                            migratetype,
                            cpu);
        }
        if (page < 0) {
            page = allocPagesSlowpath(gfpMask, order, highZoneIdx, preferred, migratetype, cpu);
        }
        trace.mmPageAlloc(page, order, gfpMask, migratetype);
        return page;
    }

    /** {@code first_zones_zonelist()}: the first zonelist entry at or below highZoneIdx. */
    private int firstZone(int highZoneIdx) {
        for (int z : zonelist) {
            if (z <= highZoneIdx) {
                return z;
            }
        }
        return -1;
    }

    /**
     * {@code __alloc_pages_slowpath()}, mm/page_alloc.c (2.6.32), up to direct reclaim: wake
     * kswapd, retry at WMARK_MIN with {@code gfp_to_alloc_flags()}; atomic requests stop there.
     */
    private long allocPagesSlowpath(
            int gfpMask, int order, int highZoneIdx, int preferred, int migratetype, int cpu) {
        if (order >= Zone.MAX_ORDER) {
            // WARN_ON_ONCE(!(gfp_mask & __GFP_NOWARN)); no failure report
            return fail(gfpMask, order, highZoneIdx, preferred, migratetype, -1,
                    "order >= MAX_ORDER: the request can never be satisfied");
        }
        if (preferred < 0) {
            return fail(gfpMask, order, highZoneIdx, preferred, migratetype, -1,
                    "no populated zone at or below the request's gfp_zone()");
        }
        if (profile.numa && (gfpMask & profile.gfpThisnode) == profile.gfpThisnode) {
            return fail(gfpMask, order, highZoneIdx, preferred, migratetype, -1,
                    "GFP_THISNODE: no fallback to other nodes");
        }
        int allocFlags = AllocFlags.gfpToAllocFlags(profile.gfp, gfpMask, order);
        boolean wait = profile.gfp.canSleep(gfpMask);
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
            } else if ((gfpMask & profile.gfp.bit("__GFP_FS")) != 0
                    && (gfpMask & profile.gfp.bit("__GFP_NORETRY")) == 0) {
                // __alloc_pages_may_oom(): a last try at WMARK_HIGH catches a parallel OOM kill
                page = getPageFromFreelist(gfpMask | profile.gfpHardwall, order, highZoneIdx,
                        AllocFlags.ALLOC_WMARK_HIGH | ALLOC_CPUSET, preferred, migratetype, cpu);
                if (page >= 0) {
                    return page;
                }
                boolean nofail = (gfpMask & profile.gfp.bit("__GFP_NOFAIL")) != 0;
                if (order > PAGE_ALLOC_COSTLY_ORDER && !nofail) {
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

    /** Records a failure (see {@link #lastFailure()}) and returns -1; for {@link Alloc61}. */
    long failed(int gfp, int order, int highZoneIdx, int preferred, int mt, int slowFlags, String why) {
        return fail(gfp, order, highZoneIdx, preferred, mt, slowFlags, why);
    }

    /** {@code prep_new_page()} for {@link Alloc61}. */
    void prepNew(int page, int order, int gfpFlags) {
        prepNewPage(page, order, gfpFlags);
    }

    /** PGALLOC and the NUMA counters of an allocation from {@code zone}. */
    void countAlloc(Zone zone, int order) {
        pgalloc[zone.idx] += 1L << order;
        zoneStatistics(zone);
    }

    /** PGFREE. */
    void countFree(int order) {
        pgfree += 1L << order;
    }

    /** kswapd is woken for {@code zoneIdx} (counted, and passed to the reclaim model). */
    void kswapdWoken(int zoneIdx, int order, int highZoneIdx) {
        if (kswapdMaxOrder < order) {
            kswapdMaxOrder = order;
        }
        kswapdWakeups++;
        if (reclaimer != null) {
            reclaimer.wakeupKswapd(zoneIdx, order, highZoneIdx);
        }
    }

    /** PAGE_ALLOC_COSTLY_ORDER, include/linux/mmzone.h. */
    public static final int PAGE_ALLOC_COSTLY_ORDER = 3;

    /** Bounds the emulated slow path where the kernel would loop (it waits in congestion_wait). */
    static final int MAX_SLOWPATH_LOOPS = 4096;

    /** {@code should_alloc_retry()}, mm/page_alloc.c (2.6.32). */
    private boolean shouldAllocRetry(int gfpMask, int order, long pagesReclaimed) {
        if ((gfpMask & profile.gfp.bit("__GFP_NORETRY")) != 0) {
            return false;
        }
        if (order <= PAGE_ALLOC_COSTLY_ORDER) {
            return true;
        }
        if ((gfpMask & profile.gfp.bit("__GFP_REPEAT")) != 0 && pagesReclaimed < (1L << order)) {
            return true;
        }
        return (gfpMask & profile.gfp.bit("__GFP_NOFAIL")) != 0;
    }

    private long fail(int gfp, int order, int highZoneIdx, int preferred, int mt, int slowFlags,
            String why) {
        lastFailure = explain(gfp, order, highZoneIdx, preferred, mt, slowFlags, why);
        return -1;
    }

    /**
     * Re-runs each pass's watermark checks with verdicts. Failed passes change no state, so the
     * checks see exactly what the failed walk saw.
     */
    private AllocFailure explain(int gfp, int order, int highZoneIdx, int preferred, int mt,
            int slowFlags, String why) {
        List<ZoneAttempt> attempts = new ArrayList<>();
        if (preferred >= 0 && order < Zone.MAX_ORDER) {
            int classzone = profile.isModern() ? highZoneIdx : preferred;
            addPass(attempts, "fast", order, highZoneIdx, classzone, ALLOC_WMARK_LOW | ALLOC_CPUSET);
            if (slowFlags >= 0) {
                addPass(attempts, "slow", order, highZoneIdx, classzone,
                        slowFlags & ~ALLOC_NO_WATERMARKS);
            }
        }
        return new AllocFailure(gfp, order, highZoneIdx, preferred, mt, slowFlags, why,
                List.copyOf(attempts));
    }

    private void addPass(List<ZoneAttempt> out, String pass, int order, int highZoneIdx,
            int classzoneIdx, int allocFlags) {
        for (int zi : zonelist) {
            if (zi > highZoneIdx) {
                continue;
            }
            Zone z = zones[zi];
            WatermarkVerdict v = new WatermarkVerdict();
            wmark.zoneWatermarkOk(z, order, z.wmark(allocFlags & ALLOC_WMARK_MASK),
                    classzoneIdx, allocFlags, v);
            out.add(new ZoneAttempt(pass, zi, z.name, v));
        }
    }

    /**
     * {@code wake_all_kswapd()} / {@code wakeup_kswapd()}, mm/page_alloc.c and mm/vmscan.c: a zone
     * wakes the node's kswapd unless it passes WMARK_LOW for this order with classzone 0.
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
            if (kswapdMaxOrder < order) {
                kswapdMaxOrder = order;
            }
            kswapdWakeups++;
            if (reclaimer != null) {
                reclaimer.wakeupKswapd(zi, order, highZoneIdx);
            }
        }
    }

    /**
     * {@code get_page_from_freelist()}, mm/page_alloc.c: the first zone in the zonelist that
     * passes the watermark check for {@code alloc_flags} and has a page.
     */
    public long getPageFromFreelist(int gfpMask, int order, int highZoneIdx, int allocFlags,
            int preferred, int migratetype, int cpu) {
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
     * {@code buffered_rmqueue()}, mm/page_alloc.c: order 0 from the CPU's list for the
     * migratetype (refilled by {@code rmqueue_bulk()} when empty; hot from the head, __GFP_COLD
     * from the tail), higher orders straight from the buddy lists.
     */
    private long bufferedRmqueue(Zone zone, int order, int gfpFlags, int migratetype, int cpu) {
        boolean cold = (gfpFlags & profile.gfpCold) != 0;
        int page;
        if (order == 0) {
            PerCpuPages pcp = zone.pcp[cpu];
            if (pcp.head[migratetype] == NIL) {
                pcp.count += rmqueueBulk(zone, 0, pcp.batch, pcp, migratetype, cold);
                if (pcp.head[migratetype] == NIL) {
                    return -1;
                }
            }
            page = cold ? pcp.tail[migratetype] : pcp.head[migratetype];
            PfnList.del(mm, pcp.head, pcp.tail, migratetype, page);
            pcp.count--;
        } else {
            page = buddy.rmqueue(zone, order, migratetype);
            if (page < 0) {
                return -1;
            }
            zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= 1L << order;
        }
        pgalloc[zone.idx] += 1L << order;
        zoneStatistics(zone);
        prepNewPage(page, order, gfpFlags);
        return page;
    }

    /** {@code zone_statistics()}, mm/vmstat.c: one node, so every allocation is a local hit. */
    private static void zoneStatistics(Zone zone) {
        zone.vmStat[ZoneStatItem.NUMA_HIT.ordinal()]++;
        zone.vmStat[ZoneStatItem.NUMA_LOCAL.ordinal()]++;
    }

    /** {@code prep_new_page()}, mm/page_alloc.c: the head becomes allocated; __GFP_ZERO zeroes. */
    private void prepNewPage(int page, int order, int gfpFlags) {
        mm.setStateOrder(page, PS_ALLOCATED, order);
        if (phys != null) {
            if ((gfpFlags & profile.gfpZero) != 0) {
                phys.zero(page, order);
            }
            if (integrity) {
                int stamp = stampFor(page, order);
                mm.setPrivateWord(page, stamp);
                phys.stamp(page, order, stamp);
            }
        }
    }

    private static int stampFor(int pfn, int order) {
        int h = pfn * 0x9E3779B1 + order;
        return h == 0 ? 1 : h;
    }

    /**
     * {@code rmqueue_bulk()}, mm/page_alloc.c: {@code count} order-{@code order} pages from
     * {@code __rmqueue()} onto the per-CPU list, each after the previous one so the list keeps
     * physical order (for __GFP_COLD each goes before the previous one); returns how many.
     */
    private int rmqueueBulk(Zone zone, int order, int count, PerCpuPages pcp, int migratetype,
            boolean cold) {
        int i;
        int at = NIL; // NIL: the list head itself
        for (i = 0; i < count; ++i) {
            int page = buddy.rmqueue(zone, order, migratetype);
            if (page < 0) {
                break;
            }
            if (!cold) {
                if (at == NIL) {
                    PfnList.add(mm, pcp.head, pcp.tail, migratetype, page);
                } else {
                    PfnList.addAfter(mm, pcp.head, pcp.tail, migratetype, at, page);
                }
            } else {
                if (at == NIL) {
                    PfnList.addTail(mm, pcp.head, pcp.tail, migratetype, page);
                } else {
                    PfnList.addBefore(mm, pcp.head, pcp.tail, migratetype, at, page);
                }
            }
            mm.setStatePcp(page, migratetype);
            at = page;
        }
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= (long) i << order;
        return i;
    }

    // ------------------------------------------------------------------ freeing

    /**
     * {@code __free_pages()}, mm/page_alloc.c: order 0 to the CPU's list
     * ({@code free_hot_page()}), higher orders to the buddy lists ({@code __free_pages_ok()}).
     * A pfn that is not the head of an allocated block of this order is reported the way
     * {@code bad_page()} does and left alone.
     */
    public void freePages(long pfn, int order, int cpu) {
        freePages(pfn, order, cpu, false);
    }

    /** {@link #freePages(long, int, int)}, with {@code cold} as {@code free_cold_page()}. */
    public void freePages(long pfn, int order, int cpu, boolean cold) {
        if (!freePagesCheck(pfn, order)) {
            return;
        }
        int page = (int) pfn;
        trace.mmPageFreeDirect(pfn, order);
        if (alloc61 != null) {
            alloc61.freePages(page, order, cpu);
            return;
        }
        if (order == 0) {
            trace.mmPageFreeDirect(pfn, 0); // free_hot_page() traces it a second time (2.6.32)
            freeHotColdPage(page, cold, cpu);
        } else {
            pgfree += 1L << order;
            Zone zone = zones[mm.zoneIdx(page)];
            freeOnePage(zone, page, order, mm.pageblockMigratetype(page));
        }
    }

    /**
     * {@code free_pages_check()} + {@code bad_page()}, mm/page_alloc.c: refuses frees of pages that
     * are not allocated, not the head of their block, of another order, or whose contents lost their
     * integrity stamp.
     */
    private boolean freePagesCheck(long pfn, int order) {
        if (pfn < 0 || pfn >= mm.nrPages() || order < 0 || order >= Zone.MAX_ORDER) {
            badPages++;
            printk.accept(String.format(
                    "BUG: Bad page state in process %s  pfn:%05x (no such page, order %d)",
                    comm, pfn, order));
            return false;
        }
        int page = (int) pfn;
        int state = mm.state(page);
        String why = null;
        if (state != PS_ALLOCATED) {
            why = switch (state) {
                case dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY -> "page is free (PageBuddy): double free";
                case PS_PCP -> "page is free on a per-CPU list: double free";
                case dev.pagealloc.mem.MemMapDescriptor.PS_RESERVED -> "page is PageReserved";
                case dev.pagealloc.mem.MemMapDescriptor.PS_NOMAP -> "pfn has no struct page";
                default -> "page is not the head of an allocated block";
            };
        } else if (mm.order(page) != order) {
            why = "freed as order " + order + " but allocated as order " + mm.order(page);
        } else if (integrity && !phys.verify(page, order, mm.privateWord(page))) {
            why = "contents changed after allocation: integrity stamp broken";
        }
        if (why == null) {
            return true;
        }
        badPage(page, why);
        return false;
    }

    /**
     * {@code bad_page()}, mm/page_alloc.c (2.6.32): the two KERN_ALERT lines, then our reason in
     * place of the stack dump. The page is left as it was and the emulator keeps going.
     */
    private void badPage(int pfn, String why) {
        badPages++;
        printk.accept(String.format(
                "BUG: Bad page state in process %s  pfn:%05x", comm, pfn));
        printk.accept(BadPage.pageLine(arch, mm, pfn));
        printk.accept("pagealloc: " + why);
    }

    /**
     * {@code free_hot_cold_page()}, mm/page_alloc.c (2.6.32): the page goes on the CPU's list of
     * its pageblock's migratetype (RESERVE as MOVABLE; ISOLATE straight to the buddy lists), hot at
     * the head or cold at the tail; reaching {@code high} returns {@code batch} pages to the buddy.
     */
    private void freeHotColdPage(int page, boolean cold, int cpu) {
        Zone zone = zones[mm.zoneIdx(page)];
        PerCpuPages pcp = zone.pcp[cpu];
        int migratetype = mm.pageblockMigratetype(page);
        mm.setStatePcp(page, migratetype); // set_page_private(page, migratetype)
        pgfree++;
        if (migratetype >= MIGRATE_PCPTYPES) {
            if (migratetype == MIGRATE_ISOLATE.ordinal()) {
                freeOnePage(zone, page, 0, migratetype);
                return;
            }
            migratetype = MIGRATE_MOVABLE.ordinal();
        }
        if (cold) {
            PfnList.addTail(mm, pcp.head, pcp.tail, migratetype, page);
        } else {
            PfnList.add(mm, pcp.head, pcp.tail, migratetype, page);
        }
        pcp.count++;
        if (pcp.count >= pcp.high) {
            freePcppagesBulk(zone, pcp.batch, pcp);
            pcp.count -= pcp.batch;
        }
    }

    /**
     * {@code free_pcppages_bulk()}, mm/page_alloc.c (2.6.32): round-robin over the lists starting
     * after list 0 (the index is pre-incremented), taking one more page from a list for every empty
     * list skipped, always from the tail (the coldest), back to the migratetype in page_private.
     */
    private void freePcppagesBulk(Zone zone, int count, PerCpuPages pcp) {
        int migratetype = PCP_U;
        int batchFree = 0;
        zone.allUnreclaimable = false;
        zone.pagesScanned = 0;
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] += count;
        while (count > 0) {
            do {
                batchFree++;
                if (++migratetype == MIGRATE_PCPTYPES) {
                    migratetype = 0;
                }
            } while (pcp.head[migratetype] == NIL);
            do {
                int page = pcp.tail[migratetype];
                PfnList.del(mm, pcp.head, pcp.tail, migratetype, page);
                int mt = mm.pcpMigratetype(page);
                buddy.freeOnePage(zone, page, 0, mt);
                trace.mmPagePcpuDrain(page, 0, mt);
            } while (--count > 0 && --batchFree > 0 && pcp.head[migratetype] != NIL);
        }
    }

    /** {@code free_one_page()}, mm/page_alloc.c: credit NR_FREE_PAGES, then merge. */
    private void freeOnePage(Zone zone, int page, int order, int migratetype) {
        zone.allUnreclaimable = false;
        zone.pagesScanned = 0;
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] += 1L << order;
        buddy.freeOnePage(zone, page, order, migratetype);
    }

    /**
     * {@code free_one_page()} for a caller that owns an allocated block and wants it straight on
     * the buddy lists of {@code migratetype}, bypassing the per-CPU lists (used to rebuild a zone's
     * free lists from a report).
     */
    public void freeToBuddy(int pfn, int order, int migratetype) {
        if (!freePagesCheck(pfn, order)) {
            return;
        }
        freeOnePage(zones[mm.zoneIdx(pfn)], pfn, order, migratetype);
    }

    /**
     * Takes the head block of free_list[order][migratetype] as an allocated block, or returns -1
     * when that list is empty (the rebuild helper's way of emptying a zone).
     */
    public int takeFreeBlock(Zone zone, int order, int migratetype) {
        if (zone.freeHead[Zone.slot(order, migratetype)] == NIL) {
            return -1;
        }
        int pfn = buddy.rmqueueSmallest(zone, order, migratetype);
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= 1L << order;
        return pfn;
    }

    /**
     * {@code drain_pages()}, mm/page_alloc.c: every page on this CPU's lists back to the buddy.
     */
    public void drainPages(int cpu) {
        if (alloc61 != null) {
            alloc61.drainPages(cpu);
            return;
        }
        for (int zi : zonelist) {
            Zone zone = zones[zi];
            PerCpuPages pcp = zone.pcp[cpu];
            freePcppagesBulk(zone, pcp.count, pcp); // clears all_unreclaimable even when empty
            pcp.count = 0;
        }
    }

    /** {@code drain_all_pages()}, mm/page_alloc.c. */
    public void drainAllPages() {
        int cpus = zones[zonelist[0]].pcp.length;
        for (int cpu = 0; cpu < cpus; cpu++) {
            drainPages(cpu);
        }
    }

    /**
     * {@code __free_pages_bootmem()}, mm/page_alloc.c: hands a reserved-at-boot block to the buddy
     * allocator through the ordinary free path, as {@code free_all_bootmem()} does.
     */
    public void freePagesBootmem(int pfn, int order, int cpu) {
        for (int i = 1; i < 1 << order; i++) {
            mm.setStateOrder(pfn + i, PS_TAIL, 0); // __ClearPageReserved(p)
        }
        mm.setStateOrder(pfn, PS_ALLOCATED, order);
        freePages(pfn, order, cpu);
    }

    /**
     * {@code __free_pages_core()}, mm/page_alloc.c (5.x/6.x): a boot-reserved block goes straight
     * to the buddy lists of its pageblock's type, at the tail ({@code FPI_TO_TAIL}), bypassing the
     * per-CPU lists.
     */
    public void freePagesCore(int pfn, int order) {
        for (int i = 1; i < 1 << order; i++) {
            mm.setStateOrder(pfn + i, PS_TAIL, 0); // __ClearPageReserved(p)
        }
        mm.setStateOrder(pfn, PS_ALLOCATED, order);
        Zone zone = zones[mm.zoneIdx(pfn)];
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] += 1L << order;
        buddy.freeOnePage(zone, pfn, order, mm.pageblockMigratetype(pfn), true);
    }

    /** Allocated-head test for callers that track their own blocks. */
    public boolean isAllocatedHead(long pfn, int order) {
        return pfn >= 0 && pfn < mm.nrPages() && mm.state((int) pfn) == PS_ALLOCATED
                && mm.order((int) pfn) == order;
    }
}
