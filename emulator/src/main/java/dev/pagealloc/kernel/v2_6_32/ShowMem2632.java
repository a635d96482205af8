package dev.pagealloc.kernel.v2_6_32;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 2.6.32 failure report: the {@code __alloc_pages_slowpath()} warning line, then
 * {@code show_mem()} (lib/show_mem.c) with {@code show_free_areas()} (mm/page_alloc.c) and
 * {@code show_swap_cache_info()} (mm/swap_state.c), each line a transliteration of the kernel's
 * printk. {@code K(x)} is pages × 4 kB. The call trace is not printed: the emulator runs no code
 * whose frames it could show.
 */
public final class ShowMem2632 {
    private ShowMem2632() {}

    /** What {@code show_free_areas()} prints about one populated zone. Counters are in pages. */
    public record ZoneInfo(int node, String name, int[] pcpHigh, int[] pcpBatch, int[] pcpCount, long free, long min,
            long low, long high, Map<String, Long> counters, long present, long pagesScanned,
            boolean allUnreclaimable, long[] lowmemReserve, long[] nrFree) {}

    /** Swap lines of {@code show_swap_cache_info()}. */
    public record Swap(long swapCachePages, long add, long delete, long findSuccess, long findTotal, long freeKb,
            long totalKb) {}

    /**
     * Everything show_mem prints. {@code global} holds the global counters in pages, keyed as the
     * kernel labels them (active_anon … bounce); {@code pagesHighMem} is null without CONFIG_HIGHMEM.
     */
    public record MemInfo(boolean numa, List<ZoneInfo> zones, Map<String, Long> global, long totalPagecache,
            Swap swap, long pagesRam, Long pagesHighMem, long pagesReserved, long pagesShared,
            long pagesNonShared) {}

    private static final String[] ZONE_KB = {
        "active_anon", "inactive_anon", "active_file", "inactive_file", "unevictable", "isolated(anon)",
        "isolated(file)"
    };
    private static final String[] ZONE_KB2 = {
        "mlocked", "dirty", "writeback", "mapped", "shmem", "slab_reclaimable", "slab_unreclaimable"
    };

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    /** {@code "%s: page allocation failure. order:%d, mode:0x%x"} (2.6.32 __alloc_pages_slowpath). */
    public static String header(String comm, int order, int gfpMask) {
        return f("%s: page allocation failure. order:%d, mode:0x%x\n", comm, order, gfpMask);
    }

    /** {@code dump_stack()}'s first line on x86 2.6.32: {@code "Pid: %d, comm: %.20s %s %s %.*s"}. */
    public static String pidLine(int pid, String comm, String release, String version) {
        String c = comm.length() > 20 ? comm.substring(0, 20) : comm;
        return f("Pid: %d, comm: %s %s %s %s\n", pid, c, "Not tainted", release, version);
    }

    /** {@code show_mem()}: "Mem-Info:", show_free_areas(), the page totals. */
    public static String showMem(MemInfo m) {
        StringBuilder sb = new StringBuilder("Mem-Info:\n");
        showFreeAreas(sb, m);
        sb.append(f("%d pages RAM\n", m.pagesRam()));
        if (m.pagesHighMem() != null) {
            sb.append(f("%d pages HighMem\n", m.pagesHighMem()));
        }
        sb.append(f("%d pages reserved\n", m.pagesReserved()));
        sb.append(f("%d pages shared\n", m.pagesShared()));
        sb.append(f("%d pages non-shared\n", m.pagesNonShared()));
        return sb.toString();
    }

    private static String node(MemInfo m, ZoneInfo z) {
        return m.numa() ? f("Node %d ", z.node()) : ""; // show_node()
    }

    private static long g(Map<String, Long> map, String key) {
        Long v = map.get(key);
        return v == null ? 0 : v;
    }

