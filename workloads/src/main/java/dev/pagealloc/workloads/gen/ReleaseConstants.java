package dev.pagealloc.workloads.gen;

import dev.pagealloc.gfp.GfpBits;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.KernelRelease;

/**
 * The kernel constants the generators size their allocations by, for one kernel release on x86
 * (the network stack's skb layout, kernel stacks, page tables, THP faults: constants of other
 * subsystems than the page allocator, so they are kept here by release rather than in the
 * emulator's kernel packages).
 * Two eras are modelled from their sources, 2.6.32 and 6.1; a release in between takes each
 * constant from the side of the change that introduced it (noted per method). Distribution
 * configurations are assumed: x86_64 GENERIC_CPU or i386 X86_GENERIC (X86_L1_CACHE_SHIFT 6, so
 * {@code L1_CACHE_BYTES = SMP_CACHE_BYTES = 64}), SLUB, no KMEMCHECK, no KASAN, no
 * DEBUG_STACK_USAGE.
 *
 * @param major e.g. 2 or 6
 * @param minor e.g. 6 or 1
 * @param patch e.g. 32 (0 when the release has none)
 */
public record ReleaseConstants(int major, int minor, int patch) {
    /** 2.6.32 (the seed era). */
    public static final ReleaseConstants V2_6_32 = new ReleaseConstants(2, 6, 32);
    /** 6.1. */
    public static final ReleaseConstants V6_1 = new ReleaseConstants(6, 1, 0);

    public static final int PAGE_SIZE = 4096;
    /** include/linux/if_ether.h. */
    public static final int ETH_HLEN = 14;
    public static final int ETH_FCS_LEN = 4;
    /** {@code ETH_FRAME_LEN} 1514 + FCS: the frame of a 1500-byte MTU. */
    public static final int MAXIMUM_ETHERNET_FRAME_SIZE = 1518;
    /** drivers/net/e1000/e1000.h: with a VLAN tag. */
    public static final int MAXIMUM_ETHERNET_VLAN_SIZE = 1522;
    /** {@code SMP_CACHE_BYTES} of the x86 distribution configs (X86_L1_CACHE_SHIFT 6). */
    public static final int SMP_CACHE_BYTES = 64;

    /** The constants of a release such as {@code 2.6.32}, {@code 6.1} or {@code 6.1.0-17-amd64}. */
    public static ReleaseConstants of(String release) {
        return of(KernelRelease.parse(release));
    }

    /** The constants of {@code release} (its suffix does not count). */
    public static ReleaseConstants of(KernelRelease release) {
        return new ReleaseConstants(release.major(), release.minor(), release.patch());
    }

    /** True for this release or a later one. */
    public boolean atLeast(int maj, int min, int pat) {
        if (major != maj) {
            return major > maj;
        }
        if (minor != min) {
            return minor > min;
        }
        return patch >= pat;
    }

    /**
     * {@code NET_SKB_PAD}, include/linux/skbuff.h: 32 in 2.6.32; {@code max(32, L1_CACHE_BYTES)}
     * = 64 on x86 from 2.6.35 ("net: NET_SKB_PAD should depend on L1_CACHE_BYTES", with RPS).
     */
    public int netSkbPad() {
        return atLeast(2, 6, 35) ? Math.max(32, SMP_CACHE_BYTES) : 32;
    }

    /**
     * {@code NET_IP_ALIGN}: the generic 2 of include/linux/skbuff.h up to 2.6.32; x86 defines it
     * 0 from 2.6.33 (arch/x86/include/asm/system.h, later processor.h: unaligned DMA is cheaper
     * than the partial cache-line write).
     */
    public int netIpAlign() {
        return atLeast(2, 6, 33) ? 0 : 2;
    }

    /**
     * {@code sizeof(struct skb_shared_info)}, include/linux/skbuff.h, worked out by hand from the
     * struct for each arch (no compiler at hand; see the table in {@link NicJumboNoSg}):
     * <ul>
     *   <li>2.6.32, CONFIG_HAS_DMA: dataref, nr_frags, gso_size, {@code dma_head}, gso_segs,
     *       gso_type, ip6_frag_id, tx_flags, frag_list, hwtstamps (2 ktime_t),
     *       {@code frags[MAX_SKB_FRAGS = 65536/PAGE_SIZE + 2 = 18]} ({@code {page *, u32, u32}}),
     *       {@code dma_maps[18]}, destructor_arg: x86_64 496, i386 336, i386 PAE 412 (dma_addr_t
     *       is u64 with HIGHMEM64G).
     *   <li>6.1: flags, meta_len, nr_frags, tx_flags, gso_size, gso_segs, frag_list, hwtstamps
     *       (one ktime_t), gso_type, tskey, dataref, xdp_frags_size, destructor_arg,
     *       {@code frags[MAX_SKB_FRAGS = 17]} (bio_vec): x86_64 320, i386 244.
     * </ul>
     * Releases before 3.0 take the 2.6.32 figure, later ones the 6.1 figure.
     */
    public int sizeofSkbSharedInfo(Arch arch) {
        if (!atLeast(3, 0, 0)) {
            return switch (arch) {
                case X86_64 -> 496;
                case I386 -> 336;
                case I386_PAE -> 412;
            };
        }
        return arch == Arch.X86_64 ? 320 : 244;
    }

