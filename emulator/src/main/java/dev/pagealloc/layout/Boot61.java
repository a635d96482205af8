package dev.pagealloc.layout;

import static dev.pagealloc.mem.MemMapDescriptor.PS_RESERVED;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;

import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.buddy.Buddy;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.PhysMem;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.mmzone.ZoneType;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.KernelProfile;
import java.lang.foreign.Arena;

/**
 * Boots a {@link MachineLayout} the way 6.1 does: zone spans ({@code free_area_init()}), present =
 * spanned − holes, every RAM page that memblock does not keep freed into the buddy lists
 * ({@code memblock_free_all()}: managed), min_free_kbytes ({@code init_per_zone_wmark_min()},
 * postcore), khugepaged's raise ({@code set_recommended_min_free_kbytes()}), watermarks with
 * watermark_scale_factor, lowmem_reserve, per-CPU high and batch ({@code zone_pcp_update()}); then
 * the late frees (initrd, init sections), which add to managed after the watermarks were set.
 *
 * <p>The order matters and the oracle captures show it: every real 6.1 boot's min/low/high, pcp
 * high and lowmem_reserve are computed from managed <em>without</em> the late-freed pages. One odd
 * thing on top: {@code lowmem_reserve_ratio_sysctl_handler()} recomputes lowmem_reserve on every
 * access, reads included, so once anything reads /proc/sys/vm/lowmem_reserve_ratio (the oracle's
 * init script does, as would {@code sysctl -a}) protection follows the final managed counts while
 * the watermarks do not: {@link #lowmemReserveRatioSysctlHandler}.
 */
public final class Boot61 {
    private Boot61() {}

    /** SWAP_CLUSTER_MAX, the smallest HighMem min watermark. */
    private static final long SWAP_CLUSTER_MAX = 32;

