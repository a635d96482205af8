package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * /proc/meminfo as Linux 2.6.32 prints it: a transliteration of fs/proc/meminfo.c
 * {@code meminfo_proc_show()} followed by mm/hugetlb.c {@code hugetlb_report_meminfo()} and
 * arch/x86/mm/pageattr.c {@code arch_report_meminfo()}.
 *
 * <p><b>Field list and formats</b> ({@code K(x)} = x &lt;&lt; (PAGE_SHIFT − 10)): MemTotal,
 * MemFree, Buffers, Cached, SwapCached, Active, Inactive, Active(anon), Inactive(anon),
 * Active(file), Inactive(file), Unevictable, Mlocked, [HighTotal, HighFree, LowTotal, LowFree
 * with CONFIG_HIGHMEM], SwapTotal, SwapFree, Dirty, Writeback, AnonPages, Mapped, Shmem, Slab,
 * SReclaimable, SUnreclaim, KernelStack, PageTables, NFS_Unstable, Bounce, WritebackTmp,
 * CommitLimit, Committed_AS, VmallocTotal, VmallocUsed, VmallocChunk, each {@code "%-15s %8lu
 * kB"} shaped ({@code "MemTotal:       %8lu kB\n"}); {@code "HardwareCorrupted: %5lu kB\n"}
 * (CONFIG_MEMORY_FAILURE, new in 2.6.32); then {@code "HugePages_Total:   %5lu\n"},
 * HugePages_Free, HugePages_Rsvd, HugePages_Surp ({@code %5lu}, no unit),
 * {@code "Hugepagesize:   %8lu kB\n"}; then {@code "DirectMap4k:    %8lu kB\n"} and
 * DirectMap2M (x86_64, PAE) or DirectMap4M (non-PAE i386). Not printed, as in the emulated
 * config: Quicklists (CONFIG_QUICKLIST is not x86), MmapCopy (!CONFIG_MMU), MemAvailable (3.14),
 * AnonHugePages (2.6.38), DirectMap1G (only with gbpages, which the emulated CPU lacks).
 *
 * <p><b>Sources read</b> (chenbq83/Linux-2.6.32.69 does not hold fs/proc/meminfo.c in the index):
 * a 2.6.38-era copy of fs/proc/meminfo.c (an MSM Android tree; identical to 2.6.32 apart from its
 * CONFIG_TRANSPARENT_HUGEPAGE lines, which 2.6.32 lacks), including the {@code si_meminfo()},
 * {@code allowed}, {@code cached} and argument computations used below; the HWPOISON series'
 * meminfo hunk (2009, for 2.6.32) that adds HardwareCorrupted after VmallocChunk; later
 * fs/proc/meminfo.c copies for the {@code HugePages_*} block format. The line shapes that 6.1
 * shares with 2.6.32 (label padding, {@code %8lu kB}, {@code HardwareCorrupted:     0 kB}, the
 * HugePages_* lines) were checked against the real 6.1 dumps in shared/oracle/captures.
 *
 * <p><b>Values.</b> {@code totalram_pages} in 2.6.32 is what {@code mem_init()} counted as freed to
 * the buddy allocator at boot ({@code free_all_bootmem()}, plus highmem pages on i386): here the
 * RAM pages of the layout outside its reserved ranges, i.e. exactly what {@link Boot2632} freed (the
 * later {@code free_initmem()} of the kernel's init sections is not modelled). totalhigh_pages is
 * the part of that at or above the first highmem pfn. MemFree is {@code global_page_state(NR_FREE_PAGES)},
 * HighFree the highmem zones' NR_FREE_PAGES; the LRU, Mlocked, Dirty, Writeback, AnonPages,
 * Mapped, Shmem, Slab*, PageTables, NFS_Unstable, Bounce and WritebackTmp lines are the zones'
 * {@link Zone#vmStat} sums; KernelStack is NR_KERNEL_STACK × THREAD_SIZE (8 KiB) / 1024; Cached is
 * NR_FILE_PAGES − swapcache − buffers (both 0), clamped at 0. SwapTotal is the caller's
 * {@code swapTotalPages}, SwapFree {@link Vmscan#swapFree()} (or SwapTotal without a Vmscan).
 * CommitLimit = totalram × overcommit_ratio (50) / 100 + swap total (no huge pages).
 * VmallocTotal is x86_64's VMALLOC_END − VMALLOC_START (0xffffe1ffffffffff − 0xffffc20000000000)
 * &gt;&gt; 10. Not modelled, printed 0: Buffers, SwapCached, Committed_AS, VmallocTotal on i386
 * (it depends on the fixmap/pkmap layout), VmallocUsed, VmallocChunk, HardwareCorrupted, every
 * HugePages_* count, DirectMap4k and DirectMap2M/4M. Hugepagesize is 1 &lt;&lt; (HUGETLB_PAGE_ORDER
 * + 2) kB: 2048 (x86_64, PAE) or 4096 (i386).
 */
public final class MeminfoView2632 {
    private MeminfoView2632() {}

    /** x86_64 2.6.32: VMALLOC_START 0xffffc20000000000, VMALLOC_END 0xffffe1ffffffffff. */
    static final long VMALLOC_TOTAL_X86_64 = 0xffffe1ffffffffffL - 0xffffc20000000000L;

    /** THREAD_SIZE on x86 (8 KiB stacks; CONFIG_4KSTACKS off). */
    static final long THREAD_SIZE = 8192;

    /** sysctl_overcommit_ratio's default. */
    static final long OVERCOMMIT_RATIO = 50;

    /**
     * /proc/meminfo of {@code m}.
     *
     * @param v the reclaim model, or null (SwapFree then equals SwapTotal)
     * @param swapTotalPages {@code total_swap_pages}: the swap the machine was given
     */
    public static String meminfo(Machine m, Vmscan v, long swapTotalPages) {
        Arch arch = m.layout.arch();
        boolean highmemConfig = arch.hasHighmem();

        long totalram = totalramPages(m);
        long totalhigh = totalhighPages(m);
        long freeram = gps(m, ZoneStatItem.NR_FREE_PAGES);
        long freehigh = 0;
        for (Zone z : m.zones) {
            if (z.isHighmem()) {
                freehigh += Math.max(0, z.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()]);
            }
        }
        long bufferram = 0; // nr_blockdev_pages(): no block devices
        long swapcache = 0; // total_swapcache_pages
        long totalswap = swapTotalPages;
        long freeswap = v == null ? swapTotalPages : v.swapFree();
        long committed = 0; // vm_committed_as: not modelled
        long allowed = (totalram - 0 /* hugetlb_total_pages() */) * OVERCOMMIT_RATIO / 100 + swapTotalPages;
        long cached = gps(m, ZoneStatItem.NR_FILE_PAGES) - swapcache - bufferram;
        if (cached < 0) {
            cached = 0;
        }
        long inactiveAnon = gps(m, ZoneStatItem.NR_INACTIVE_ANON);
        long activeAnon = gps(m, ZoneStatItem.NR_ACTIVE_ANON);
        long inactiveFile = gps(m, ZoneStatItem.NR_INACTIVE_FILE);
        long activeFile = gps(m, ZoneStatItem.NR_ACTIVE_FILE);
        long unevictable = gps(m, ZoneStatItem.NR_UNEVICTABLE);
        long slabR = gps(m, ZoneStatItem.NR_SLAB_RECLAIMABLE);
        long slabU = gps(m, ZoneStatItem.NR_SLAB_UNRECLAIMABLE);

        StringBuilder sb = new StringBuilder(2048);
        kb(sb, "MemTotal:       ", k(totalram));
        kb(sb, "MemFree:        ", k(freeram));
        kb(sb, "Buffers:        ", k(bufferram));
        kb(sb, "Cached:         ", k(cached));
        kb(sb, "SwapCached:     ", k(swapcache));
        kb(sb, "Active:         ", k(activeAnon + activeFile));
        kb(sb, "Inactive:       ", k(inactiveAnon + inactiveFile));
        kb(sb, "Active(anon):   ", k(activeAnon));
        kb(sb, "Inactive(anon): ", k(inactiveAnon));
        kb(sb, "Active(file):   ", k(activeFile));
        kb(sb, "Inactive(file): ", k(inactiveFile));
        kb(sb, "Unevictable:    ", k(unevictable));
        kb(sb, "Mlocked:        ", k(gps(m, ZoneStatItem.NR_MLOCK)));
        if (highmemConfig) {
            kb(sb, "HighTotal:      ", k(totalhigh));
            kb(sb, "HighFree:       ", k(freehigh));
            kb(sb, "LowTotal:       ", k(totalram - totalhigh));
            kb(sb, "LowFree:        ", k(freeram - freehigh));
        }
        kb(sb, "SwapTotal:      ", k(totalswap));
        kb(sb, "SwapFree:       ", k(freeswap));
        kb(sb, "Dirty:          ", k(gps(m, ZoneStatItem.NR_FILE_DIRTY)));
        kb(sb, "Writeback:      ", k(gps(m, ZoneStatItem.NR_WRITEBACK)));
        kb(sb, "AnonPages:      ", k(gps(m, ZoneStatItem.NR_ANON_PAGES)));
        kb(sb, "Mapped:         ", k(gps(m, ZoneStatItem.NR_FILE_MAPPED)));
        kb(sb, "Shmem:          ", k(gps(m, ZoneStatItem.NR_SHMEM)));
        kb(sb, "Slab:           ", k(slabR + slabU));
        kb(sb, "SReclaimable:   ", k(slabR));
        kb(sb, "SUnreclaim:     ", k(slabU));
        kb(sb, "KernelStack:    ", gps(m, ZoneStatItem.NR_KERNEL_STACK) * THREAD_SIZE / 1024);
        kb(sb, "PageTables:     ", k(gps(m, ZoneStatItem.NR_PAGETABLE)));
        kb(sb, "NFS_Unstable:   ", k(gps(m, ZoneStatItem.NR_UNSTABLE_NFS)));
        kb(sb, "Bounce:         ", k(gps(m, ZoneStatItem.NR_BOUNCE)));
        kb(sb, "WritebackTmp:   ", k(gps(m, ZoneStatItem.NR_WRITEBACK_TEMP)));
        kb(sb, "CommitLimit:    ", k(allowed));
        kb(sb, "Committed_AS:   ", k(committed));
        kb(sb, "VmallocTotal:   ", arch == Arch.X86_64 ? VMALLOC_TOTAL_X86_64 >>> 10 : 0);
        kb(sb, "VmallocUsed:    ", 0); // vmi.used >> 10
        kb(sb, "VmallocChunk:   ", 0); // vmi.largest_chunk >> 10
        // CONFIG_MEMORY_FAILURE: atomic_long_read(&mce_bad_pages) << (PAGE_SHIFT - 10)
        sb.append(f("HardwareCorrupted: %5d kB\n", 0L));

        // hugetlb_report_meminfo(), mm/hugetlb.c: the default hstate, no pool configured
        sb.append(f("HugePages_Total:   %5d\n", 0L));
        sb.append(f("HugePages_Free:    %5d\n", 0L));
        sb.append(f("HugePages_Rsvd:    %5d\n", 0L));
        sb.append(f("HugePages_Surp:    %5d\n", 0L));
        kb(sb, "Hugepagesize:   ", 1L << (arch.pageblockOrder + 12 - 10));

        // arch_report_meminfo(), arch/x86/mm/pageattr.c: direct_pages_count[] is not modelled
        kb(sb, "DirectMap4k:    ", 0);
        if (arch == Arch.I386) {
            kb(sb, "DirectMap4M:    ", 0);
        } else {
            kb(sb, "DirectMap2M:    ", 0);
        }
        return sb.toString();
    }

    /**
     * {@code totalram_pages} after {@code mem_init()}: the RAM pages of the layout that are not in a
     * reserved range, i.e. the pages {@link Boot2632} freed to the buddy allocator.
     */
    public static long totalramPages(Machine m) {
        return freedPagesFrom(m.layout, 0);
    }

    /** {@code totalhigh_pages}: the part of {@link #totalramPages} in highmem zones (0 on x86_64). */
    public static long totalhighPages(Machine m) {
        long highStart = Long.MAX_VALUE;
        for (Zone z : m.zones) {
            if (z.isHighmem() && z.spannedPages > 0) {
                highStart = Math.min(highStart, z.zoneStartPfn);
            }
        }
        return highStart == Long.MAX_VALUE ? 0 : freedPagesFrom(m.layout, highStart);
    }

    /** RAM pages at or above {@code fromPfn} that no reserved range covers. */
    static long freedPagesFrom(MachineLayout layout, long fromPfn) {
        List<PfnRange> res = new ArrayList<>(layout.reserved());
        res.sort(Comparator.comparingLong(PfnRange::start));
        long n = 0;
        for (PfnRange r : layout.ram()) {
            long s = Math.max(r.start(), fromPfn);
            long e = r.end();
            if (e <= s) {
                continue;
            }
            long covered = 0;
            long cursor = s; // reserved ranges may overlap: count each pfn once
            for (PfnRange x : res) {
                long xs = Math.max(x.start(), cursor);
                long xe = Math.min(x.end(), e);
                if (xe > xs) {
                    covered += xe - xs;
                    cursor = xe;
                }
            }
            n += (e - s) - covered;
        }
        return n;
    }

    /** {@code global_page_state()}: Σ over the zones, clamped at 0. */
    private static long gps(Machine m, ZoneStatItem item) {
        return VmstatView2632.globalPageState(m, item);
    }

    /** {@code K(x)}: pages to kB (PAGE_SHIFT 12). */
    private static long k(long pages) {
        return pages << (12 - 10);
    }

    /** One {@code "<label>%8lu kB\n"} line; the label carries the kernel's own padding. */
    private static void kb(StringBuilder sb, String label, long kb) {
        sb.append(label).append(f("%8d kB\n", kb));
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
