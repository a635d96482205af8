package dev.pagealloc.profile;

import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RECLAIMABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RESERVE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_UNMOVABLE;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.ZoneWatermarkOk2632;

/**
 * One kernel version's behaviour as data plus strategy objects (DESIGN §2): callers ask the
 * profile, never test a version number. Values per version are from kernel-spec.md §11.
 */
public final class KernelProfile {
    private static final int U = MIGRATE_UNMOVABLE.ordinal();
    private static final int E = MIGRATE_RECLAIMABLE.ordinal();
    private static final int M = MIGRATE_MOVABLE.ordinal();
    private static final int R = MIGRATE_RESERVE.ordinal();

    /**
     * Linux 2.6.32 (checked against 2.6.32.69), distro configuration: CONFIG_NUMA=y with one node,
     * SPARSEMEM_VMEMMAP, HUGETLB_PAGE, no THP, no compaction, no CMA.
     */
    public static final KernelProfile V2_6_32 =
            new KernelProfile(
                    "2.6.32",
                    GfpBits.V2_6_32,
                    56,
                    32,
                    128,
                    65536,
                    new int[] {256, 256, 32},
                    new int[] {256, 32, 32},
                    // fallbacks[MIGRATE_TYPES][MIGRATE_TYPES-1]: three initialisers for four
                    // columns, so C fills the fourth with 0 (MIGRATE_UNMOVABLE).
                    new int[][] {{E, M, R, 0}, {U, M, R, 0}, {E, U, R, 0}, {R, R, R, 0}, {0, 0, 0, 0}},
                    ZoneWatermarkOk2632.INSTANCE,
                    true,
                    // i386 max_low_pfn: the PAE value is the dmesg example of spec §2.2 (0x377fe);
                    // non-PAE has a 4 MiB pkmap area instead of 2 MiB, 1024 pages less lowmem, as
                    // the Debian 6.1 i386 and i386-pae oracle captures differ (224254 vs 225278).
                    227326 - 1024,
                    227326);

    public final String name;
    /** The GFP layout of this kernel: names, composites and the era's rules. */
    public final GfpBits gfp;
    // Bits the allocator's hot paths test, resolved once from the layout (0 where the era lacks one).
    /** {@code __GFP_ZERO}. */
    public final int gfpZero;
    /** {@code __GFP_COLD} (gone in 4.15). */
    public final int gfpCold;
    /** {@code __GFP_HARDWALL}. */
    public final int gfpHardwall;
    /** {@code GFP_THISNODE} with CONFIG_NUMA: THISNODE | NOWARN | NORETRY (2.6.32 … 4.x). */
    public final int gfpThisnode;
    private final int sizeofStructPage64;
    private final int sizeofStructPage32;
    public final int minFreeKbytesMin;
    public final int minFreeKbytesMax;
    private final int[] lowmemReserveRatio64;
    private final int[] lowmemReserveRatio32;
    /** {@code fallbacks[][]} of mm/page_alloc.c, indexed by migratetype value. */
    public final int[][] fallbacks;
    public final WatermarkCheck watermarkCheck;
    /** CONFIG_NUMA: boot pagesets drain at once; zoneinfo prints the numa_* items. */
    public final boolean numa;
    private final long defaultMaxLowPfnI386;
    private final long defaultMaxLowPfnPae;

    private KernelProfile(
            String name,
            GfpBits gfp,
            int sizeofStructPage64,
            int sizeofStructPage32,
            int minFreeKbytesMin,
            int minFreeKbytesMax,
            int[] lowmemReserveRatio64,
            int[] lowmemReserveRatio32,
            int[][] fallbacks,
            WatermarkCheck watermarkCheck,
            boolean numa,
            long defaultMaxLowPfnI386,
            long defaultMaxLowPfnPae) {
        this.name = name;
        this.gfp = gfp;
        this.gfpZero = gfp.bit("__GFP_ZERO");
        this.gfpCold = gfp.bit("__GFP_COLD");
        this.gfpHardwall = gfp.bit("__GFP_HARDWALL");
        this.gfpThisnode = gfp.bit("__GFP_THISNODE") | gfp.bit("__GFP_NOWARN") | gfp.bit("__GFP_NORETRY");
        this.sizeofStructPage64 = sizeofStructPage64;
        this.sizeofStructPage32 = sizeofStructPage32;
        this.minFreeKbytesMin = minFreeKbytesMin;
        this.minFreeKbytesMax = minFreeKbytesMax;
        this.lowmemReserveRatio64 = lowmemReserveRatio64;
        this.lowmemReserveRatio32 = lowmemReserveRatio32;
        this.fallbacks = fallbacks;
        this.watermarkCheck = watermarkCheck;
        this.numa = numa;
        this.defaultMaxLowPfnI386 = defaultMaxLowPfnI386;
        this.defaultMaxLowPfnPae = defaultMaxLowPfnPae;
    }

    /** {@code sizeof(struct page)}, for the memmap estimate 2.6.32 subtracts from present. */
    public int sizeofStructPage(Arch arch) {
        return arch == Arch.X86_64 ? sizeofStructPage64 : sizeofStructPage32;
    }

    /** {@code sysctl_lowmem_reserve_ratio[]}, indexed by the lower zone. */
    public int[] lowmemReserveRatio(Arch arch) {
        return (arch == Arch.X86_64 ? lowmemReserveRatio64 : lowmemReserveRatio32).clone();
    }

    /** {@code max_low_pfn} when the machine does not say. */
    public long defaultMaxLowPfn(Arch arch) {
        return switch (arch) {
            case I386 -> defaultMaxLowPfnI386;
            case I386_PAE -> defaultMaxLowPfnPae;
            case X86_64 -> Long.MAX_VALUE;
        };
    }

    /** The profile named {@code name} ("2.6.32"). */
    public static KernelProfile byName(String name) {
        if (name.equals("2.6.32")) {
            return V2_6_32;
        }
        throw new IllegalArgumentException("unknown kernel '" + name + "' (expected 2.6.32)");
    }
}
