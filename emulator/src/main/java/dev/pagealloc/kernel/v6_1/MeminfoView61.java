package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.kernel.v6_1.ProcViews61.NodeItem;
import dev.pagealloc.kernel.v6_1.ProcViews61.ZoneItem;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import java.util.Locale;

/**
 * /proc/meminfo as Linux 6.1 prints it for Debian 12's builds: a transliteration of
 * fs/proc/meminfo.c {@code meminfo_proc_show()}, then mm/hugetlb.c {@code hugetlb_report_meminfo()}
 * and arch/x86/mm/pat/set_memory.c {@code arch_report_meminfo()}.
 *
 * <p><b>Lines</b>: {@code show_val_kb(m, label, pages)} is {@code seq_put_decimal_ull_width(m,
 * label, pages << (PAGE_SHIFT − 10), 8)} + {@code " kB\n"}, i.e. the label (16 columns with its
 * padding) and {@code %8lu kB}; KernelStack, VmallocTotal, Zswap and Zswapped are {@code
 * seq_printf("…%8lu kB\n")} of a kB value; {@code "HardwareCorrupted: %5lu kB\n"}; then
 * {@code "HugePages_Total:   %5lu\n"} … {@code "HugePages_Surp:    %5lu\n"}, {@code
 * "Hugepagesize:   %8lu kB\n"}, {@code "Hugetlb:        %8lu kB\n"}; then {@code
 * "DirectMap4k:    %8lu kB\n"} and DirectMap2M (x86_64, PAE) or DirectMap4M (686). Configuration,
 * as the real files show: CONFIG_HIGHMEM on 686 and 686-pae (HighTotal, HighFree, LowTotal,
 * LowFree), CONFIG_ZSWAP, CONFIG_MEMORY_FAILURE, CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_HUGETLB_PAGE;
 * CONFIG_MMU (no MmapCopy); no CONFIG_SHADOW_CALL_STACK, no CONFIG_CMA (no CmaTotal/CmaFree); no
 * gbpages on QEMU's CPU (no DirectMap1G).
 *
 * <p><b>Values from the model.</b> {@code si_meminfo()}: totalram = {@code totalram_pages()} = Σ
 * managed; freeram = NR_FREE_PAGES; sharedram = NR_SHMEM; totalhigh = Σ managed of the highmem
 * zones, freehigh = their NR_FREE_PAGES ({@code nr_free_highpages()}). The LRU lines, Mlocked,
 * Dirty, Writeback, AnonPages, Mapped, Shmem, the slab lines, KernelStack, PageTables, Bounce and
 * WritebackTmp are the zones' counters as {@link ProcViews61} maps them to 6.1's items; Cached =
 * NR_FILE_PAGES − swapcache − buffers; MemAvailable is {@link #siMemAvailable}; CommitLimit is
 * {@code vm_commit_limit()} with overcommit_ratio 50, no hugetlb pages and no swap. VmallocTotal
 * is VMALLOC_END − VMALLOC_START: 32 TiB − 1 on x86_64 (4-level paging); on i386 {@code
 * (PKMAP_BASE − 2 pages) − (high_memory + VMALLOC_OFFSET)}, where VMALLOC_END is what MAXMEM_PFN
 * (the kernel's default max_low_pfn) implies with the default {@code __VMALLOC_RESERVE} of 128 MiB
 * and high_memory is the machine's max_low_pfn: 120 MiB on machines with highmem, more on smaller
 * ones. Hugepagesize is 2 MiB (x86_64, PAE) or 4 MiB (686).
 *
 * <p><b>Not modelled, printed 0</b>: Buffers ({@code nr_blockdev_pages()}), SwapCached, SwapTotal,
 * SwapFree (the 6.1 views have no swap), Zswap, Zswapped, NR_KERNEL_MISC_RECLAIMABLE (in
 * KReclaimable), SecPageTables, NFS_Unstable (always 0 in 6.1), Committed_AS ({@code
 * vm_committed_as}), VmallocUsed ({@code vmalloc_nr_pages()}), VmallocChunk (always 0 in 6.1),
 * Percpu ({@code pcpu_nr_pages()}: the percpu allocator is not modelled; the captures show 65 pages
 * per CPU on amd64, 33 on 686), HardwareCorrupted, the THP page counts, every HugePages_* count and
 * Hugetlb, DirectMap4k and DirectMap2M/4M ({@code direct_pages_count[]}: the direct map's page
 * tables are not modelled).
 */
