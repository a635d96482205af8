package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.layout.BootSteps;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.PhysMem;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.mmzone.ZoneType;
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.pcp.PcpSizing;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmstat.ZoneStatItem;
import dev.pagealloc.watermark.Watermarks;
import java.lang.foreign.Arena;

/**
 * Boots a {@link MachineLayout} the way 6.1 does: zone spans ({@code free_area_init()}), present =
 * spanned − holes, every RAM page that memblock does not keep freed into the buddy lists
 * ({@code memblock_free_all()}: managed), min_free_kbytes ({@code init_per_zone_wmark_min()},
 * postcore), khugepaged's raise ({@code set_recommended_min_free_kbytes()}), watermarks with
 * watermark_scale_factor, lowmem_reserve, per-CPU high and batch ({@code zone_pcp_update()}); then
 * the late frees (initrd, init sections), which add to managed after the watermarks were set. The
 * zone sizes every formula reads are managed pages.
 *
 * <p>The order matters and the oracle captures show it: every real 6.1 boot's min/low/high, pcp
 * high and lowmem_reserve are computed from managed <em>without</em> the late-freed pages. One odd
 * thing on top: {@code lowmem_reserve_ratio_sysctl_handler()} recomputes lowmem_reserve on every
 * access, reads included, so once anything reads /proc/sys/vm/lowmem_reserve_ratio (the oracle's
 * init script does, as would {@code sysctl -a}) protection follows the final managed counts while
 * the watermarks do not ({@link Linux61#lowmemReserveRatioSysctl}).
 */
public final class Boot61 {
    private Boot61() {}

    /**
     * Boots {@code layout} with the parts of {@code kernel} (6.1's own, or those of a kernel composed
     * from it).
     */
    public static Machine boot(Kernel kernel, MachineLayout layout, boolean withPhysMem) {
        return BootSteps.inNewArena(arena -> bootIn(arena, kernel, layout, withPhysMem));
    }