    /**
     * Whether {@code __alloc_skb()} rounds {@code sizeof(struct skb_shared_info)} up with
     * SKB_DATA_ALIGN too (net/core/skbuff.c, "net: more accurate skb truesize", 3.2); 2.6.32
     * adds the raw size.
     */
    public boolean alignsSharedInfo() {
        return atLeast(3, 2, 0);
    }

    /** {@code SKB_DATA_ALIGN(x)}: up to a multiple of SMP_CACHE_BYTES. */
    public static int skbDataAlign(int x) {
        return (x + SMP_CACHE_BYTES - 1) & ~(SMP_CACHE_BYTES - 1);
    }

    /**
     * The bytes {@code __alloc_skb(size)} asks kmalloc for: {@code SKB_DATA_ALIGN(size) +
     * sizeof(struct skb_shared_info)} (aligned too from 3.2), net/core/skbuff.c.
     */
    public int allocSkbBytes(int size, Arch arch) {
        int sh = sizeofSkbSharedInfo(arch);
        return skbDataAlign(size) + (alignsSharedInfo() ? skbDataAlign(sh) : sh);
    }

    /**
     * {@code KMALLOC_MAX_CACHE_SIZE}: SLUB serves kmalloc up to two pages from its caches
     * ({@code SLUB_MAX_SIZE}, include/linux/slub_def.h 2.6.32; {@code 1 << (PAGE_SHIFT + 1)} in
     * 6.1 include/linux/slab.h); above it {@code kmalloc_large()} goes to the page allocator.
     */
    public int kmallocMaxCacheSize() {
        return 2 * PAGE_SIZE;
    }