public final class MeminfoView61 {
    private MeminfoView61() {}

    /** x86_64, 4-level paging: VMALLOC_SIZE_TB 32, VMALLOC_END = VMALLOC_START + 32 TiB − 1. */
    static final long VMALLOC_TOTAL_X86_64 = (32L << 40) - 1;

    /** i386: VMALLOC_OFFSET, the gap between high_memory and VMALLOC_START. */
    static final long VMALLOC_OFFSET = 8L << 20;

    /** i386: the default {@code __VMALLOC_RESERVE} (no {@code vmalloc=} on the command line). */
    static final long VMALLOC_RESERVE = 128L << 20;

    /** sysctl_overcommit_ratio's default. */
    static final long OVERCOMMIT_RATIO = 50;

    /** /proc/meminfo of {@code m} as 6.1 prints it. */
    public static String meminfo(Machine m) {
        Arch arch = m.layout.arch();

        // si_meminfo(&i); si_swapinfo(&i)
        long totalram = totalramPages(m);
        long sharedram = NodeItem.NR_SHMEM.of(m);
        long freeram = VmstatView61.globalZonePageState(m, ZoneItem.NR_FREE_PAGES);
        long bufferram = 0; // nr_blockdev_pages(): not modelled
        long totalhigh = totalhighPages(m);
        long freehigh = nrFreeHighpages(m);
        long totalswap = 0; // no swap in the 6.1 views
        long freeswap = 0;
        long swapcache = 0; // total_swapcache_pages()

        long committed = 0; // vm_memory_committed(): not modelled
        long cached = NodeItem.NR_FILE_PAGES.of(m) - swapcache - bufferram;
        if (cached < 0) {
            cached = 0;
        }
        // pages[lru] = global_node_page_state(NR_LRU_BASE + lru)
        long inactiveAnon = NodeItem.NR_INACTIVE_ANON.of(m);
        long activeAnon = NodeItem.NR_ACTIVE_ANON.of(m);
        long inactiveFile = NodeItem.NR_INACTIVE_FILE.of(m);
        long activeFile = NodeItem.NR_ACTIVE_FILE.of(m);
        long unevictable = NodeItem.NR_UNEVICTABLE.of(m);

        long available = siMemAvailable(m);
        long sreclaimable = NodeItem.NR_SLAB_RECLAIMABLE_B.of(m);
        long sunreclaim = NodeItem.NR_SLAB_UNRECLAIMABLE_B.of(m);

        StringBuilder sb = new StringBuilder(2048);
        kb(sb, "MemTotal:       ", totalram);
        kb(sb, "MemFree:        ", freeram);
        kb(sb, "MemAvailable:   ", available);
        kb(sb, "Buffers:        ", bufferram);
        kb(sb, "Cached:         ", cached);
        kb(sb, "SwapCached:     ", swapcache);
        kb(sb, "Active:         ", activeAnon + activeFile);
        kb(sb, "Inactive:       ", inactiveAnon + inactiveFile);
        kb(sb, "Active(anon):   ", activeAnon);
        kb(sb, "Inactive(anon): ", inactiveAnon);
        kb(sb, "Active(file):   ", activeFile);
        kb(sb, "Inactive(file): ", inactiveFile);
        kb(sb, "Unevictable:    ", unevictable);
        kb(sb, "Mlocked:        ", VmstatView61.globalZonePageState(m, ZoneItem.NR_MLOCK));

        if (arch.hasHighmem()) { // CONFIG_HIGHMEM
            kb(sb, "HighTotal:      ", totalhigh);
            kb(sb, "HighFree:       ", freehigh);
            kb(sb, "LowTotal:       ", totalram - totalhigh);
            kb(sb, "LowFree:        ", freeram - freehigh);
        }

        kb(sb, "SwapTotal:      ", totalswap);
        kb(sb, "SwapFree:       ", freeswap);
        // CONFIG_ZSWAP: zswap_pool_total_size >> 10, zswap_stored_pages: zswap is not modelled
        sb.append(f("Zswap:          %8d kB\n", 0L));
        sb.append(f("Zswapped:       %8d kB\n", 0L));
        kb(sb, "Dirty:          ", NodeItem.NR_FILE_DIRTY.of(m));
        kb(sb, "Writeback:      ", NodeItem.NR_WRITEBACK.of(m));
        kb(sb, "AnonPages:      ", NodeItem.NR_ANON_MAPPED.of(m));
        kb(sb, "Mapped:         ", NodeItem.NR_FILE_MAPPED.of(m));
        kb(sb, "Shmem:          ", sharedram);
        kb(sb, "KReclaimable:   ", sreclaimable + NodeItem.NR_KERNEL_MISC_RECLAIMABLE.of(m));
        kb(sb, "Slab:           ", sreclaimable + sunreclaim);
        kb(sb, "SReclaimable:   ", sreclaimable);
        kb(sb, "SUnreclaim:     ", sunreclaim);
        sb.append(f("KernelStack:    %8d kB\n", NodeItem.NR_KERNEL_STACK_KB.of(m)));
        kb(sb, "PageTables:     ", NodeItem.NR_PAGETABLE.of(m));
        kb(sb, "SecPageTables:  ", NodeItem.NR_SECONDARY_PAGETABLE.of(m));

        kb(sb, "NFS_Unstable:   ", 0);
        kb(sb, "Bounce:         ", VmstatView61.globalZonePageState(m, ZoneItem.NR_BOUNCE));
        kb(sb, "WritebackTmp:   ", NodeItem.NR_WRITEBACK_TEMP.of(m));
        kb(sb, "CommitLimit:    ", vmCommitLimit(totalram));
        kb(sb, "Committed_AS:   ", committed);
        sb.append(f("VmallocTotal:   %8d kB\n", vmallocTotal(m) >>> 10));
        kb(sb, "VmallocUsed:    ", 0); // vmalloc_nr_pages(): not modelled
        kb(sb, "VmallocChunk:   ", 0);
        kb(sb, "Percpu:         ", 0); // pcpu_nr_pages(): not modelled

        // CONFIG_MEMORY_FAILURE: num_poisoned_pages
        sb.append(f("HardwareCorrupted: %5d kB\n", 0L));

        // CONFIG_TRANSPARENT_HUGEPAGE: untracked THP counts
        kb(sb, "AnonHugePages:  ", NodeItem.NR_ANON_THPS.of(m));
        kb(sb, "ShmemHugePages: ", NodeItem.NR_SHMEM_THPS.of(m));
        kb(sb, "ShmemPmdMapped: ", NodeItem.NR_SHMEM_PMDMAPPED.of(m));
        kb(sb, "FileHugePages:  ", NodeItem.NR_FILE_THPS.of(m));
        kb(sb, "FilePmdMapped:  ", NodeItem.NR_FILE_PMDMAPPED.of(m));

        // hugetlb_report_meminfo(): the default hstate, no pool (nr_hugepages 0)
        long hugeCount = 0;
        long hugeSize = 1L << (arch.pageblockOrder + 12); // HPAGE_SIZE: huge_page_size(&default_hstate)
        sb.append(f("HugePages_Total:   %5d\n"
                        + "HugePages_Free:    %5d\n"
                        + "HugePages_Rsvd:    %5d\n"
                        + "HugePages_Surp:    %5d\n"
                        + "Hugepagesize:   %8d kB\n",
                hugeCount, 0L, 0L, 0L, hugeSize / 1024));
        sb.append(f("Hugetlb:        %8d kB\n", hugeSize * hugeCount / 1024));

        // arch_report_meminfo(): direct_pages_count[] is not modelled
        sb.append(f("DirectMap4k:    %8d kB\n", 0L));
        if (arch == Arch.I386) {
            sb.append(f("DirectMap4M:    %8d kB\n", 0L));
        } else {
            sb.append(f("DirectMap2M:    %8d kB\n", 0L));
        }
        return sb.toString();
    }

