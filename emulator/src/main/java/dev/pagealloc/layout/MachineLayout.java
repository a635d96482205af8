package dev.pagealloc.layout;

import dev.pagealloc.profile.Arch;
import dev.pagealloc.profile.Thp;
import java.util.List;

/**
 * An emulated machine as data: the firmware's memory map (usable RAM ranges), the ranges the
 * kernel keeps for itself before the buddy allocator takes over (kernel image, boot allocations,
 * firmware tables: they stay PageReserved), and the CPUs. Mirrors what arch/x86 setup hands to
 * {@code free_area_init_nodes()}: e820 active ranges plus bootmem reservations.
 *
 * @param ram usable RAM (e820 type 1), sorted, disjoint
 * @param reserved ranges inside RAM never freed to the buddy allocator
 * @param dmaReserve pages 2.6.32 subtracts from ZONE_DMA's present count ({@code set_dma_reserve})
 * @param maxLowPfn i386 only: end of lowmem ({@code max_low_pfn}); 0 means the kernel's default
 * @param sectionBits SPARSEMEM section size in pfn bits (15 = 128 MiB on x86_64), for pfn_valid
 * @param lateFreed ranges reserved while the watermarks are computed and freed at the end of boot
 *     (the initrd, the kernel's init sections: "Freeing initrd memory", "Freeing unused kernel
 *     image ... memory"); they count in managed but not in the watermarks (6.1)
 * @param thp the THP mode at boot ({@code transparent_hugepage=}); khugepaged raises
 *     min_free_kbytes unless it is "never" (kernels with THP)
 */
public record MachineLayout(
        String name,
        Arch arch,
        int cpus,
        List<PfnRange> ram,
        List<PfnRange> reserved,
        long dmaReserve,
        long maxLowPfn,
        int sectionBits,
        List<PfnRange> lateFreed,
        Thp thp) {

    /** A machine with nothing freed late and THP "always" (what distributions ship). */
    public MachineLayout(String name, Arch arch, int cpus, List<PfnRange> ram, List<PfnRange> reserved,
            long dmaReserve, long maxLowPfn, int sectionBits) {
        this(name, arch, cpus, ram, reserved, dmaReserve, maxLowPfn, sectionBits, List.of(), Thp.ALWAYS);
    }

    public MachineLayout {
        ram = List.copyOf(ram);
        reserved = List.copyOf(reserved);
        lateFreed = List.copyOf(lateFreed);
        if (thp == null) {
            thp = Thp.ALWAYS;
        }
        if (cpus < 1 || cpus > 4096) {
            throw new IllegalArgumentException("cpus must be 1 … 4096, got " + cpus);
        }
        if (ram.isEmpty()) {
            throw new IllegalArgumentException("a machine needs at least one RAM range");
        }
        long prevEnd = -1;
        for (PfnRange r : ram) {
            if (r.start() < prevEnd) {
                throw new IllegalArgumentException("RAM ranges must be sorted and disjoint");
            }
            prevEnd = r.end();
        }
        if (prevEnd > arch.maxAddressablePfn()) {
            throw new IllegalArgumentException(
                    String.format(
                            "RAM ends at %#x but %s addresses at most %#x (%d GiB)",
                            prevEnd << 12,
                            arch.cliName,
                            arch.maxAddressablePfn() << 12,
                            (arch.maxAddressablePfn() << 12) >> 30));
        }
    }

    /** The same machine with {@code n} CPUs (the constructor checks the range). */
    public MachineLayout withCpus(int n) {
        return n == cpus ? this
                : new MachineLayout(name, arch, n, ram, reserved, dmaReserve, maxLowPfn, sectionBits, lateFreed, thp);
    }

    /** The same machine booted with THP mode {@code t}. */
    public MachineLayout withThp(Thp t) {
        return new MachineLayout(name, arch, cpus, ram, reserved, dmaReserve, maxLowPfn, sectionBits, lateFreed, t);
    }

    /** The last RAM pfn + 1 ({@code max_pfn}). */
    public long maxPfn() {
        return ram.get(ram.size() - 1).end();
    }

    /** The first RAM pfn ({@code find_min_pfn_with_active_regions()}). */
    public long minPfn() {
        return ram.get(0).start();
    }

    /** Total usable RAM pages. */
    public long ramPages() {
        long n = 0;
        for (PfnRange r : ram) {
            n += r.pages();
        }
        return n;
    }

    public boolean isRam(long pfn) {
        for (PfnRange r : ram) {
            if (r.contains(pfn)) {
                return true;
            }
        }
        return false;
    }

    /** The RAM pages in {@code [start, end)}. */
    public long ramPagesIn(long start, long end) {
        long n = 0;
        for (PfnRange r : ram) {
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
    public boolean pfnValid(long pfn) {
        long s = (pfn >> sectionBits) << sectionBits;
        long e = s + (1L << sectionBits);
        for (PfnRange r : ram) {
            if (r.start() < e && r.end() > s) {
                return true;
            }
        }
        return false;
    }

    /** Whether the pfn lies in a range the kernel keeps for itself ({@link #reserved}). */
    public boolean isReserved(long pfn) {
        return contains(reserved, pfn);
    }

    /** Whether the pfn lies in a range freed only at the end of boot ({@link #lateFreed}). */
    public boolean isLateFreed(long pfn) {
        return contains(lateFreed, pfn);
    }

    private static boolean contains(List<PfnRange> ranges, long pfn) {
        for (PfnRange r : ranges) {
            if (r.contains(pfn)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pages the memmap covers: {@code max_pfn} rounded up to whole MAX_ORDER blocks, so that
     * buddy pfns never leave it.
     */
    public long memmapPages() {
        long block = 1L << (dev.pagealloc.mmzone.Zone.MAX_ORDER - 1);
        return (maxPfn() + block - 1) & ~(block - 1);
    }
}
