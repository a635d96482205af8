package dev.pagealloc.kernel;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.buddy.BuddyPlacement;
import dev.pagealloc.compaction.Compaction;
import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.pcp.PcpPolicy;
import dev.pagealloc.profile.KernelRelease;
import dev.pagealloc.trace.TraceFormat;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.watermark.WatermarkCheck;
import java.util.Optional;

/**
 * One kernel version as the emulator runs it: the seam between the version-independent mechanism
 * (the memmap, the buddy lists, the zones, the formulas) and what a release does its own way. A
 * kernel lives in one package ({@code dev.pagealloc.kernel.v2_6_32}, {@code ...v6_1}) and is
 * registered by name in {@link Kernels}; nothing outside the version packages asks which kernel it
 * is — it asks the kernel. A later version reuses an earlier one's classes by composition.
 *
 * <p>Each part names the kernel code it stands for. {@link #boot} builds the machine from the
 * kernel's own parts through this interface ({@link #buddyPlacement()}, {@link #pcpPolicy},
 * {@link #allocator}), so a kernel composed of another's boot and one different part boots with
 * that part.
 */
public interface Kernel {
    /** The registry name, what {@code --kernel} takes: {@code 2.6.32}, {@code 6.1}. */
    String name();

    /** The release the name stands for ({@link KernelRelease#parse} of {@link #name()}). */
    default KernelRelease release() {
        return KernelRelease.parse(name());
    }

    /**
     * The exact release whose source this model follows and the real kernels it is held against,
     * e.g. "Linux 2.6.32.69 (kernel.org); ...".
     */
    String follows();

    /** What this kernel has (for output, for refusing what it cannot do, and for its own classes' configuration). */
    KernelFeatures features();

    /** The GFP layout: bit values, composites, trace and {@code %pGg} names, the era's rules. */
    GfpBits gfp();

    /** {@code zone_watermark_ok()} / {@code __zone_watermark_ok()}. */
    WatermarkCheck watermarkCheck();

    /** {@code migratetype_names[]}, the kernel's numbering, {@code fallbacks[][]}. */
    Migratetypes migratetypes();

    /** Where {@code __free_one_page()} and {@code move_freepages()} put blocks, and when buddies merge. */
    BuddyPlacement buddyPlacement();

    /** The per-CPU list policy over a booting node. */
    PcpPolicy pcpPolicy(AllocContext ctx);

    /**
     * The page allocator of a booting node: the front door every kernel shares, with this kernel's
     * {@code __alloc_pages()}, {@code __free_pages()} and {@code drain_pages()}.
     */
    PageAllocator allocator(AllocContext ctx, PcpPolicy pcp);

    /**
     * Boots {@code layout} the way this kernel does, up to the end of its memory-management
     * initcalls.
     *
     * @param withPhysMem also map the emulated RAM (MAP_NORESERVE), for __GFP_ZERO and integrity
     */
    Machine boot(MachineLayout layout, boolean withPhysMem);

    /** {@link #boot(MachineLayout, boolean)} without emulated RAM contents (metadata only). */
    default Machine boot(MachineLayout layout) {
        return boot(layout, false);
    }

    /** A write of {@code kbytes} to /proc/sys/vm/min_free_kbytes ({@code min_free_kbytes_sysctl_handler()}). */
    void minFreeKbytesSysctl(Machine m, int kbytes);

    /**
     * Any access, read or write, to /proc/sys/vm/lowmem_reserve_ratio
     * ({@code lowmem_reserve_ratio_sysctl_handler()}, which recomputes lowmem_reserve in every
     * kernel here).
     */
    void lowmemReserveRatioSysctl(Machine m);

    /** The reclaim and OOM model (mm/vmscan.c, mm/oom_kill.c), attached to {@code a}. */
    Vmscan newVmscan(PageAllocator a);

    /**
     * Direct compaction and kcompactd (mm/compaction.c), attached to {@code a} and {@code v}; empty
     * when the kernel has no CONFIG_COMPACTION.
     */
    Optional<Compaction> newCompaction(PageAllocator a, Vmscan v);

    /** /proc/zoneinfo, buddyinfo, pagetypeinfo, vmstat and meminfo as this kernel prints them. */
    ProcViews views();

    /** The failure and OOM reports as this kernel prints them, and reprinting real ones. */
    KernelReports reports();

    /** How this kernel's kmem tracepoints print (event names, pfn, gfp_flags). */
    TraceFormat traceFormat();
}