    static Machine bootIn(Arena arena, MachineLayout layout, KernelProfile profile, boolean withPhysMem) {
        Arch arch = layout.arch();
        int pageblockOrder = arch.pageblockOrder;
        long maxPfn = layout.maxPfn();
        long memmapPages = (maxPfn + (1 << (Zone.MAX_ORDER - 1)) - 1) & ~((1L << (Zone.MAX_ORDER - 1)) - 1);
        MemMap mm = new MemMap(arena, memmapPages, pageblockOrder);
        PhysMem phys = withPhysMem ? PhysMem.allocate(memmapPages, arena) : null;

        // ---- zone_sizes_init(): max_zone_pfns; ZONE_DEVICE is an empty zone after Movable
        int nzArch = arch.maxNrZones();
        // ZONE_DEVICE needs 64-bit (CONFIG_ZONE_DEVICE depends on MEMORY_HOTPLUG, x86_64 only)
        int nz = nzArch + (profile.hasZoneDevice() && arch == Arch.X86_64 ? 1 : 0);
        long maxLowPfn = layout.maxLowPfn() > 0 ? layout.maxLowPfn() : profile.defaultMaxLowPfn(arch);
        long nodeStart = layout.minPfn();
        long nodeEnd = maxPfn;
        Zone[] zones = new Zone[nz];
        long lowest = nodeStart;
        long zoneStart = nodeStart;
        for (int i = 0; i < nz; i++) {
            ZoneType t = i < nzArch ? arch.zoneType(i) : ZoneType.DEVICE;
            long highest = switch (t) {
                case DMA -> 16L << (20 - 12); // MAX_DMA_PFN
                case DMA32 -> 4L << (30 - 12); // MAX_DMA32_PFN
                case NORMAL -> arch == Arch.X86_64 ? maxPfn : Math.min(maxPfn, maxLowPfn);
                case HIGHMEM -> maxPfn;
                case MOVABLE, DEVICE -> lowest; // no kernelcore=/movablecore=; no device memory
            };
            highest = Math.max(highest, lowest);
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
            long ram = z.spannedPages == 0 ? 0 : Boot.ramPagesIn(layout, z.zoneStartPfn, z.zoneEndPfn());
            z.presentPages = ram;
        }

        // ---- memmap_init(): every pfn of the zone's span reserved, every pageblock MOVABLE
        for (Zone z : zones) {
            for (long pfn = z.zoneStartPfn; pfn < z.zoneEndPfn(); pfn++) {
                if (!Boot.pfnValid(layout, pfn, layout.sectionBits())) {
                    continue;
                }
                mm.initPage((int) pfn, z.idx, PS_RESERVED);
                if ((pfn & ((1L << pageblockOrder) - 1)) == 0) {
                    mm.setPageblockMigratetype(pfn, MIGRATE_MOVABLE.ordinal());
                }
            }
        }

        // ---- setup_zone_pageset(): boot pagesets (high 0, batch 1) until zone_pcp_update()
        for (Zone z : zones) {
            z.pcp = new PerCpuPages[layout.cpus()];
            for (int cpu = 0; cpu < layout.cpus(); cpu++) {
                PerCpuPages p = new PerCpuPages(PerCpuPages.NR_PCP_LISTS_61);
                p.pagesetUpdate(0, 1);
                z.pcp[cpu] = p;
            }
        }

        // build_all_zonelists(): page_group_by_mobility_disabled on tiny machines
        long totalPages = 0;
        for (Zone z : zones) {
            totalPages += z.presentPages;
        }
        boolean mobilityDisabled = totalPages < (1L << pageblockOrder) * MigrateType.MIGRATE_TYPES;
        Buddy buddy = new Buddy(mm, pageblockOrder, profile.fallbacks, mobilityDisabled);
        buddy.setModern(true);
        PageAllocator allocator = new PageAllocator(profile, arch, mm, buddy, zones, phys);

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
        int minFreeKbytes = calculateMinFreeKbytes(zones, profile);
        setupPerZoneWmarks(zones, minFreeKbytes, profile, arch);
        setupPerZoneLowmemReserve(zones, profile.lowmemReserveRatio(arch));
        // ---- hugepage_init() (subsys_initcall; THP stays off below 512 MiB) →
        // start_stop_khugepaged() → set_recommended_min_free_kbytes(), which since "mm: khugepaged:
        // recalculate min_free_kbytes after stopping khugepaged" (bd3400ea, in 6.1) runs whatever
        // the THP mode: with khugepaged off it recomputes the sqrt default, now that the first
        // pass's high watermarks shrink nr_free_buffer_pages(); with it on it raises min_free_kbytes
        // to the recommendation. Both end in setup_per_zone_wmarks().
        if (profile.modern.thp() && totalramPages(zones) >= (512L << (20 - 12))) {
            if (layout.thp().khugepagedEnabled()) {
                long recommended = recommendedMinFreeKbytes(zones, pageblockOrder);
                if (recommended > minFreeKbytes) {
                    minFreeKbytes = (int) recommended;
                }
            } else {
                minFreeKbytes = calculateMinFreeKbytes(zones, profile);
            }
            setupPerZoneWmarks(zones, minFreeKbytes, profile, arch);
        }
        for (Zone z : zones) {
            zonePcpUpdate(z, layout.cpus());
        }

        // ---- populate_rootfs() frees the initrd; kernel_init() frees the init sections. managed
        // grows; the watermarks, pcp high and lowmem_reserve stay as computed.
        for (PfnRange r : layout.lateFreed()) {
            for (long pfn = r.start(); pfn < r.end(); pfn++) {
                if (layout.isRam(pfn) && !Boot.isReserved(layout, pfn)) {
                    allocator.freePagesCore((int) pfn, 0);
                    zones[mm.zoneIdx((int) pfn)].managedPages++;
                }
            }
        }
        // lowmem_reserve keeps the postcore counts until something touches the sysctl (see
        // lowmemReserveRatioSysctlHandler).
        long totalreserve = Boot.calculateTotalreservePages(zones, true);
        for (Zone z : zones) {
            int threshold = calculateNormalThreshold(z, layout.cpus());
            for (PerCpuPages p : z.pcp) {
                p.statThreshold = threshold;
            }
        }
        return new Machine(layout, profile, allocator, nodeStart, nodeEnd - nodeStart, minFreeKbytes,
                totalreserve, arena);
    }

    /**
     * {@code lowmem_reserve_ratio_sysctl_handler()}, mm/page_alloc.c (6.1): any read or write of
     * /proc/sys/vm/lowmem_reserve_ratio runs {@code setup_per_zone_lowmem_reserve()} (there is no
     * {@code if (write)} guard), so protection is recomputed from the current managed counts.
     */
    public static void lowmemReserveRatioSysctlHandler(Machine m) {
        setupPerZoneLowmemReserve(m.zones, m.profile.lowmemReserveRatio(m.layout.arch()));
    }

