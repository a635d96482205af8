package dev.pagealloc.kernel.v2_6_32;

import static dev.pagealloc.mem.MemMapDescriptor.PS_RESERVED;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RESERVE;

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
import dev.pagealloc.watermark.Watermarks;
import java.lang.foreign.Arena;

/**
 * Boots a {@link MachineLayout} the way 2.6.32 does between {@code paging_init()} and the end of
 * {@code init_per_zone_wmark_min()}: zone spans, the memmap, present pages, freeing every
 * non-reserved RAM page into the buddy lists, min_free_kbytes, watermarks with the
 * MIGRATE_RESERVE blocks, lowmem_reserve, and the per-CPU pagesets. The zone sizes every formula
 * reads are present pages (2.6.32 has no managed count).
 */
public final class Boot2632 {
    private Boot2632() {}

    /**
     * Boots {@code layout} with the parts of {@code kernel} (2.6.32's own, or those of a kernel
     * composed from it).
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

        // ---- paging_init() / zone_sizes_init(): the highest pfn of each zone
        int nz = arch.maxNrZones();
        long[] maxZonePfn = new long[nz];
        long maxLowPfn = layout.maxLowPfn() > 0 ? layout.maxLowPfn() : Linux2632.defaultMaxLowPfn(arch);
        for (int i = 0; i < nz; i++) {
            maxZonePfn[i] = BootSteps.maxZonePfn(arch.zoneType(i), arch, maxPfn, maxLowPfn);
        }

        // ---- free_area_init_nodes(): zone ranges, clipped to the node
        long nodeStart = layout.minPfn();
        long nodeEnd = maxPfn;
        Zone[] zones = new Zone[nz];
        long lowest = nodeStart;
        long zoneStart = nodeStart;
        for (int i = 0; i < nz; i++) {
            Zone z = new Zone(i, arch.zoneType(i), 0, nz);
            long highest = arch.zoneType(i) == ZoneType.MOVABLE ? lowest : Math.max(maxZonePfn[i], lowest);
            long s = Math.max(lowest, nodeStart);
            long e = Math.min(highest, nodeEnd);
            long spanned = e > s ? e - s : 0;
            z.zoneStartPfn = zoneStart;
            z.spannedPages = spanned;
            zoneStart += spanned;
            if (arch.zoneType(i) != ZoneType.MOVABLE) {
                lowest = highest;
            }
            zones[i] = z;
        }

        // ---- free_area_init_core(): present = spanned - absent - memmap estimate - dma_reserve
        int sizeofPage = Linux2632.sizeofStructPage(arch);
        for (Zone z : zones) {
            long size = z.spannedPages;
            long absent = size - layout.ramPagesIn(z.zoneStartPfn, z.zoneEndPfn());
            long realsize = size - absent;
            long memmap = ((size * sizeofPage) + 4095) >> 12;
            if (realsize >= memmap) {
                realsize -= memmap;
            }
            if (z.idx == 0 && realsize > layout.dmaReserve()) {
                realsize -= layout.dmaReserve();
            }
            z.presentPages = realsize;
            z.managedPages = realsize;
        }

        // ---- memmap_init_zone(): every valid pfn reserved, every pageblock MOVABLE
        for (Zone z : zones) {
            BootSteps.memmapInitZone(mm, layout, z);
        }

        // build_all_zonelists(): too small a machine to group pages by mobility.
        boolean mobilityDisabled = BootSteps.mobilityDisabled(zones, pageblockOrder);
        Buddy buddy = new Buddy(mm, pageblockOrder, mobilityDisabled, kernel.buddyPlacement());
        AllocContext ctx = new AllocContext(arch, mm, buddy, zones, kernel.gfp(), kernel.migratetypes(),
                kernel.watermarkCheck(), phys);
        // ---- zone_pcp_init(): with CONFIG_NUMA every zone starts on the boot pageset (high 0,
        // batch 1), so every page freed during boot goes straight back to the buddy.
        PcpPolicy pcp = kernel.pcpPolicy(ctx);
        BootSteps.bootPagesets(zones, layout.cpus(), pcp.nrLists());
        if (!kernel.features().numa()) {
            for (Zone z : zones) {
                setupPagesets(z, PcpSizing.zoneBatchsize(z.presentPages, 4096, PcpSizing.BATCH_CAP_512K));
            }
        }
        PageAllocator allocator = kernel.allocator(ctx, pcp);

        // ---- mem_init(): free_all_bootmem() for lowmem, then highmem page by page
        freeAllBootmem(layout, zones, allocator);

        // ---- init_per_zone_wmark_min()
        long lowmemKbytes = nrFreeBufferPages(zones) * 4;
        int minFreeKbytes = Watermarks.minFreeKbytes(lowmemKbytes, Linux2632.MIN_FREE_KBYTES_MAX);
        setupPerZoneWmarks(zones, minFreeKbytes, buddy, mm, layout);
        setupPerZoneLowmemReserve(zones, Linux2632.lowmemReserveRatio(arch));
        for (Zone z : zones) {
            z.inactiveRatio = calculateZoneInactiveRatio(z);
        }
        long totalreserve = calculateTotalreservePages(zones);

        // ---- setup_per_cpu_pageset(): the real pagesets
        for (Zone z : zones) {
            if (!z.isPopulated()) {
                continue;
            }
            setupPagesets(z, PcpSizing.zoneBatchsize(z.presentPages, 4096, PcpSizing.BATCH_CAP_512K));
            int threshold = PcpSizing.statThreshold(z.presentPages, layout.cpus());
            for (PerCpuPages p : z.pcp) {
                p.statThreshold = threshold;
            }
        }
        return new Machine(layout, kernel, allocator, nodeStart, nodeEnd - nodeStart, minFreeKbytes,
                totalreserve, arena);
    }

    /** {@code setup_pageset()}, mm/page_alloc.c (≤ 5.13) on every CPU's pageset of the zone. */
    private static void setupPagesets(Zone z, int batch) {
        for (PerCpuPages p : z.pcp) {
            p.count = 0;
            p.pagesetUpdate(PcpSizing.staticHigh(batch), Math.max(1, batch));
        }
    }

