package dev.pagealloc.kernel.v6_1;

import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RECLAIMABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_UNMOVABLE;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.buddy.BuddyPlacement;
import dev.pagealloc.compaction.Compaction;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.KernelFeatures;
import dev.pagealloc.kernel.KernelReports;
import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.kernel.ProcViews;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.trace.TraceFormat;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.Watermarks;
import dev.pagealloc.watermark.ZoneWatermarkOk44;
import java.util.Optional;

/**
 * Linux 6.1 as Debian 12 builds it, read from 6.1.20 ([61] in kernel-spec.md) and held against the
 * QEMU oracle captures of Debian's 6.1.176 and 6.1.192 ({@code linux-image-6.1.0-*}):
 * CONFIG_NUMA=y with one node (amd64; the 686 builds have none), ZONE_DEVICE (five zones on x86_64),
 * no CMA (MIGRATE_TYPES = U M E HighAtomic Isolate), THP, compaction, watermark boost. What is
 * 6.1's own is in this package:
 * <ul>
 *   <li>{@link Boot61}: present = spanned − holes, managed, the late frees, khugepaged's
 *       min_free_kbytes, watermark_scale_factor, 5.15's lowmem_reserve, 5.14's pcp sizing;
 *   <li>{@link PageAlloc61}: NOFRAGMENT, {@code zone_watermark_fast()}, HighAtomic reserves, the
 *       slow path with compaction and the retry rules; {@link Pcp61}: per-order lists with
 *       free_factor; {@link Rmqueue61}: stealing with boost; {@link Placement61}: tail placement;
 *   <li>{@link ProcViews61}, {@link VmstatView61}, {@link MeminfoView61}: the /proc files;
 *       {@link ShowMem61}, {@link MachineReport61}, {@link Reprint61}, {@link Oom61}: reports;
 *       {@link Trace61}: trace text; {@link FreeListLoader61}: a report's free lists loaded.
 * </ul>
 * Reclaim is the {@link Vmscan} model without lumpy reclaim (6.1 reclaims per node; not modelled
 * yet), compaction the {@link Compaction} model of 6.1's mm/compaction.c.
 */
public final class Linux61 implements Kernel {
    /** The registered instance. */
    public static final Linux61 KERNEL = new Linux61();

    private static final int U = MIGRATE_UNMOVABLE.ordinal();
    private static final int E = MIGRATE_RECLAIMABLE.ordinal();
    private static final int M = MIGRATE_MOVABLE.ordinal();

    /** {@code calculate_min_free_kbytes()}'s upper clamp (5.7+). */
    static final int MIN_FREE_KBYTES_MAX = Watermarks.MIN_FREE_KBYTES_MAX_FROM_5_7;

    private static final KernelFeatures FEATURES =
            new KernelFeatures(true, Watermarks.WATERMARK_SCALE_FACTOR_DEFAULT,
                    Watermarks.WATERMARK_BOOST_FACTOR_DEFAULT, true, true, true, true);

    /**
     * 6.1's {@code migratetype_names[]} (no CMA) onto the free-list slots, and {@code fallbacks[][]}
     * in slots: UNMOVABLE → RECLAIMABLE, MOVABLE; MOVABLE → RECLAIMABLE, UNMOVABLE; RECLAIMABLE →
     * UNMOVABLE, MOVABLE; -1 is MIGRATE_TYPES, the end marker.
     */
    private static final Migratetypes MIGRATETYPES = new Migratetypes(
            new String[] {"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate"},
            new int[] {0, 2, 1, 3, 4},
            new int[][] {{E, M, -1}, {U, M, -1}, {E, U, -1}, {-1}, {-1}});

    /**
     * {@code __zone_watermark_ok()}, mm/page_alloc.c:4011 [61.192]: the ALLOC_RESERVES form 6.1.y
     * took over from 6.4 (6.1.20 had 4.13's ALLOC_HARDER form).
     */
    private static final WatermarkCheck WATERMARK_CHECK = new ZoneWatermarkOk44(ZoneWatermarkOk44.Variant.V6_4);

    private final KernelReports reports = new Reports61(GfpBits.V6_1);

    private Linux61() {}

    @Override
    public String name() {
        return "6.1";
    }