    private static boolean keptAtFreeAll(MachineLayout layout, long pfn) {
        if (Boot.isReserved(layout, pfn)) {
            return true;
        }
        for (PfnRange r : layout.lateFreed()) {
            if (r.contains(pfn)) {
                return true;
            }
        }
        return false;
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
                allocator.freePagesCore((int) s, order);
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
            long high = z.watermark[2] + z.watermarkBoost;
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

    /** {@code calculate_min_free_kbytes()}, mm/page_alloc.c (6.1): int_sqrt(lowmem_kbytes × 16), clamped. */
    static int calculateMinFreeKbytes(Zone[] zones, KernelProfile profile) {
        long lowmemKbytes = nrFreeBufferPages(zones) * 4;
        long newMin = Boot.intSqrt(lowmemKbytes * 16);
        return (int) Math.max(profile.minFreeKbytesMin, Math.min(profile.minFreeKbytesMax, newMin));
    }

    /**
     * {@code set_recommended_min_free_kbytes()}, mm/khugepaged.c (6.1): two free pageblocks per
     * zone up to Normal, plus MIGRATE_PCPTYPES² per zone for fallbacks, at most 5% of lowmem, in kB.
     */
    static long recommendedMinFreeKbytes(Zone[] zones, int pageblockOrder) {
        long nrZones = 0;
        for (Zone z : zones) {
            if (z.managedPages > 0 && lowmemZone(z)) { // populated, zone_idx <= gfp_zone(GFP_USER)
                nrZones++;
            }
        }
        long pageblockNr = 1L << pageblockOrder;
        long recommended = pageblockNr * nrZones * 2;
        recommended += pageblockNr * nrZones * MigrateType.MIGRATE_PCPTYPES * MigrateType.MIGRATE_PCPTYPES;
        recommended = Math.min(recommended, nrFreeBufferPages(zones) / 20);
        return recommended << (12 - 10);
    }

    /**
     * {@code __setup_per_zone_wmarks()}, mm/page_alloc.c (6.1): min is the zone's share of
     * min_free_kbytes over the lowmem zones' managed pages (HighMem: managed/1024 within [32, 128]);
     * the gaps min→low→high are max(tmp/4, managed × watermark_scale_factor / 10000); boost reset.
     */
    static void setupPerZoneWmarks(Zone[] zones, int minFreeKbytes, KernelProfile profile, Arch arch) {
        long pagesMin = minFreeKbytes >> (12 - 10);
        long lowmemPages = 0;
        for (Zone z : zones) {
            if (!isHighmem(z, zones)) {
                lowmemPages += z.managedPages;
            }
        }
        for (Zone z : zones) {
            long tmp = lowmemPages == 0 ? 0 : pagesMin * z.managedPages / lowmemPages;
            if (isHighmem(z, zones)) {
                long minPages = z.managedPages / 1024;
                minPages = Math.max(SWAP_CLUSTER_MAX, Math.min(128, minPages));
                z.watermark[0] = minPages;
            } else {
                z.watermark[0] = tmp;
            }
            // mult_frac(zone_managed_pages(zone), watermark_scale_factor, 10000)
            long scale = profile.modern.watermarkScaleFactor();
            long frac = (z.managedPages / 10000) * scale + (z.managedPages % 10000) * scale / 10000;
            tmp = Math.max(tmp >> 2, frac);
            z.watermarkBoost = 0;
            z.watermark[1] = z.watermark[0] + tmp;
            z.watermark[2] = z.watermark[1] + tmp;
        }
    }

    /**
     * {@code setup_per_zone_lowmem_reserve()}, mm/page_alloc.c (5.15+): lowmem_reserve[j] of a lower
     * zone i = Σ managed of zones i+1 … j / ratio[i]; 0 when the ratio is 0 or zone i has no
     * managed pages.
     */
    static void setupPerZoneLowmemReserve(Zone[] zones, int[] ratio) {
        for (int i = 0; i < zones.length; i++) {
            Zone zone = zones[i];
            int r = i < ratio.length ? ratio[i] : 0;
            boolean clear = r == 0 || zone.managedPages == 0;
            long managed = 0;
            zone.lowmemReserve[i] = 0;
            for (int j = i + 1; j < zones.length; j++) {
                managed += zones[j].managedPages;
                zone.lowmemReserve[j] = clear ? 0 : managed / r;
            }
        }
    }

    /**
     * {@code zone_batchsize()}, mm/page_alloc.c (5.14+): a quarter of 1/1024 of the zone, at most
     * 1 MiB's worth, rounded so that batch + batch/2 is a power of two, minus one.
     */
    public static int zoneBatchsize(long managed) {
        return Boot.zoneBatchsize(managed, 4096, 1024 * 1024);
    }

    /**
     * {@code zone_highsize()}, mm/page_alloc.c (6.1): the low watermark split over the node's CPUs,
     * at least 4 × batch.
     */
    public static int zoneHighsize(Zone zone, int batch, int cpus) {
        long total = zone.lowWmark();
        long high = total / cpus;
        return (int) Math.max(high, (long) batch << 2);
    }

    /** {@code zone_pcp_update()} → {@code zone_set_pageset_high_and_batch()}, mm/page_alloc.c (6.1). */
    static void zonePcpUpdate(Zone zone, int cpus) {
        int batch = Math.max(1, zoneBatchsize(zone.managedPages));
        int high = zoneHighsize(zone, batch, cpus);
        for (PerCpuPages p : zone.pcp) {
            p.pagesetUpdate(high, batch);
        }
    }

    /** {@code calculate_normal_threshold()}, mm/vmstat.c: the per-CPU vmstat drift allowed. */
    static int calculateNormalThreshold(Zone zone, int onlineCpus) {
        long mem = zone.managedPages >> (27 - 12);
        int threshold = 2 * Boot.fls(onlineCpus) * (1 + Boot.fls(mem));
        return Math.min(threshold, 125);
    }
}