    /** {@code totalram_pages()}: Σ managed (every page handed to the buddy allocator, late frees included). */
    public static long totalramPages(Machine m) {
        long n = 0;
        for (Zone z : m.zones) {
            n += z.managedPages;
        }
        return n;
    }

    /** {@code totalhigh_pages()}: Σ managed of the highmem zones (0 on x86_64). */
    public static long totalhighPages(Machine m) {
        long n = 0;
        for (Zone z : m.zones) {
            if (z.isHighmem()) {
                n += z.managedPages;
            }
        }
        return n;
    }

    /** {@code nr_free_highpages()}, mm/highmem.c: NR_FREE_PAGES of the populated highmem zones. */
    static long nrFreeHighpages(Machine m) {
        long n = 0;
        for (Zone z : m.zones) {
            if (z.isPopulated() && z.isHighmem()) {
                n += ProcViews61.zonePageState(z, ZoneItem.NR_FREE_PAGES);
            }
        }
        return n;
    }

    /**
     * {@code vm_commit_limit()}, mm/util.c: (totalram − hugetlb_total_pages()) × overcommit_ratio /
     * 100 + total_swap_pages, with no huge pages, no swap and overcommit_kbytes 0.
     */
    static long vmCommitLimit(long totalram) {
        return (totalram - 0) * OVERCOMMIT_RATIO / 100 + 0;
    }

