package dev.pagealloc.layout;

import static dev.pagealloc.mem.MemMapDescriptor.PS_NOMAP;
import static dev.pagealloc.mem.MemMapDescriptor.PS_RESERVED;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RESERVE;

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
 * Boots a {@link MachineLayout} the way 2.6.32 does between {@code paging_init()} and the end of
 * {@code init_per_zone_wmark_min()}: zone spans, the memmap, present pages, freeing every
 * non-reserved RAM page into the buddy lists, min_free_kbytes, watermarks with the
 * MIGRATE_RESERVE blocks, lowmem_reserve, and the per-CPU pagesets.
 */
public final class Boot {
    private Boot() {}

    /** Boots without emulated RAM contents (metadata only). */
    public static Machine boot(MachineLayout layout, KernelProfile profile) {
        return boot(layout, profile, false);
    }

    /**
     * Boots the machine.
     *
     * @param withPhysMem also map the emulated RAM (MAP_NORESERVE), for __GFP_ZERO and integrity
     */
    public static Machine boot(MachineLayout layout, KernelProfile profile, boolean withPhysMem) {
        Arena arena = Arena.ofShared();
        try {
            return bootIn(arena, layout, profile, withPhysMem);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Machine bootIn(Arena arena, MachineLayout layout, KernelProfile profile,
            boolean withPhysMem) {
        if (profile.isModern()) {
            return Boot61.bootIn(arena, layout, profile, withPhysMem);
        }
        Arch arch = layout.arch();
        int pageblockOrder = arch.pageblockOrder;
        long maxPfn = layout.maxPfn();
        // The memmap covers whole MAX_ORDER blocks so buddy pfns never leave it.
        long memmapPages = (maxPfn + (1 << (Zone.MAX_ORDER - 1)) - 1) & ~((1L << (Zone.MAX_ORDER - 1)) - 1);
        MemMap mm = new MemMap(arena, memmapPages, pageblockOrder);
        PhysMem phys = withPhysMem ? PhysMem.allocate(memmapPages, arena) : null;

        // ---- paging_init() / zone_sizes_init(): the highest pfn of each zone
        int nz = arch.maxNrZones();
        long[] maxZonePfn = new long[nz];
        long maxLowPfn = layout.maxLowPfn() > 0 ? layout.maxLowPfn() : profile.defaultMaxLowPfn(arch);
        for (int i = 0; i < nz; i++) {
            ZoneType t = arch.zoneType(i);
            maxZonePfn[i] = switch (t) {
                case DMA -> 16L << (20 - 12); // MAX_DMA_PFN
                case DMA32 -> 4L << (30 - 12); // MAX_DMA32_PFN
                case NORMAL -> arch == Arch.X86_64 ? maxPfn : Math.min(maxPfn, maxLowPfn);
                case HIGHMEM -> maxPfn;
                case MOVABLE, DEVICE -> 0; // no kernelcore=/movablecore=
            };
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
        int sizeofPage = profile.sizeofStructPage(arch);
        for (Zone z : zones) {
            long size = z.spannedPages;
            long absent = size - ramPagesIn(layout, z.zoneStartPfn, z.zoneEndPfn());
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
        int sectionBits = layout.sectionBits();
        for (Zone z : zones) {
            for (long pfn = z.zoneStartPfn; pfn < z.zoneEndPfn(); pfn++) {
                if (!pfnValid(layout, pfn, sectionBits)) {
                    continue;
                }
                mm.initPage((int) pfn, z.idx, PS_RESERVED);
                if ((pfn & ((1L << pageblockOrder) - 1)) == 0) {
                    mm.setPageblockMigratetype(pfn, MIGRATE_MOVABLE.ordinal());
                }
            }
        }

        // ---- zone_pcp_init(): with CONFIG_NUMA every zone starts on the boot pageset
        // (high 0, batch 1), so every page freed during boot goes straight back to the buddy.
        for (Zone z : zones) {
            z.pcp = new PerCpuPages[layout.cpus()];
            for (int cpu = 0; cpu < layout.cpus(); cpu++) {
                PerCpuPages p = new PerCpuPages();
                p.setupPageset(profile.numa ? 0 : zoneBatchsize(z));
                z.pcp[cpu] = p;
            }
        }

        // build_all_zonelists(): too small a machine to group pages by mobility. vm_total_pages is
        // nr_free_pagecache_pages(), i.e. Σ present while the watermarks are still 0.
        long totalPages = 0;
        for (Zone z : zones) {
            totalPages += z.presentPages;
        }
        boolean mobilityDisabled = totalPages < (1L << pageblockOrder) * MigrateType.MIGRATE_TYPES;
        Buddy buddy = new Buddy(mm, pageblockOrder, profile.fallbacks, mobilityDisabled);
        PageAllocator allocator = new PageAllocator(profile, arch, mm, buddy, zones, phys);

        // ---- mem_init(): free_all_bootmem() for lowmem, then highmem page by page
        freeAllBootmem(layout, zones, mm, allocator);

        // ---- init_per_zone_wmark_min()
        long lowmemKbytes = nrFreeBufferPages(zones) * 4;
        int minFreeKbytes = (int) intSqrt(lowmemKbytes * 16);
        minFreeKbytes = Math.max(profile.minFreeKbytesMin, Math.min(profile.minFreeKbytesMax, minFreeKbytes));
        setupPerZoneWmarks(zones, minFreeKbytes, buddy, mm, layout);
        setupPerZoneLowmemReserve(zones, profile.lowmemReserveRatio(arch));
        for (Zone z : zones) {
            z.inactiveRatio = calculateZoneInactiveRatio(z);
        }
        long totalreserve = calculateTotalreservePages(zones);

        // ---- setup_per_cpu_pageset(): the real pagesets
        for (Zone z : zones) {
            if (!z.isPopulated()) {
                continue;
            }
            int batch = zoneBatchsize(z);
            int threshold = calculateThreshold(z, layout.cpus());
            for (PerCpuPages p : z.pcp) {
                p.setupPageset(batch);
                p.statThreshold = threshold;
            }
        }
        return new Machine(layout, profile, allocator, nodeStart, nodeEnd - nodeStart, minFreeKbytes,
                totalreserve, arena);
    }

    static long ramPagesIn(MachineLayout layout, long start, long end) {
        long n = 0;
        for (PfnRange r : layout.ram()) {
            long s = Math.max(r.start(), start);
            long e = Math.min(r.end(), end);
            if (e > s) {
                n += e - s;
            }
        }
        return n;
    }

    /**
     * {@code pfn_valid()} with SPARSEMEM: the pfn's section holds some RAM. Holes inside such a
     * section have a struct page (PageReserved); whole sections without RAM have none.
     */
    static boolean pfnValid(MachineLayout layout, long pfn, int sectionBits) {
        long s = (pfn >> sectionBits) << sectionBits;
        long e = s + (1L << sectionBits);
        for (PfnRange r : layout.ram()) {
            if (r.start() < e && r.end() > s) {
                return true;
            }
        }
        return false;
    }

    static boolean isReserved(MachineLayout layout, long pfn) {
        for (PfnRange r : layout.reserved()) {
            if (r.contains(pfn)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code free_all_bootmem_core()}, mm/bootmem.c: walks lowmem a word of the bootmem bitmap
     * (BITS_PER_LONG pages) at a time; a whole free, aligned word that is not the last one goes
     * back as one block of order ilog2(BITS_PER_LONG), otherwise page by page. Then highmem, page by
     * page ({@code add_highpages_with_active_regions()}, arch/x86/mm/init_32.c).
     */
    private static void freeAllBootmem(MachineLayout layout, Zone[] zones, MemMap mm,
            PageAllocator allocator) {
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
                word[off] = pfn < lowEnd && layout.isRam(pfn) && !isReserved(layout, pfn);
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
                if (!isReserved(layout, pfn)) {
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

    /** {@code int_sqrt()}, lib/int_sqrt.c: the floor of the square root. */
    public static long intSqrt(long x) {
        long r = (long) Math.sqrt((double) x);
        while (r * r > x) {
            r--;
        }
        while ((r + 1) * (r + 1) <= x) {
            r++;
        }
        return r;
    }

    /**
     * {@code setup_per_zone_wmarks()}, mm/page_alloc.c (2.6.32): min is the zone's share of
     * min_free_kbytes among lowmem zones (highmem: present/1024 clamped to [32, 128]); low and high
     * add a quarter and a half of that share. Ends with {@code setup_zone_migrate_reserve()}.
     */
    private static void setupPerZoneWmarks(Zone[] zones, int minFreeKbytes, Buddy buddy, MemMap mm,
            MachineLayout layout) {
        long pagesMin = minFreeKbytes >> 2;
        long lowmemPages = 0;
        for (Zone z : zones) {
            if (!z.isHighmem()) {
                lowmemPages += z.presentPages;
            }
        }
        for (Zone z : zones) {
            long tmp = pagesMin * z.presentPages / lowmemPages;
            if (z.isHighmem()) {
                long minPages = z.presentPages / 1024;
                if (minPages < 32) {
                    minPages = 32; // SWAP_CLUSTER_MAX
                }
                if (minPages > 128) {
                    minPages = 128;
                }
                z.watermark[0] = minPages;
            } else {
                z.watermark[0] = tmp;
            }
            z.watermark[1] = z.watermark[0] + (tmp >> 2);
            z.watermark[2] = z.watermark[0] + (tmp >> 1);
            setupZoneMigrateReserve(z, buddy, mm, layout);
        }
    }

    /**
     * {@code setup_zone_migrate_reserve()}, mm/page_alloc.c (2.6.32): the first
     * min(2, roundup(min, pageblock) / pageblock) MOVABLE pageblocks of the zone whose first page is
     * not PageReserved become
     * MIGRATE_RESERVE, their free pages moved to the reserve lists; surplus RESERVE blocks go back.
     */
    private static void setupZoneMigrateReserve(Zone zone, Buddy buddy, MemMap mm,
            MachineLayout layout) {
        int pageblockNr = 1 << buddy.pageblockOrder();
        long startPfn = zone.zoneStartPfn;
        long endPfn = startPfn + zone.spannedPages;
        long reserve = ((zone.minWmark() + pageblockNr - 1) / pageblockNr * pageblockNr)
                >> buddy.pageblockOrder();
        reserve = Math.min(2, reserve);
        for (long pfn = startPfn; pfn < endPfn; pfn += pageblockNr) {
            if (!pfnValid(layout, pfn, layout.sectionBits())) {
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
                buddy.moveFreepagesBlock(zone, (int) pfn, MIGRATE_RESERVE.ordinal());
                reserve--;
                continue;
            }
            if (blockMigratetype == MIGRATE_RESERVE.ordinal()) {
                buddy.setPageblockMigratetype((int) pfn, MIGRATE_MOVABLE.ordinal());
                buddy.moveFreepagesBlock(zone, (int) pfn, MIGRATE_MOVABLE.ordinal());
            }
        }
    }

    /**
     * {@code setup_per_zone_lowmem_reserve()}, mm/page_alloc.c: for each lower zone i below zone j,
     * lowmem_reserve[j] = Σ present of zones i+1 … j / ratio[i] (a ratio below 1 counts as 1).
     */
    private static void setupPerZoneLowmemReserve(Zone[] zones, int[] ratio) {
        for (int j = 0; j < zones.length; j++) {
            Zone zone = zones[j];
            long presentPages = zone.presentPages;
            zone.lowmemReserve[j] = 0;
            int idx = j;
            while (idx > 0) {
                idx--;
                if (ratio[idx] < 1) {
                    ratio[idx] = 1;
                }
                Zone lower = zones[idx];
                lower.lowmemReserve[j] = presentPages / ratio[idx];
                presentPages += lower.presentPages;
            }
        }
    }

    /** {@code calculate_totalreserve_pages()}, mm/page_alloc.c (2.6.32: sizes are present pages). */
    private static long calculateTotalreservePages(Zone[] zones) {
        return calculateTotalreservePages(zones, false);
    }

    /**
     * {@code calculate_totalreserve_pages()}, mm/page_alloc.c: Σ over zones of min(size, the largest
     * lowmem_reserve + high), size being managed ({@code managed}, 3.10+) or present pages.
     */
    static long calculateTotalreservePages(Zone[] zones, boolean managed) {
        long reserve = 0;
        for (Zone z : zones) {
            long max = 0;
            for (int j = z.idx; j < zones.length; j++) {
                max = Math.max(max, z.lowmemReserve[j]);
            }
            max += z.highWmark();
            reserve += Math.min(max, managed ? z.managedPages : z.presentPages);
        }
        return reserve;
    }

    /**
     * {@code zone_batchsize()}, mm/page_alloc.c (2.6.32): about a quarter of 1/1024 of the zone, at
     * most 512 KiB's worth, rounded so that batch + batch/2 is a power of two, minus one.
     */
    public static int zoneBatchsize(Zone zone) {
        return zoneBatchsize(zone.presentPages, 4096);
    }

    /** {@code zone_batchsize()} of a zone of {@code size} pages of {@code pageSize} bytes. */
    public static int zoneBatchsize(long size, long pageSize) {
        return zoneBatchsize(size, pageSize, 512 * 1024);
    }

    /**
     * {@code zone_batchsize()} with the era's cap on one batch: 512 KiB up to 5.13, 1 MiB from
     * 5.14 ({@code min(managed >> 10, SZ_1M / PAGE_SIZE)}).
     */
    static int zoneBatchsize(long size, long pageSize, long capBytes) {
        long batch = size / 1024;
        if (batch * pageSize > capBytes) {
            batch = capBytes / pageSize;
        }
        batch /= 4; // We effectively *= 4 below
        if (batch < 1) {
            batch = 1;
        }
        batch = Long.highestOneBit(batch + batch / 2) - 1;
        return (int) batch;
    }

    /** {@code calculate_threshold()}, mm/vmstat.c: the per-CPU vmstat drift allowed. */
    static int calculateThreshold(Zone zone, int onlineCpus) {
        long mem = zone.presentPages >> (27 - 12);
        int threshold = 2 * fls(onlineCpus) * (1 + fls(mem));
        return Math.min(threshold, 125);
    }

    /** {@code calculate_zone_inactive_ratio()}, mm/page_alloc.c. */
    static int calculateZoneInactiveRatio(Zone zone) {
        long gb = zone.presentPages >> (30 - 12);
        return gb != 0 ? (int) intSqrt(10 * gb) : 1;
    }

    static int fls(long x) {
        return 64 - Long.numberOfLeadingZeros(x);
    }
}
