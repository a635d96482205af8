package dev.pagealloc.profile;

import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RECLAIMABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RESERVE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_UNMOVABLE;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.ZoneWatermarkOk2632;
import dev.pagealloc.watermark.ZoneWatermarkOk44;

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
                    227326,
                    null);

    /**
     * Linux 6.1 as Debian 12 builds it (checked against 6.1.20 and the QEMU oracle captures of
     * Debian's 6.1.176/6.1.192): CONFIG_NUMA=y with one node, ZONE_DEVICE (five zones on x86_64),
     * no CMA (MIGRATE_TYPES = U M E HighAtomic Isolate), THP, compaction, watermark boost.
     */
    public static final KernelProfile V6_1 =
            new KernelProfile(
                    "6.1",
                    GfpBits.V6_1,
                    64,
                    32,
                    128,
                    262144,
                    new int[] {256, 256, 32, 0, 0},
                    new int[] {256, 32, 0, 0, 0},
                    // fallbacks[][] of 6.1 in the emulator's internal numbering (U 0, E 1, M 2):
                    // UNMOVABLE → RECLAIMABLE, MOVABLE; MOVABLE → RECLAIMABLE, UNMOVABLE;
                    // RECLAIMABLE → UNMOVABLE, MOVABLE; -1 is MIGRATE_TYPES, the end marker.
                    new int[][] {{E, M, -1}, {U, M, -1}, {E, U, -1}, {-1}, {-1}},
                    new ZoneWatermarkOk44(ZoneWatermarkOk44.Variant.V4_13),
                    true,
                    // max_low_pfn from the Debian 6.1 oracle captures' "Normal [mem ...]" line:
                    // 0x36bfe (686, 4 MiB pkmap) and 0x36ffe (686-pae).
                    224254,
                    225278,
                    new Modern(10, 15000, true, true, true, true,
                            new int[] {0, 2, 1, 3, 4},
                            new String[] {"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate"}));

    /**
     * What 5.x/6.x kernels do differently from 2.6.32 at boot and in the allocator. Null in the
     * 2.6.32 profile.
     *
     * @param watermarkScaleFactor {@code watermark_scale_factor} (4.6+), default 10
     * @param watermarkBoostFactor {@code watermark_boost_factor} (5.0+), default 15000
     * @param perOrderPcp per-CPU lists for orders 0-3 and pageblock order (5.14+)
     * @param highatomic MIGRATE_HIGHATOMIC reserves for high-order atomic requests (4.4+)
     * @param compaction CONFIG_COMPACTION: direct compaction and kcompactd
     * @param thp CONFIG_TRANSPARENT_HUGEPAGE: khugepaged raises min_free_kbytes
     * @param migratetypeOrder the internal free-list slot of each kernel migratetype value, in the
     *     kernel's order (what /proc/pagetypeinfo and the report's letters walk)
     * @param migratetypeNames {@code migratetype_names[]} in kernel value order
     */
    public record Modern(
            int watermarkScaleFactor,
            int watermarkBoostFactor,
            boolean perOrderPcp,
            boolean highatomic,
            boolean compaction,
            boolean thp,
            int[] migratetypeOrder,
            String[] migratetypeNames) {}

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
    /** 5.x/6.x behaviour, or null for 2.6.32 (see {@link Modern}). */
    public final Modern modern;
    /** {@code migratetype_names[]} in kernel value order. */
    private final String[] migratetypeNames;
    /** The internal free-list slot of each kernel migratetype value. */
    private final int[] migratetypeOrder;
    /** The kernel value of each internal slot (the inverse of {@link #migratetypeOrder}). */
    private final int[] kernelMigratetype;

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
            long defaultMaxLowPfnPae,
            Modern modern) {
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
        this.modern = modern;
        if (modern == null) {
            this.migratetypeOrder = new int[] {0, 1, 2, 3, 4};
            this.migratetypeNames = new String[] {"Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate"};
        } else {
            this.migratetypeOrder = modern.migratetypeOrder().clone();
            this.migratetypeNames = modern.migratetypeNames().clone();
        }
        this.kernelMigratetype = new int[migratetypeOrder.length];
        for (int v = 0; v < migratetypeOrder.length; v++) {
            kernelMigratetype[migratetypeOrder[v]] = v;
        }
    }

    /** 5.x/6.x semantics: present without the memmap estimate, managed, the 4.6+ watermarks. */
    public boolean isModern() {
        return modern != null;
    }

    /** ZONE_DEVICE exists (an empty fifth zone on x86_64, as 6.1 distro kernels print it). */
    public boolean hasZoneDevice() {
        return modern != null;
    }

    /** The number of migratetypes (free lists per order). */
    public int migratetypes() {
        return migratetypeOrder.length;
    }

    /** The internal free-list slot of kernel migratetype value {@code v} (for views and pcp indices). */
    public int migratetypeSlot(int v) {
        return migratetypeOrder[v];
    }

    /** The kernel's value of internal slot {@code slot}. */
    public int kernelMigratetype(int slot) {
        return kernelMigratetype[slot];
    }

    /** {@code migratetype_names[v]} for kernel value {@code v}. */
    public String migratetypeName(int v) {
        return migratetypeNames[v];
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

    /** The profile named {@code name} ("2.6.32", "6.1"). */
    public static KernelProfile byName(String name) {
        return switch (name) {
            case "2.6.32" -> V2_6_32;
            case "6.1" -> V6_1;
            default -> throw new IllegalArgumentException("unknown kernel '" + name + "' (expected 2.6.32 or 6.1)");
        };
    }

    /** The names {@link #byName} knows. */
    public static java.util.List<String> names() {
        return java.util.List.of("2.6.32", "6.1");
    }
}