    /**
     * {@code free_all_bootmem_core()}, mm/bootmem.c: walks lowmem a word of the bootmem bitmap
     * (BITS_PER_LONG pages) at a time; a whole free, aligned word that is not the last one goes
     * back as one block of order ilog2(BITS_PER_LONG), otherwise page by page. Then highmem, page by
     * page ({@code add_highpages_with_active_regions()}, arch/x86/mm/init_32.c).
     */
    private static void freeAllBootmem(MachineLayout layout, Zone[] zones, PageAllocator allocator) {
        int bitsPerLong = layout.arch() == Arch.X86_64 ? 64 : 32;
        int wordOrder = Integer.numberOfTrailingZeros(bitsPerLong);
        long lowEnd = layout.maxPfn();
        for (Zone z : zones) {
            if (z.isHighmem() && z.spannedPages > 0) {
                lowEnd = Math.min(lowEnd, z.zoneStartPfn);
            }
        }
        // init_bootmem_node(…, 0, end_pfn): the bitmap starts at pfn 0 whatever RAM's first pfn is
        long start = 0;
        boolean aligned = true;
        boolean[] word = new boolean[bitsPerLong];
        while (start < lowEnd) {
            boolean all = true;
            for (int off = 0; off < bitsPerLong; off++) {
                long pfn = start + off;
                word[off] = pfn < lowEnd && layout.isRam(pfn) && !layout.isReserved(pfn);
                all &= word[off];
            }
            if (aligned && all && start + bitsPerLong < lowEnd) {
                allocator.freePagesBootmem((int) start, wordOrder, 0);
            } else {
                for (int off = 0; off < bitsPerLong; off++) {
                    if (word[off]) {
                        allocator.freePagesBootmem((int) (start + off), 0, 0);
                    }
                }
            }
            start += bitsPerLong;
        }
        for (PfnRange r : layout.ram()) {
            for (long pfn = Math.max(r.start(), lowEnd); pfn < r.end(); pfn++) {
                if (!layout.isReserved(pfn)) {
                    allocator.freePagesBootmem((int) pfn, 0, 0);
                }
            }
        }
    }

    /**
     * {@code nr_free_buffer_pages()} at boot, mm/page_alloc.c: Σ max(0, present − high) over the
     * zones up to ZONE_NORMAL; the high watermarks are still 0.
     */
    private static long nrFreeBufferPages(Zone[] zones) {
        long sum = 0;
        for (Zone z : zones) {
            if (z.type == ZoneType.HIGHMEM || z.type == ZoneType.MOVABLE) {
                continue;
            }
            sum += Math.max(0, z.presentPages - z.highWmark());
        }
        return sum;
    }