    /** {@code get_order(size)}, include/asm-generic/getorder.h: the order of the smallest block of at least size bytes. */
    public static int getOrder(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("get_order of " + size);
        }
        long pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
        int order = 0;
        while ((1L << order) < pages) {
            order++;
        }
        return order;
    }

    /**
     * {@code THREAD_ORDER} / {@code THREAD_SIZE_ORDER}: the kernel stack (with thread_info before
     * 4.9 x86_64's THREAD_INFO_IN_TASK) as a power of two of pages.
     * <ul>
     *   <li>2.6.32 x86_64: 1 (8 KiB), arch/x86/include/asm/page_64_types.h {@code THREAD_ORDER 1}.
     *   <li>2.6.32 i386 / PAE: 1 (8 KiB), or 0 (4 KiB) with CONFIG_4KSTACKS,
     *       arch/x86/include/asm/page_32_types.h.
     *   <li>x86_64 from 3.15 (so 6.1): 2 (16 KiB), page_64_types.h
     *       {@code THREAD_SIZE_ORDER (2 + KASAN_STACK_ORDER)}, KASAN off.
     *   <li>i386 in 6.1: 1 (8 KiB), page_32_types.h {@code THREAD_SIZE_ORDER 1}; 4KSTACKS is gone.
     * </ul>
     */
    public int threadSizeOrder(Arch arch, boolean fourKStacks) {
        if (arch == Arch.X86_64) {
            return atLeast(3, 15, 0) ? 2 : 1;
        }
        return fourKStacks && !atLeast(3, 0, 0) ? 0 : 1;
    }

    /**
     * CONFIG_VMAP_STACK (4.9+, default y, and x86 selects HAVE_ARCH_VMAP_STACK only
     * {@code if X86_64}): the stack is {@code THREAD_SIZE / PAGE_SIZE} order-0 vmalloc pages
     * (kernel/fork.c {@code alloc_thread_stack_node()} → {@code __vmalloc_node_range()}), after
     * trying the per-CPU cache of {@code NR_CACHED_STACKS} (2) freed stacks.
     */
    public boolean vmapStack(Arch arch) {
        return arch == Arch.X86_64 && atLeast(4, 9, 0);
    }

    /** {@code NR_CACHED_STACKS}, kernel/fork.c (with VMAP_STACK). */
    public static final int NR_CACHED_STACKS = 2;

    /**
     * The gfp of a kernel stack allocated as one block of pages:
     * <ul>
     *   <li>2.6.32 {@code alloc_thread_info()} → {@code __get_free_pages(THREAD_FLAGS, THREAD_ORDER)},
     *       arch/x86/include/asm/thread_info.h: {@code THREAD_FLAGS (GFP_KERNEL | __GFP_NOTRACK)},
     *       plus {@code __GFP_ZERO} with CONFIG_DEBUG_STACK_USAGE. {@code __GFP_NOTRACK} is 0
     *       without CONFIG_KMEMCHECK (as distributions build), so the mask is GFP_KERNEL (0xd0).
     *   <li>4.5 and later ({@code alloc_thread_stack_node()}, no VMAP_STACK): {@code THREADINFO_GFP}
     *       = {@code GFP_KERNEL_ACCOUNT | __GFP_ZERO}, include/linux/thread_info.h.
     * </ul>
     */
    public String threadInfoGfp(boolean debugStackUsage) {
        if (!atLeast(4, 5, 0)) {
            return debugStackUsage ? "GFP_KERNEL|__GFP_ZERO" : "GFP_KERNEL";
        }
        return "GFP_KERNEL_ACCOUNT|__GFP_ZERO";
    }

    /**
     * The gfp of one VMAP_STACK page: {@code THREADINFO_GFP & ~__GFP_ACCOUNT} = GFP_KERNEL |
     * __GFP_ZERO, to which {@code __vmalloc_area_node()} (mm/vmalloc.c) adds __GFP_NOWARN and, for
     * a request without GFP_DMA/DMA32, __GFP_HIGHMEM.
     */
    public String vmapStackPageGfp() {
        return "GFP_KERNEL|__GFP_ZERO|__GFP_NOWARN|__GFP_HIGHMEM";
    }

    /**
     * Page-table pages: 2.6.32 arch/x86/mm/pgtable.c {@code PGALLOC_GFP} = GFP_KERNEL |
     * __GFP_NOTRACK | __GFP_REPEAT | __GFP_ZERO (NOTRACK 0, see above); 6.1
     * {@code GFP_PGTABLE_USER} = GFP_KERNEL_ACCOUNT | __GFP_ZERO (include/asm-generic/pgalloc.h).
     */
    public String pgtableGfp() {
        return atLeast(4, 5, 0) ? "GFP_KERNEL_ACCOUNT|__GFP_ZERO" : "GFP_KERNEL|__GFP_REPEAT|__GFP_ZERO";
    }

    /**
     * The page-table pages a small forked process needs on {@code arch} (2.6.32 arch/x86/mm/pgtable.c
     * {@code pgd_alloc()} and the first fault's {@code __pud_alloc}/{@code __pmd_alloc}/{@code __pte_alloc}):
     * x86_64 pgd + pud + pmd + pte = 4; i386 two-level pgd + pte = 2; i386 PAE pgd + the
     * {@code PREALLOCATED_PMDS} (KERNEL_PGD_BOUNDARY = 3 with the 3G/1G split) + pte = 5.
     */
    public static int smallProcessPgtablePages(Arch arch) {
        return switch (arch) {
            case X86_64 -> 4;
            case I386 -> 2;
            case I386_PAE -> 5;
        };
    }

    /**
     * The gfp of a transparent huge page fault: the kernel's {@code GFP_TRANSHUGE} composite when
     * it has one (3.x onward); else, for 2.6.32 (which has no mainline THP; RHEL 6 backported
     * it), the 2.6.38 definition {@code GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC |
     * __GFP_NORETRY | __GFP_NOWARN | __GFP_NO_KSWAPD}, less {@code __GFP_NO_KSWAPD} (0x400000),
     * which the 2.6.32 layout has no bit for: such a fault wakes kswapd as any other does.
     */
    public static String transhugeGfp(GfpBits bits) {
        if (bits.composites().containsKey("GFP_TRANSHUGE")) {
            return "GFP_TRANSHUGE";
        }
        return "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_NORETRY|__GFP_NOWARN";
    }

    /**
     * {@code HPAGE_PMD_ORDER} = PMD_SHIFT - PAGE_SHIFT: 9 (2 MiB) on x86_64 and i386 PAE, 10
     * (4 MiB) on two-level i386 (PMD_SHIFT 22); x86's pageblock_order is the same number.
     */
    public static int hpagePmdOrder(Arch arch) {
        return arch.pageblockOrder;
    }

    @Override
    public String toString() {
        return major + "." + minor + (patch > 0 ? "." + patch : "");
    }
}