    private static Machine bootIn(Arena arena, Kernel kernel, MachineLayout layout, boolean withPhysMem) {
        Arch arch = layout.arch();
        int pageblockOrder = arch.pageblockOrder;
        long maxPfn = layout.maxPfn();
        long memmapPages = layout.memmapPages();
        MemMap mm = new MemMap(arena, memmapPages, pageblockOrder);
        PhysMem phys = withPhysMem ? PhysMem.allocate(memmapPages, arena) : null;

        // ---- zone_sizes_init(): max_zone_pfns; ZONE_DEVICE is an empty zone after Movable
        int nzArch = arch.maxNrZones();
        // ZONE_DEVICE needs 64-bit (CONFIG_ZONE_DEVICE depends on MEMORY_HOTPLUG, x86_64 only)
        int nz = nzArch + (kernel.features().zoneDevice() && arch == Arch.X86_64 ? 1 : 0);
        long maxLowPfn = layout.maxLowPfn() > 0 ? layout.maxLowPfn() : Linux61.defaultMaxLowPfn(arch);
        long nodeStart = layout.minPfn();
        long nodeEnd = maxPfn;
        Zone[] zones = new Zone[nz];
        long lowest = nodeStart;
        long zoneStart = nodeStart;
        for (int i = 0; i < nz; i++) {
            ZoneType t = i < nzArch ? arch.zoneType(i) : ZoneType.DEVICE;
            // Movable and Device (0) end where the zone before them ends: empty
            long highest = Math.max(BootSteps.maxZonePfn(t, arch, maxPfn, maxLowPfn), lowest);
            Zone z = new Zone(i, t, 0, nz);
            long s = Math.max(lowest, nodeStart);
            long e = Math.min(highest, nodeEnd);
            z.zoneStartPfn = t == ZoneType.MOVABLE || t == ZoneType.DEVICE ? 0 : zoneStart;
            z.spannedPages = e > s ? e - s : 0;
            zoneStart += z.spannedPages;
            lowest = highest;
            zones[i] = z;
        }

        // ---- free_area_init_core(): present = spanned − absent
        for (Zone z : zones) {
            z.presentPages = z.spannedPages == 0 ? 0 : layout.ramPagesIn(z.zoneStartPfn, z.zoneEndPfn());
        }

        // ---- memmap_init(): every pfn of the zone's span reserved, every pageblock MOVABLE
        for (Zone z : zones) {
            BootSteps.memmapInitZone(mm, layout, z);
        }

        // build_all_zonelists(): page_group_by_mobility_disabled on tiny machines
        boolean mobilityDisabled = BootSteps.mobilityDisabled(zones, pageblockOrder);
        Buddy buddy = new Buddy(mm, pageblockOrder, mobilityDisabled, kernel.buddyPlacement());
        AllocContext ctx = new AllocContext(arch, mm, buddy, zones, kernel.gfp(), kernel.migratetypes(),
                kernel.watermarkCheck(), phys);
        // ---- setup_zone_pageset(): boot pagesets (high 0, batch 1) until zone_pcp_update()
        PcpPolicy pcp = kernel.pcpPolicy(ctx);
        BootSteps.bootPagesets(zones, layout.cpus(), pcp.nrLists());
        PageAllocator allocator = kernel.allocator(ctx, pcp);

        // ---- memblock_free_all() (lowmem, up to max_low_pfn) and add_highpages_with_active_regions():
        // every RAM page neither reserved nor freed late; a block never straddles a zone boundary
        for (PfnRange r : layout.ram()) {
            for (Zone z : zones) {
                long s = Math.max(r.start(), z.zoneStartPfn);
                long e = Math.min(r.end(), z.zoneEndPfn());
                if (z.spannedPages > 0 && e > s) {
                    freeRange(layout, allocator, s, e);
                }
            }
        }
        for (Zone z : zones) {
            z.managedPages = z.freePages();
        }

        // ---- init_per_zone_wmark_min() (postcore_initcall)
        int minFreeKbytes = calculateMinFreeKbytes(zones);
        setupPerZoneWmarks(zones, minFreeKbytes, kernel.features().watermarkScaleFactor());
        setupPerZoneLowmemReserve(zones, Linux61.lowmemReserveRatio(arch));
        // ---- hugepage_init() (subsys_initcall; THP stays off below 512 MiB) →
        // start_stop_khugepaged() → set_recommended_min_free_kbytes(), which since "mm: khugepaged:
        // recalculate min_free_kbytes after stopping khugepaged" (bd3400ea, in 6.1) runs whatever
        // the THP mode: with khugepaged off it recomputes the sqrt default, now that the first
        // pass's high watermarks shrink nr_free_buffer_pages(); with it on it raises min_free_kbytes
        // to the recommendation. Both end in setup_per_zone_wmarks().
        if (kernel.features().thp() && totalramPages(zones) >= (512L << (20 - 12))) {
            if (layout.thp().khugepagedEnabled()) {
                long recommended = recommendedMinFreeKbytes(zones, pageblockOrder);
                if (recommended > minFreeKbytes) {
                    minFreeKbytes = (int) recommended;
                }
            } else {
                minFreeKbytes = calculateMinFreeKbytes(zones);
            }
            setupPerZoneWmarks(zones, minFreeKbytes, kernel.features().watermarkScaleFactor());
        }
        for (Zone z : zones) {
            zonePcpUpdate(z, layout.cpus());
        }

        // ---- populate_rootfs() frees the initrd; kernel_init() frees the init sections. managed
        // grows; the watermarks, pcp high and lowmem_reserve stay as computed.
        for (PfnRange r : layout.lateFreed()) {
            for (long pfn = r.start(); pfn < r.end(); pfn++) {
                if (layout.isRam(pfn) && !layout.isReserved(pfn)) {
                    freePagesCore(allocator, (int) pfn, 0);
                    zones[mm.zoneIdx((int) pfn)].managedPages++;
                }
            }
        }
        // lowmem_reserve keeps the postcore counts until something touches the sysctl
        long totalreserve = calculateTotalreservePages(zones);
        for (Zone z : zones) {
            int threshold = PcpSizing.statThreshold(z.managedPages, layout.cpus());
            for (PerCpuPages p : z.pcp) {
                p.statThreshold = threshold;
            }
        }
        return new Machine(layout, kernel, allocator, nodeStart, nodeEnd - nodeStart, minFreeKbytes,
                totalreserve, arena);
    }