    /**
     * {@code setup_per_zone_wmarks()}, mm/page_alloc.c:4600 [2632]: min is the zone's share of
     * min_free_kbytes among lowmem zones (HighMem: present/1024 clamped to [32, 128]); low and high
     * add a quarter and a half of that share ({@link Watermarks}). Ends with
     * {@code setup_zone_migrate_reserve()}.
     */
    static void setupPerZoneWmarks(Zone[] zones, int minFreeKbytes, Buddy buddy, MemMap mm, MachineLayout layout) {
        long pagesMin = minFreeKbytes >> 2;
        long lowmemPages = 0;
        for (Zone z : zones) {
            if (!z.isHighmem()) {
                lowmemPages += z.presentPages;
            }
        }
        for (Zone z : zones) {
            long tmp = Watermarks.zoneShare(pagesMin, z.presentPages, lowmemPages);
            long min = z.isHighmem() ? Watermarks.highmemMin(z.presentPages) : tmp;
            System.arraycopy(Watermarks.quarterHalfGaps(min, tmp), 0, z.watermark, 0, 3);
            setupZoneMigrateReserve(z, buddy, mm, layout);
        }
    }

    /**
     * {@code setup_zone_migrate_reserve()}, mm/page_alloc.c:2885 [2632]: the first
     * min(2, roundup(min, pageblock) / pageblock) MOVABLE pageblocks of the zone whose first page is
     * not PageReserved become MIGRATE_RESERVE, their free pages moved to the reserve lists; surplus
     * RESERVE blocks go back.
     */
    private static void setupZoneMigrateReserve(Zone zone, Buddy buddy, MemMap mm, MachineLayout layout) {
        int pageblockNr = 1 << buddy.pageblockOrder();
        long startPfn = zone.zoneStartPfn;
        long endPfn = startPfn + zone.spannedPages;
        long reserve = ((zone.minWmark() + pageblockNr - 1) / pageblockNr * pageblockNr) >> buddy.pageblockOrder();
        reserve = Math.min(2, reserve);
        for (long pfn = startPfn; pfn < endPfn; pfn += pageblockNr) {
            if (!layout.pfnValid(pfn)) {
                continue;
            }
            // Blocks with reserved pages will never free, skip them (only the first page is
            // looked at: a block whose head is free but which holds reserved pages still counts).
            if (mm.state((int) pfn) == PS_RESERVED) {
                continue;
            }
            int blockMigratetype = mm.pageblockMigratetype(pfn);
            if (reserve > 0 && blockMigratetype == MIGRATE_RESERVE.ordinal()) {
                reserve--;
                continue;
            }
            if (reserve > 0 && blockMigratetype == MIGRATE_MOVABLE.ordinal()) {
                buddy.setPageblockMigratetype((int) pfn, MIGRATE_RESERVE.ordinal());
                Rmqueue2632.moveFreepagesBlock(buddy, zone, (int) pfn, MIGRATE_RESERVE.ordinal());
                reserve--;
                continue;
            }
            if (blockMigratetype == MIGRATE_RESERVE.ordinal()) {
                buddy.setPageblockMigratetype((int) pfn, MIGRATE_MOVABLE.ordinal());
                Rmqueue2632.moveFreepagesBlock(buddy, zone, (int) pfn, MIGRATE_MOVABLE.ordinal());
            }
        }
    }

    /**
     * {@code setup_per_zone_lowmem_reserve()}, mm/page_alloc.c:4560 [2632]: for each lower zone i
     * below zone j, lowmem_reserve[j] = Σ present of zones i+1 … j / ratio[i] (a ratio below 1 is
     * raised to 1).
     */
    static void setupPerZoneLowmemReserve(Zone[] zones, int[] ratio) {
        Watermarks.setupPerZoneLowmemReserve(zones, presentPages(zones), ratio,
                Watermarks.LowmemReserveRule.RATIO_AT_LEAST_ONE);
    }

    /** {@code calculate_totalreserve_pages()}, mm/page_alloc.c:4526 [2632]: sizes are present pages. */
    static long calculateTotalreservePages(Zone[] zones) {
        return Watermarks.totalreservePages(zones, presentPages(zones));
    }

    private static long[] presentPages(Zone[] zones) {
        long[] sizes = new long[zones.length];
        for (Zone z : zones) {
            sizes[z.idx] = z.presentPages;
        }
        return sizes;
    }

    /** {@code calculate_zone_inactive_ratio()}, mm/page_alloc.c [2632]. */
    static int calculateZoneInactiveRatio(Zone zone) {
        long gb = zone.presentPages >> (30 - 12);
        return gb != 0 ? (int) Watermarks.intSqrt(10 * gb) : 1;
    }
}