    /**
     * VMALLOC_TOTAL in bytes. x86_64: 32 TiB − 1. i386 (arch/x86/include/asm/pgtable_32_areas.h):
     * VMALLOC_END − VMALLOC_START, VMALLOC_START = high_memory + VMALLOC_OFFSET, high_memory =
     * PAGE_OFFSET + max_low_pfn pages, and VMALLOC_END = PAGE_OFFSET + MAXMEM + __VMALLOC_RESERVE,
     * MAXMEM_PFN being the kernel's default max_low_pfn (the build's, with the default 128 MiB
     * reserve); PAGE_OFFSET cancels out.
     */
    static long vmallocTotal(Machine m) {
        Arch arch = m.layout.arch();
        if (arch == Arch.X86_64) {
            return VMALLOC_TOTAL_X86_64;
        }
        long maxmemPfn = Linux61.defaultMaxLowPfn(arch);
        long maxLowPfn = Math.min(m.layout.maxPfn(), m.layout.maxLowPfn() > 0 ? m.layout.maxLowPfn() : maxmemPfn);
        long vmallocEnd = (maxmemPfn << 12) + VMALLOC_RESERVE;
        long vmallocStart = (maxLowPfn << 12) + VMALLOC_OFFSET;
        return vmallocEnd - vmallocStart;
    }

    /** {@code si_mem_available()}, mm/page_alloc.c (6.1), of the machine's counters. */
    public static long siMemAvailable(Machine m) {
        long wmarkLow = 0;
        for (Zone z : m.zones) { // for_each_zone(zone)
            wmarkLow += z.lowWmark();
        }
        return siMemAvailable(VmstatView61.globalZonePageState(m, ZoneItem.NR_FREE_PAGES),
                VmstatView61.totalreservePages(m), wmarkLow,
                NodeItem.NR_ACTIVE_FILE.of(m) + NodeItem.NR_INACTIVE_FILE.of(m),
                NodeItem.NR_SLAB_RECLAIMABLE_B.of(m) + NodeItem.NR_KERNEL_MISC_RECLAIMABLE.of(m));
    }

    /**
     * {@code si_mem_available()}'s arithmetic: the free pages less totalreserve_pages, plus the page
     * cache and the reclaimable kernel memory each less the part assumed to stay (half of it, at most
     * the sum of the low watermarks); not below 0.
     *
     * @param fileLru pages[LRU_ACTIVE_FILE] + pages[LRU_INACTIVE_FILE]
     * @param reclaimable NR_SLAB_RECLAIMABLE_B (in pages) + NR_KERNEL_MISC_RECLAIMABLE
     */
    static long siMemAvailable(long freePages, long totalreserve, long wmarkLow, long fileLru, long reclaimable) {
        long available = freePages - totalreserve;
        long pagecache = fileLru;
        pagecache -= Math.min(pagecache / 2, wmarkLow);
        available += pagecache;
        available += reclaimable - Math.min(reclaimable / 2, wmarkLow);
        return Math.max(0, available);
    }

    /** {@code show_val_kb(m, label, pages)}: the label (its padding included) and {@code %8lu kB}. */
    private static void kb(StringBuilder sb, String label, long pages) {
        sb.append(label).append(f("%8d kB\n", pages << (12 - 10)));
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
