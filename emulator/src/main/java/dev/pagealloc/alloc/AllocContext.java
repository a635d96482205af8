package dev.pagealloc.alloc;

import static dev.pagealloc.gfp.AllocFlags.ALLOC_CPUSET;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_NO_WATERMARKS;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_LOW;
import static dev.pagealloc.gfp.AllocFlags.ALLOC_WMARK_MASK;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;

import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.PhysMem;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.trace.TraceSink;
import dev.pagealloc.vmstat.ZoneStatItem;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.WatermarkVerdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a kernel's {@link PageAllocator} paths work on and report to: one node ({@code pg_data_t}) — its
 * zones and zonelist, the memmap and the buddy lists over them — with the kernel's GFP layout,
 * migratetypes and watermark check, and the services every version's paths share:
 * {@code prep_new_page()}, the failure record, the allocation counters, the kswapd and
 * reclaim/compaction hooks and the trace sink. {@link PageAllocator} owns one; a kernel's paths
 * and per-CPU policy receive it when the machine boots.
 *
 * <p>Single-threaded by design: "CPUs" are indices choosing a per-CPU pageset.
 */
public final class AllocContext {
    private final Arch arch;
    private final MemMap mm;
    private final Buddy buddy;
    private final Zone[] zones;
    /** Populated zone indices, highest first ({@code build_zonelists_node()}). */
    private final int[] zonelist;
    private final GfpBits gfp;
    private final Migratetypes migratetypes;
    private final WatermarkCheck wmark;
    private final PhysMem phys;
    // bits the hot paths test, resolved once (0 where the kernel's layout has none)
    private final int gfpZero;

    private boolean integrity;
    private TraceSink trace = TraceSink.NONE;
    private Reclaimer reclaimer;
    private Compactor compactor;
    private AllocFailure lastFailure;
    private long kswapdWakeups;
    private final long[] pgalloc;
    private long pgfree;

    public AllocContext(Arch arch, MemMap mm, Buddy buddy, Zone[] zones, GfpBits gfp, Migratetypes migratetypes,
            WatermarkCheck wmark, PhysMem phys) {
        this.arch = arch;
        this.mm = mm;
        this.buddy = buddy;
        this.zones = zones;
        this.gfp = gfp;
        this.migratetypes = migratetypes;
        this.wmark = wmark;
        this.phys = phys;
        this.gfpZero = gfp.bit("__GFP_ZERO");
        this.pgalloc = new long[zones.length];
        int n = 0;
        int[] zl = new int[zones.length];
        for (int i = zones.length - 1; i >= 0; i--) {
            if (zones[i].isPopulated()) {
                zl[n++] = i;
            }
        }
        this.zonelist = Arrays.copyOf(zl, n);
    }

    // ------------------------------------------------------------------ the node

    public Arch arch() {
        return arch;
    }

    public MemMap memMap() {
        return mm;
    }

    public Buddy buddy() {
        return buddy;
    }

    /** {@code pgdat->node_zones}: every zone of the node, populated or not, by index. */
    public Zone[] zones() {
        return zones;
    }

    /**
     * {@code node_zonelists[ZONELIST_FALLBACK]}: the populated zone indices, highest first. The
     * array is shared with the hot paths: do not write it.
     */
    public int[] zonelist() {
        return zonelist;
    }

    /** The number of CPUs (per-CPU pagesets per zone). */
    public int cpus() {
        return zones[zonelist.length > 0 ? zonelist[0] : 0].pcp.length;
    }

    public GfpBits gfp() {
        return gfp;
    }

    public Migratetypes migratetypes() {
        return migratetypes;
    }

    /**
     * {@code gfp_migratetype()}, include/linux/gfp.h, as a free-list slot: the type a request with
     * {@code gfpMask} allocates from, Unmovable for every request when
     * {@code page_group_by_mobility_disabled}. The allocator, compaction and the highalloc driver
     * all ask here.
     */
    public int requestSlot(int gfpMask) {
        return migratetypes.slot(gfp.migratetype(gfpMask, buddy.mobilityDisabled()));
    }

    public WatermarkCheck watermarkCheck() {
        return wmark;
    }

    public PhysMem physMem() {
        return phys;
    }

