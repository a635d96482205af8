package dev.pagealloc.layout;

import static dev.pagealloc.mem.MemMapDescriptor.PS_RESERVED;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;

import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.mmzone.ZoneType;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.profile.Arch;
import java.lang.foreign.Arena;
import java.util.function.Function;

/**
 * Boot steps every kernel here does the same way; each kernel's boot calls them in its own order
 * between its own steps.
 */
public final class BootSteps {
    private BootSteps() {}

    /**
     * Runs {@code boot} in a new shared arena, which will hold the machine's memmap and RAM and which
     * the machine closes; a boot that throws closes it at once.
     */
    public static Machine inNewArena(Function<Arena, Machine> boot) {
        Arena arena = Arena.ofShared();
        try {
            return boot.apply(arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** {@code MAX_DMA_PFN}, arch/x86/include/asm/dma.h: the ISA DMA limit, 16 MiB. */
    public static final long MAX_DMA_PFN = 16L << (20 - 12);
    /** {@code MAX_DMA32_PFN}, arch/x86/include/asm/dma.h: 4 GiB. */
    public static final long MAX_DMA32_PFN = 4L << (30 - 12);

    /**
     * {@code zone_sizes_init()}, arch/x86/mm/init.c: {@code max_zone_pfns[]} of one zone type, the
     * pfn it ends at before being clipped to the node; 0 for Movable and Device, which x86 does not
     * size (no {@code kernelcore=}/{@code movablecore=}, no device memory).
     */
    public static long maxZonePfn(ZoneType t, Arch arch, long maxPfn, long maxLowPfn) {
        return switch (t) {
            case DMA -> MAX_DMA_PFN;
            case DMA32 -> MAX_DMA32_PFN;
            case NORMAL -> arch == Arch.X86_64 ? maxPfn : Math.min(maxPfn, maxLowPfn);
            case HIGHMEM -> maxPfn;
            case MOVABLE, DEVICE -> 0;
        };
    }

    /**
     * {@code memmap_init_zone()}, mm/page_alloc.c (2.6.32; {@code memmap_init()} in 6.1): every valid
     * pfn of the zone's span gets its struct page, PageReserved, linked to the zone; every pageblock
     * starts MIGRATE_MOVABLE.
     */
    public static void memmapInitZone(MemMap mm, MachineLayout layout, Zone z) {
        long blockMask = (1L << mm.pageblockOrder()) - 1;
        for (long pfn = z.zoneStartPfn; pfn < z.zoneEndPfn(); pfn++) {
            if (!layout.pfnValid(pfn)) {
                continue;
            }
            mm.initPage((int) pfn, z.idx, PS_RESERVED);
            if ((pfn & blockMask) == 0) {
                mm.setPageblockMigratetype(pfn, MIGRATE_MOVABLE.ordinal());
            }
        }
    }

    /**
     * The per-CPU pagesets of every zone, {@code nrLists} empty lists each, with the boot pageset's
     * high 0 and batch 1 (every page freed during boot goes straight back to the buddy lists) until
     * the kernel sets the real ones.
     */
    public static void bootPagesets(Zone[] zones, int cpus, int nrLists) {
        for (Zone z : zones) {
            z.pcp = new PerCpuPages[cpus];
            for (int cpu = 0; cpu < cpus; cpu++) {
                PerCpuPages p = new PerCpuPages(nrLists);
                p.pagesetUpdate(0, 1);
                z.pcp[cpu] = p;
            }
        }
    }

    /**
     * {@code build_all_zonelists()}: {@code page_group_by_mobility_disabled} when the machine has
     * fewer pages than one pageblock per migratetype ({@code vm_total_pages}: Σ present while the
     * watermarks are still 0).
     */
    public static boolean mobilityDisabled(Zone[] zones, int pageblockOrder) {
        long totalPages = 0;
        for (Zone z : zones) {
            totalPages += z.presentPages;
        }
        return totalPages < (1L << pageblockOrder) * MigrateType.MIGRATE_TYPES;
    }
}