    /** {@code show_free_areas()}, mm/page_alloc.c (2.6.32). */
    static void showFreeAreas(StringBuilder sb, MemInfo m) {
        for (ZoneInfo z : m.zones()) {
            sb.append(node(m, z)).append(f("%s per-cpu:\n", z.name()));
            for (int cpu = 0; cpu < z.pcpHigh().length; cpu++) {
                sb.append(f("CPU %4d: hi:%5d, btch:%4d usd:%4d\n", cpu, z.pcpHigh()[cpu], z.pcpBatch()[cpu],
                        z.pcpCount()[cpu]));
            }
        }
        Map<String, Long> gl = m.global();
        sb.append(f("active_anon:%d inactive_anon:%d isolated_anon:%d\n"
                        + " active_file:%d inactive_file:%d isolated_file:%d\n"
                        + " unevictable:%d dirty:%d writeback:%d unstable:%d\n"
                        + " free:%d slab_reclaimable:%d slab_unreclaimable:%d\n"
                        + " mapped:%d shmem:%d pagetables:%d bounce:%d\n",
                g(gl, "active_anon"), g(gl, "inactive_anon"), g(gl, "isolated_anon"), g(gl, "active_file"),
                g(gl, "inactive_file"), g(gl, "isolated_file"), g(gl, "unevictable"), g(gl, "dirty"),
                g(gl, "writeback"), g(gl, "unstable"), g(gl, "free"), g(gl, "slab_reclaimable"),
                g(gl, "slab_unreclaimable"), g(gl, "mapped"), g(gl, "shmem"), g(gl, "pagetables"), g(gl, "bounce")));
        for (ZoneInfo z : m.zones()) {
            Map<String, Long> c = z.counters();
            sb.append(node(m, z)).append(z.name());
            sb.append(f(" free:%dkB min:%dkB low:%dkB high:%dkB", z.free() * 4, z.min() * 4, z.low() * 4,
                    z.high() * 4));
            for (String k : ZONE_KB) {
                sb.append(f(" %s:%dkB", k, g(c, k) * 4));
            }
            sb.append(f(" present:%dkB", z.present() * 4));
            for (String k : ZONE_KB2) {
                sb.append(f(" %s:%dkB", k, g(c, k) * 4));
            }
            // kernel_stack: NR_KERNEL_STACK × THREAD_SIZE / 1024 (8 kB stacks on x86_64): kept in kB
            sb.append(f(" kernel_stack:%dkB", g(c, "kernel_stack_kb")));
            sb.append(f(" pagetables:%dkB unstable:%dkB bounce:%dkB writeback_tmp:%dkB", g(c, "pagetables") * 4,
                    g(c, "unstable") * 4, g(c, "bounce") * 4, g(c, "writeback_tmp") * 4));
            sb.append(f(" pages_scanned:%d all_unreclaimable? %s\n", z.pagesScanned(),
                    z.allUnreclaimable() ? "yes" : "no"));
            sb.append("lowmem_reserve[]:");
            for (long v : z.lowmemReserve()) {
                sb.append(f(" %d", v));
            }
            sb.append('\n');
        }
        for (ZoneInfo z : m.zones()) {
            sb.append(node(m, z)).append(f("%s: ", z.name()));
            long total = 0;
            for (int order = 0; order < z.nrFree().length; order++) {
                total += z.nrFree()[order] << order;
            }
            for (int order = 0; order < z.nrFree().length; order++) {
                sb.append(f("%d*%dkB ", z.nrFree()[order], 4L << order));
            }
            sb.append(f("= %dkB\n", total * 4));
        }
        sb.append(f("%d total pagecache pages\n", m.totalPagecache()));
        if (m.swap() != null) { // show_swap_cache_info(), mm/swap_state.c
            Swap s = m.swap();
            sb.append(f("%d pages in swap cache\n", s.swapCachePages()));
            sb.append(f("Swap cache stats: add %d, delete %d, find %d/%d\n", s.add(), s.delete(), s.findSuccess(),
                    s.findTotal()));
            sb.append(f("Free swap  = %dkB\n", s.freeKb()));
            sb.append(f("Total swap = %dkB\n", s.totalKb()));
        }
    }
}