    /** {@code first_zones_zonelist()}: the first zonelist entry at or below highZoneIdx, or -1. */
    public int firstZone(int highZoneIdx) {
        for (int z : zonelist) {
            if (z <= highZoneIdx) {
                return z;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ hooks

    public TraceSink trace() {
        return trace;
    }

    /**
     * Whether a trace sink is attached. The kernel compiles a disabled tracepoint to a no-op behind
     * a static key; the paths test this before they compute a tracepoint's arguments (the kernel's
     * number for a migratetype slot, for one), so tracing nobody reads costs them one compare.
     */
    public boolean tracing() {
        return trace != TraceSink.NONE;
    }

    void setTrace(TraceSink trace) {
        this.trace = trace;
    }

    /** Reclaim and the OOM killer behind the slow path, or null (the slow path stops before reclaim). */
    public Reclaimer reclaimer() {
        return reclaimer;
    }

    void setReclaimer(Reclaimer reclaimer) {
        this.reclaimer = reclaimer;
    }

    /** Direct compaction and kcompactd, or null (kernels without CONFIG_COMPACTION, or not attached). */
    public Compactor compactor() {
        return compactor;
    }

    void setCompactor(Compactor compactor) {
        this.compactor = compactor;
    }

    boolean integrity() {
        return integrity;
    }

    void setIntegrity(boolean on) {
        if (on && phys == null) {
            throw new IllegalStateException("integrity mode needs the emulated RAM (PhysMem)");
        }
        this.integrity = on;
    }

    // ------------------------------------------------------------------ services of the paths

    /**
     * {@code prep_new_page()}, mm/page_alloc.c: the head becomes allocated; __GFP_ZERO zeroes the
     * emulated RAM; integrity mode stamps the block. {@code mm} is the caller's reference to this
     * node's memmap ({@link PageAllocator}'s class comment says why it is passed).
     */
    public void prepNewPage(MemMap mm, int page, int order, int gfpFlags) {
        mm.setStateOrder(page, PS_ALLOCATED, order);
        if (phys != null) {
            if ((gfpFlags & gfpZero) != 0) {
                phys.zero(page, order);
            }
            if (integrity) {
                int stamp = stampFor(page, order);
                mm.setIntegrityStamp(page, stamp);
                phys.stamp(page, order, stamp);
            }
        }
    }

    private static int stampFor(int pfn, int order) {
        int h = pfn * 0x9E3779B1 + order;
        return h == 0 ? 1 : h;
    }

    /** PGALLOC and the NUMA counters of an allocation from {@code zone}. */
    public void countAlloc(Zone zone, int order) {
        pgalloc[zone.idx] += 1L << order;
        zoneStatistics(zone);
    }

    /** {@code zone_statistics()}, mm/vmstat.c: one node, so every allocation is a local hit. */
    private static void zoneStatistics(Zone zone) {
        zone.vmStat[ZoneStatItem.NUMA_HIT.ordinal()]++;
        zone.vmStat[ZoneStatItem.NUMA_LOCAL.ordinal()]++;
    }

    /** PGFREE: {@code pages} pages freed. */
    public void countFree(long pages) {
        pgfree += pages;
    }

    /**
     * {@code wakeup_kswapd()}, mm/vmscan.c: the node's kswapd is woken for {@code zoneIdx} (counted,
     * and passed to the reclaim model when one is attached).
     */
    public void wakeupKswapd(int zoneIdx, int order, int highZoneIdx) {
        kswapdWakeups++;
        if (reclaimer != null) {
            reclaimer.wakeupKswapd(zoneIdx, order, highZoneIdx);
        }
    }

    long kswapdWakeups() {
        return kswapdWakeups;
    }

    long pgalloc(int idx) {
        return pgalloc[idx];
    }

    long pgfree() {
        return pgfree;
    }

    // ------------------------------------------------------------------ failures

    /**
     * Records why an allocation returned no page and returns -1. The explanation re-runs each
     * pass's watermark checks with verdicts; failed passes change no state, so the checks see
     * exactly what the failed walk saw.
     *
     * @param classzoneIdx the lowmem_reserve column the kernel's checks used: the preferred zone
     *     (≤ 5.7) or {@code highest_zoneidx} (5.8+)
     * @param slowFlags the slow path's alloc_flags, or -1 when the request never got there
     */
    public long fail(int gfpMask, int order, int highZoneIdx, int classzoneIdx, int preferred, int migratetype,
            int slowFlags, String why) {
        List<ZoneAttempt> attempts = new ArrayList<>();
        if (preferred >= 0 && order < Zone.MAX_ORDER) {
            addPass(attempts, "fast", order, highZoneIdx, classzoneIdx, ALLOC_WMARK_LOW | ALLOC_CPUSET);
            if (slowFlags >= 0) {
                addPass(attempts, "slow", order, highZoneIdx, classzoneIdx, slowFlags & ~ALLOC_NO_WATERMARKS);
            }
        }
        lastFailure = new AllocFailure(gfpMask, order, highZoneIdx, classzoneIdx, migratetype, slowFlags, why,
                List.copyOf(attempts));
        return -1;
    }

    private void addPass(List<ZoneAttempt> out, String pass, int order, int highZoneIdx, int classzoneIdx,
            int allocFlags) {
        for (int zi : zonelist) {
            if (zi > highZoneIdx) {
                continue;
            }
            Zone z = zones[zi];
            WatermarkVerdict v = new WatermarkVerdict();
            wmark.zoneWatermarkOk(z, order, z.wmark(allocFlags & ALLOC_WMARK_MASK), classzoneIdx, allocFlags, v);
            out.add(new ZoneAttempt(pass, zi, z.name, v));
        }
    }

    AllocFailure lastFailure() {
        return lastFailure;
    }
}
