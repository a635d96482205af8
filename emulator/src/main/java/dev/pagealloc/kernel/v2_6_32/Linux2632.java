package dev.pagealloc.kernel.v2_6_32;

import static dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RECLAIMABLE;
import static dev.pagealloc.mmzone.MigrateType.MIGRATE_RESERVE;
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
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.trace.TraceFormat;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.Watermarks;
import dev.pagealloc.watermark.ZoneWatermarkOk2632;
import java.util.Optional;

/**
 * Linux 2.6.32 as the emulator runs it, read from the 2.6.32.69 tree ([2632] in kernel-spec.md:
 * the vanilla tarball) with a distribution configuration: CONFIG_NUMA=y with one node,
 * SPARSEMEM_VMEMMAP, HUGETLB_PAGE, no THP, no compaction, no CMA. What is 2.6.32's own, and so
 * differs from later kernels, is in this package:
 * <ul>
 *   <li>{@link Boot2632}: present pages minus the memmap estimate, bootmem's word-at-a-time
 *       frees, the sqrt min_free_kbytes, quarter/half watermark gaps, MIGRATE_RESERVE pageblocks;
 *   <li>{@link PageAlloc2632}: the slow path of reclaim, OOM and {@code should_alloc_retry()};
 *       {@link Pcp2632}: order-0 hot/cold lists; {@link Rmqueue2632}: stealing and the reserve;
 *       {@link Placement2632}: always the list head;
 *   <li>{@link ProcViews2632}, {@link VmstatView2632}, {@link MeminfoView2632}: the /proc files;
 *       {@link ShowMem2632}, {@link MachineReport2632}, {@link Reprint2632}, {@link Oom2632}: reports.
 * </ul>
 * Reclaim is the {@link Vmscan} model with lumpy reclaim.
 */
public final class Linux2632 implements Kernel {
    /** The registered instance. */
    public static final Linux2632 KERNEL = new Linux2632();

    private static final int U = MIGRATE_UNMOVABLE.ordinal();
    private static final int E = MIGRATE_RECLAIMABLE.ordinal();
    private static final int M = MIGRATE_MOVABLE.ordinal();
    private static final int R = MIGRATE_RESERVE.ordinal();

    /** {@code init_per_zone_wmark_min()}'s upper clamp on min_free_kbytes (until 5.6). */
    static final int MIN_FREE_KBYTES_MAX = Watermarks.MIN_FREE_KBYTES_MAX_TO_5_6;

    private static final KernelFeatures FEATURES =
            new KernelFeatures(false, 0, 0, false, false, true, false);

    /**
     * {@code migratetype_names[]} and {@code fallbacks[MIGRATE_TYPES][MIGRATE_TYPES-1]}
     * (mm/page_alloc.c:749 [2632]): three initialisers for four columns, so C fills the fourth
     * with 0 (MIGRATE_UNMOVABLE).
     */
    private static final Migratetypes MIGRATETYPES = new Migratetypes(
            new String[] {"Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate"},
            new int[] {0, 1, 2, 3, 4},
            new int[][] {{E, M, R, 0}, {U, M, R, 0}, {E, U, R, 0}, {R, R, R, 0}, {0, 0, 0, 0}});

    private final ProcViews views = ProcViews2632.INSTANCE;
    private final KernelReports reports = new Reports2632();

    private Linux2632() {}

    @Override
    public String name() {
        return "2.6.32";
    }

    @Override
    public String follows() {
        return "Linux 2.6.32.69 (the kernel.org tarball), distribution configuration: CONFIG_NUMA with one node,"
                + " SPARSEMEM_VMEMMAP, HUGETLB_PAGE; held against the seed failure report and real 2.6.x reports";
    }

    @Override
    public KernelFeatures features() {
        return FEATURES;
    }

    @Override
    public GfpBits gfp() {
        return GfpBits.V2_6_32;
    }