    /**
     * {@code __free_pages_core()}, mm/page_alloc.c [61]: a boot-reserved block goes straight to the
     * buddy lists of its pageblock's type, at the tail ({@code FPI_TO_TAIL}), bypassing the per-CPU
     * lists.
     */
    private static void freePagesCore(PageAllocator allocator, int pfn, int order) {
        allocator.clearReserved(pfn, order);
        MemMap mm = allocator.memMap();
        Zone zone = allocator.zones()[mm.zoneIdx(pfn)];
        zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] += 1L << order;
        allocator.buddy().freeOnePage(zone, pfn, order, mm.pageblockMigratetype(pfn), true);
    }

    private static boolean keptAtFreeAll(MachineLayout layout, long pfn) {
        return layout.isReserved(pfn) || layout.isLateFreed(pfn);
    }

    /**
     * {@code __free_pages_memory()}, mm/memblock.c: each free stretch goes back in the largest
     * aligned blocks that fit ({@code min(MAX_ORDER − 1, __ffs(start))}), to the tail of the lists.
     */
    private static void freeRange(MachineLayout layout, PageAllocator allocator, long start, long end) {
        long pfn = start;
        while (pfn < end) {
            if (keptAtFreeAll(layout, pfn)) {
                pfn++;
                continue;
            }
            long runEnd = pfn;
            while (runEnd < end && !keptAtFreeAll(layout, runEnd)) {
                runEnd++;
            }
            long s = pfn;
            while (s < runEnd) {
                int order = Math.min(Zone.MAX_ORDER - 1, s == 0 ? Zone.MAX_ORDER - 1 : Long.numberOfTrailingZeros(s));
                while (s + (1L << order) > runEnd) {
                    order--;
                }
                freePagesCore(allocator, (int) s, order);
                s += 1L << order;
            }
            pfn = runEnd;
        }
    }

    private static boolean lowmemZone(Zone z) {
        return z.type != ZoneType.HIGHMEM && z.type != ZoneType.MOVABLE && z.type != ZoneType.DEVICE;
    }

    /**
     * {@code is_highmem()}: HighMem, and Movable when movable_zone is HighMem (i386 with a populated
     * HighMem: {@code find_usable_zone_for_movable()} picks the highest populated zone).
     */
    private static boolean isHighmem(Zone z, Zone[] zones) {
        if (z.type == ZoneType.HIGHMEM) {
            return true;
        }
        if (z.type == ZoneType.MOVABLE) {
            for (Zone h : zones) {
                if (h.type == ZoneType.HIGHMEM && h.spannedPages > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code nr_free_zone_pages(gfp_zone(GFP_USER))}, mm/page_alloc.c: Σ (managed − high) over the
     * zones up to ZONE_NORMAL, where managed exceeds high.
     */
    private static long nrFreeBufferPages(Zone[] zones) {
        long sum = 0;
        for (Zone z : zones) {
            if (!lowmemZone(z)) {
                continue;
            }
            long high = z.highWmark();
            if (z.managedPages > high) {
                sum += z.managedPages - high;
            }
        }
        return sum;
    }

    private static long totalramPages(Zone[] zones) {
        long n = 0;
        for (Zone z : zones) {
            n += z.managedPages;
        }
        return n;
    }

    /** {@code calculate_min_free_kbytes()}, mm/page_alloc.c:8834 [61]: int_sqrt(lowmem_kbytes × 16), clamped. */
    static int calculateMinFreeKbytes(Zone[] zones) {
        return Watermarks.minFreeKbytes(nrFreeBufferPages(zones) * 4, Linux61.MIN_FREE_KBYTES_MAX);
    }

    /**
     * {@code set_recommended_min_free_kbytes()}, mm/khugepaged.c:2511 [61], over the populated
     * zones up to Normal ({@link Watermarks#recommendedMinFreeKbytes}).
     */
    static long recommendedMinFreeKbytes(Zone[] zones, int pageblockOrder) {
        long nrZones = 0;
        for (Zone z : zones) {
            if (z.managedPages > 0 && lowmemZone(z)) { // populated, zone_idx <= gfp_zone(GFP_USER)
                nrZones++;
            }
        }
        return Watermarks.recommendedMinFreeKbytes(nrZones, pageblockOrder, nrFreeBufferPages(zones));
    }

    /**
     * {@code __setup_per_zone_wmarks()}, mm/page_alloc.c:8723 [61]: min is the zone's share of
     * min_free_kbytes over the lowmem zones' managed pages (HighMem: managed/1024 within [32, 128]);
     * the gaps min→low→high are max(tmp/4, managed × watermark_scale_factor / 10000); boost reset.
     */
    static void setupPerZoneWmarks(Zone[] zones, int minFreeKbytes, int watermarkScaleFactor) {
        long pagesMin = minFreeKbytes >> (12 - 10);
        long lowmemPages = 0;
        for (Zone z : zones) {
            if (!isHighmem(z, zones)) {
                lowmemPages += z.managedPages;
            }
        }
        for (Zone z : zones) {
            long tmp = Watermarks.zoneShare(pagesMin, z.managedPages, lowmemPages);
            long min = isHighmem(z, zones) ? Watermarks.highmemMin(z.managedPages) : tmp;
            System.arraycopy(Watermarks.scaleFactorGaps(min, tmp, z.managedPages, watermarkScaleFactor), 0,
                    z.watermark, 0, 3);
            z.watermarkBoost = 0;
        }
    }

    /**
     * {@code setup_per_zone_lowmem_reserve()}, mm/page_alloc.c:8694 [61] (5.15+): lowmem_reserve[j]
     * of a lower zone i = Σ managed of zones i+1 … j / ratio[i]; 0 when the ratio is 0 or zone i
     * has no managed pages.
     */
    static void setupPerZoneLowmemReserve(Zone[] zones, int[] ratio) {
        Watermarks.setupPerZoneLowmemReserve(zones, managedPages(zones), ratio,
                Watermarks.LowmemReserveRule.EMPTY_ZONE_RESERVES_NOTHING);
    }

    /** {@code calculate_totalreserve_pages()}, mm/page_alloc.c:8653 [61]: sizes are managed pages. */
    static long calculateTotalreservePages(Zone[] zones) {
        return Watermarks.totalreservePages(zones, managedPages(zones));
    }

    private static long[] managedPages(Zone[] zones) {
        long[] sizes = new long[zones.length];
        for (Zone z : zones) {
            sizes[z.idx] = z.managedPages;
        }
        return sizes;
    }

    /**
     * {@code zone_pcp_update()} → {@code zone_set_pageset_high_and_batch()}, mm/page_alloc.c [61]:
     * {@code zone_batchsize()} with 5.14's 1 MiB cap, {@code zone_highsize()}.
     */
    static void zonePcpUpdate(Zone zone, int cpus) {
        int batch = Math.max(1, PcpSizing.zoneBatchsize(zone.managedPages, 4096, PcpSizing.BATCH_CAP_1M));
        int high = PcpSizing.zoneHighsize(zone.lowWmark(), batch, cpus);
        for (PerCpuPages p : zone.pcp) {
            p.pagesetUpdate(high, batch);
        }
    }
}