    @Override
    public String follows() {
        return "Linux 6.1.20 source, moving to Debian 12's 6.1.192 (linux-source-6.1 6.1.192-3: alloc flags,"
                + " watermark check and HighAtomic rules so far); held against Debian 12's 6.1.176 and 6.1.192"
                + " (linux-image-6.1.0-*) booted under QEMU (shared/oracle captures)";
    }

    @Override
    public KernelFeatures features() {
        return FEATURES;
    }

    @Override
    public GfpBits gfp() {
        return GfpBits.V6_1;
    }

    @Override
    public WatermarkCheck watermarkCheck() {
        return WATERMARK_CHECK;
    }

    @Override
    public Migratetypes migratetypes() {
        return MIGRATETYPES;
    }

    @Override
    public BuddyPlacement buddyPlacement() {
        return Placement61.INSTANCE;
    }

    @Override
    public PcpPolicy pcpPolicy(AllocContext ctx) {
        return new Pcp61(ctx, new Rmqueue61(ctx, FEATURES.watermarkBoostFactor()));
    }

    @Override
    public PageAllocator allocator(AllocContext ctx, PcpPolicy pcp) {
        return new PageAlloc61(ctx, pcp, new Rmqueue61(ctx, FEATURES.watermarkBoostFactor()));
    }

    @Override
    public Machine boot(MachineLayout layout, boolean withPhysMem) {
        return Boot61.boot(this, layout, withPhysMem);
    }

    /**
     * {@code min_free_kbytes_sysctl_handler()}, mm/page_alloc.c:8873 [61]: a write runs
     * {@code setup_per_zone_wmarks()}, which recomputes the watermarks (boost reset) and
     * totalreserve_pages, then every zone's pcp high and batch ({@code zone_pcp_update()}).
     */
    @Override
    public void minFreeKbytesSysctl(Machine m, int kbytes) {
        Boot61.setupPerZoneWmarks(m.zones, kbytes, FEATURES.watermarkScaleFactor());
        m.reserveRecomputed(kbytes, Boot61.calculateTotalreservePages(m.zones));
        for (Zone z : m.zones) {
            Boot61.zonePcpUpdate(z, m.cpus());
        }
    }

    /**
     * {@code lowmem_reserve_ratio_sysctl_handler()}, mm/page_alloc.c:8970 [61]: any read or write
     * runs {@code setup_per_zone_lowmem_reserve()} (there is no {@code if (write)} guard), so
     * protection is recomputed from the current managed counts.
     */
    @Override
    public void lowmemReserveRatioSysctl(Machine m) {
        Boot61.setupPerZoneLowmemReserve(m.zones, lowmemReserveRatio(m.layout.arch()));
        m.reserveRecomputed(m.minFreeKbytes(), Boot61.calculateTotalreservePages(m.zones));
    }

    /** No lumpy reclaim in 6.1 (removed in 3.5: compaction migrates instead). */
    @Override
    public Vmscan newVmscan(PageAllocator a) {
        return new Vmscan(a, false, reports.oom());
    }

    @Override
    public Optional<Compaction> newCompaction(PageAllocator a, Vmscan v) {
        Rmqueue61 rmq = new Rmqueue61(a.context(), FEATURES.watermarkBoostFactor());
        return Optional.of(new Compaction(a, v, rmq::hasStealableFallback));
    }

    @Override
    public ProcViews views() {
        return ProcViews61.INSTANCE;
    }

    @Override
    public KernelReports reports() {
        return reports;
    }

    @Override
    public TraceFormat traceFormat() {
        return Trace61.INSTANCE;
    }

    // ------------------------------------------------------------------ 6.1's constants

    /**
     * {@code sysctl_lowmem_reserve_ratio[MAX_NR_ZONES]} (a fresh copy), designated per zone since
     * 4.18: DMA 256, DMA32 256, Normal 32, HighMem 0, Movable 0 (Device 0).
     */
    static int[] lowmemReserveRatio(Arch arch) {
        return arch == Arch.X86_64 ? new int[] {256, 256, 32, 0, 0} : new int[] {256, 32, 0, 0, 0};
    }

    /**
     * {@code max_low_pfn} when the machine does not say, from the Debian 6.1 oracle captures'
     * "Normal [mem ...]" line: 0x36bfe (686, 4 MiB pkmap) and 0x36ffe (686-pae).
     */
    static long defaultMaxLowPfn(Arch arch) {
        return switch (arch) {
            case I386 -> 224254;
            case I386_PAE -> 225278;
            case X86_64 -> Long.MAX_VALUE;
        };
    }
}