    @Override
    public WatermarkCheck watermarkCheck() {
        return ZoneWatermarkOk2632.INSTANCE;
    }

    @Override
    public Migratetypes migratetypes() {
        return MIGRATETYPES;
    }

    @Override
    public BuddyPlacement buddyPlacement() {
        return Placement2632.INSTANCE;
    }

    @Override
    public PcpPolicy pcpPolicy(AllocContext ctx) {
        return new Pcp2632(ctx, new Rmqueue2632(ctx));
    }

    @Override
    public PageAllocator allocator(AllocContext ctx, PcpPolicy pcp) {
        return new PageAlloc2632(ctx, pcp, new Rmqueue2632(ctx), FEATURES.numa());
    }

    @Override
    public Machine boot(MachineLayout layout, boolean withPhysMem) {
        return Boot2632.boot(this, layout, withPhysMem);
    }

    /**
     * {@code min_free_kbytes_sysctl_handler()}, mm/page_alloc.c:4745 [2632]: a write runs
     * {@code setup_per_zone_wmarks()}, MIGRATE_RESERVE blocks and totalreserve_pages included.
     */
    @Override
    public void minFreeKbytesSysctl(Machine m, int kbytes) {
        Boot2632.setupPerZoneWmarks(m.zones, kbytes, m.allocator.buddy(), m.allocator.memMap(), m.layout);
        m.reserveRecomputed(kbytes, Boot2632.calculateTotalreservePages(m.zones));
    }

    /**
     * {@code lowmem_reserve_ratio_sysctl_handler()}, mm/page_alloc.c:4797 [2632]: every access runs
     * {@code setup_per_zone_lowmem_reserve()} (and so {@code calculate_totalreserve_pages()}).
     */
    @Override
    public void lowmemReserveRatioSysctl(Machine m) {
        Boot2632.setupPerZoneLowmemReserve(m.zones, lowmemReserveRatio(m.layout.arch()));
        m.reserveRecomputed(m.minFreeKbytes(), Boot2632.calculateTotalreservePages(m.zones));
    }

    /** 2.6.32 reclaims with lumpy reclaim (it has no compaction). */
    @Override
    public Vmscan newVmscan(PageAllocator a) {
        return new Vmscan(a, true, reports.oom());
    }

    /** No CONFIG_COMPACTION in 2.6.32 (compaction came in 2.6.35). */
    @Override
    public Optional<Compaction> newCompaction(PageAllocator a, Vmscan v) {
        return Optional.empty();
    }

    @Override
    public ProcViews views() {
        return views;
    }

    @Override
    public KernelReports reports() {
        return reports;
    }

    @Override
    public TraceFormat traceFormat() {
        return Trace2632.INSTANCE;
    }

    // ------------------------------------------------------------------ 2.6.32's constants

    /** {@code sizeof(struct page)} for the memmap estimate 2.6.32 subtracts from present: 56 (x86_64), 32. */
    static int sizeofStructPage(Arch arch) {
        return arch == Arch.X86_64 ? 56 : 32;
    }

    /** {@code sysctl_lowmem_reserve_ratio[MAX_NR_ZONES-1]} (a fresh copy): 256 256 32, or 256 32 32. */
    static int[] lowmemReserveRatio(Arch arch) {
        return arch == Arch.X86_64 ? new int[] {256, 256, 32} : new int[] {256, 32, 32};
    }

    /**
     * {@code max_low_pfn} when the machine does not say: the PAE value is the dmesg example of spec
     * §2.2 (0x377fe); non-PAE has a 4 MiB pkmap area instead of 2 MiB, 1024 pages less lowmem, as
     * the Debian 6.1 i386 and i386-pae oracle captures differ (224254 vs 225278).
     */
    static long defaultMaxLowPfn(Arch arch) {
        return switch (arch) {
            case I386 -> 227326 - 1024;
            case I386_PAE -> 227326;
            case X86_64 -> Long.MAX_VALUE;
        };
    }
}
