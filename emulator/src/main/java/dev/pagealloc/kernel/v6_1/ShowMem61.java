package dev.pagealloc.kernel.v6_1;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Linux 6.1 failure report: {@code warn_alloc()} (mm/page_alloc.c) — the header line, the
 * first lines of {@code dump_stack()} (lib/dump_stack.c) — then {@code __show_mem()}
 * (lib/show_mem.c) with {@code __show_free_areas()} and {@code show_migration_types()}
 * (mm/page_alloc.c), {@code hugetlb_show_meminfo_node()} (mm/hugetlb.c) and
 * {@code show_swap_cache_info()} (mm/swap_state.c), each line a transliteration of the kernel's
 * printk. {@code K(x)} is pages × 4 kB. No call-trace frames are printed: the emulator runs no code
 * whose frames it could show.
 */
public final class ShowMem61 {
    private ShowMem61() {}

    /**
     * What {@code __show_free_areas()} prints about one zone (counters in pages).
     *
     * @param counters the zone line's NR_ZONE_* items keyed as printed: active_anon, inactive_anon,
     *     active_file, inactive_file, unevictable, writepending, mlocked, bounce, free_cma
     * @param nrFree {@code free_area[order].nr_free} for orders 0 … MAX_ORDER-1
     * @param types per order, bit {@code t} set when {@code free_list[t]} is non-empty, {@code t} the
     *     kernel's migratetype value (U 0, M 1, E 2, H 3, I 4 without CMA)
     */
    public record ZoneInfo(int node, String name, long free, long boost, long min, long low, long high,
            long reservedHighatomic, Map<String, Long> counters, long present, long managed, long freePcp,
            long localPcp, long[] lowmemReserve, long[] nrFree, int[] types) {}

    /**
     * The per-node line: {@code kb} holds active_anon … pagetables, sec_pagetables in kB, keyed as
     * printed (kernel_stack already in kB, as NR_KERNEL_STACK_KB is).
     */
    public record NodeInfo(int node, Map<String, Long> kb, boolean allUnreclaimable) {}

    /** One {@code hugetlb_show_meminfo_node()} line. */
    public record Hugepages(int node, long total, long free, long surp, long sizeKb) {}

    /** {@code show_swap_cache_info()} of 6.1: three lines. */
    public record Swap(long swapCachePages, long freeKb, long totalKb) {}

    /**
     * Everything {@code __show_mem()} prints. {@code global} holds the global block in pages keyed as
     * printed (active_anon … free_cma); {@code numa} is CONFIG_NUMA ("Node N " before zone and buddy
     * lines); {@code thp} is CONFIG_TRANSPARENT_HUGEPAGE (the shmem_thp/anon_thp fields);
     * {@code hwpoisoned} is null without CONFIG_MEMORY_FAILURE.
     */
    public record MemInfo(boolean numa, boolean thp, Map<String, Long> global, List<NodeInfo> nodes,
            List<ZoneInfo> zones, List<Hugepages> hugepages, long totalPagecache, Swap swap, long pagesRam,
            long pagesHighMem, long pagesReserved, Long pagesHwpoisoned) {}

    /** Letters of {@code show_migration_types()} by kernel migratetype value, 6.1 without CONFIG_CMA. */
    public static final String TYPE_LETTERS = "UMEHI";

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    private static long g(Map<String, Long> map, String key) {
        Long v = map.get(key);
        return v == null ? 0 : v;
    }

    /**
     * {@code warn_alloc()}, mm/page_alloc.c (6.1): {@code "%s: %pV, mode:%#x(%pGg), nodemask=%*pbl"}
     * with {@code "page allocation failure: order:%u"}, then
     * {@code cpuset_print_current_mems_allowed()} (kernel/cgroup/cpuset.c):
     * {@code ",cpuset=%s,mems_allowed=%*pbl"}. {@code headerMode} is {@code GfpBits.headerMode()}.
     */
    public static String header(String comm, int order, String headerMode, String nodemask, String cpuset,
            String memsAllowed) {
        return f("%s: page allocation failure: order:%d, mode:%s, nodemask=%s,cpuset=%s,mems_allowed=%s\n", comm,
                order, headerMode, nodemask, cpuset, memsAllowed);
    }

    /**
     * {@code dump_stack_print_info()}, lib/dump_stack.c (6.1):
     * {@code "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s"} (no kdump loaded, {@code print_tainted()},
     * release, version up to its first space), then {@code "Hardware name: %s"}; then x86's
     * {@code show_trace_log_lvl()} (arch/x86/kernel/dumpstack.c): {@code "Call Trace:"} and, on
     * x86_64, the {@code " <TASK>"} / {@code " </TASK>"} markers around the (here absent) frames.
     */
    public static String dumpStack(int cpu, int pid, String comm, String tainted, String release, String version,
            String hardware, boolean taskMarkers) {
        String c = comm.length() > 20 ? comm.substring(0, 20) : comm;
        int sp = version.indexOf(' ');
        String v = sp < 0 ? version : version.substring(0, sp);
        StringBuilder sb = new StringBuilder();
        sb.append(f("CPU: %d PID: %d Comm: %s %s %s %s\n", cpu, pid, c, tainted, release, v));
        if (hardware != null && !hardware.isEmpty()) {
            sb.append(f("Hardware name: %s\n", hardware));
        }
        sb.append("Call Trace:\n");
        if (taskMarkers) {
            sb.append(" <TASK>\n").append(" </TASK>\n");
        }
        return sb.toString();
    }

    /** {@code __show_mem()}, lib/show_mem.c (6.1): "Mem-Info:", __show_free_areas(), the page totals. */
    public static String showMem(MemInfo m) {
        StringBuilder sb = new StringBuilder("Mem-Info:\n");
        showFreeAreas(sb, m);
        sb.append(f("%d pages RAM\n", m.pagesRam()));
        sb.append(f("%d pages HighMem/MovableOnly\n", m.pagesHighMem()));
        sb.append(f("%d pages reserved\n", m.pagesReserved()));
        if (m.pagesHwpoisoned() != null) { // CONFIG_MEMORY_FAILURE
            sb.append(f("%d pages hwpoisoned\n", m.pagesHwpoisoned()));
        }
        return sb.toString();
    }

    /** {@code show_node()}, mm/page_alloc.c: "Node %d " only with CONFIG_NUMA. */
    private static String node(MemInfo m, ZoneInfo z) {
        return m.numa() ? f("Node %d ", z.node()) : "";
    }

    /** {@code show_migration_types()}, mm/page_alloc.c (6.1): {@code "(%s) "}, letters in kernel value order. */
    public static String showMigrationTypes(int type) {
        StringBuilder tmp = new StringBuilder();
        for (int i = 0; i < TYPE_LETTERS.length(); i++) {
            if ((type & (1 << i)) != 0) {
                tmp.append(TYPE_LETTERS.charAt(i));
            }
        }
        return f("(%s) ", tmp);
    }

    /** {@code __show_free_areas()}, mm/page_alloc.c (6.1); the zones given are those it prints. */
    static void showFreeAreas(StringBuilder sb, MemInfo m) {
        Map<String, Long> gl = m.global();
        sb.append(f("active_anon:%d inactive_anon:%d isolated_anon:%d\n"
                        + " active_file:%d inactive_file:%d isolated_file:%d\n"
                        + " unevictable:%d dirty:%d writeback:%d\n"
                        + " slab_reclaimable:%d slab_unreclaimable:%d\n"
                        + " mapped:%d shmem:%d pagetables:%d\n"
                        + " sec_pagetables:%d bounce:%d\n"
                        + " kernel_misc_reclaimable:%d\n"
                        + " free:%d free_pcp:%d free_cma:%d\n",
                g(gl, "active_anon"), g(gl, "inactive_anon"), g(gl, "isolated_anon"), g(gl, "active_file"),
                g(gl, "inactive_file"), g(gl, "isolated_file"), g(gl, "unevictable"), g(gl, "dirty"),
                g(gl, "writeback"), g(gl, "slab_reclaimable"), g(gl, "slab_unreclaimable"), g(gl, "mapped"),
                g(gl, "shmem"), g(gl, "pagetables"), g(gl, "sec_pagetables"), g(gl, "bounce"),
                g(gl, "kernel_misc_reclaimable"), g(gl, "free"), g(gl, "free_pcp"), g(gl, "free_cma")));
        for (NodeInfo n : m.nodes()) {
            Map<String, Long> k = n.kb();
            sb.append(f("Node %d active_anon:%dkB inactive_anon:%dkB active_file:%dkB inactive_file:%dkB"
                            + " unevictable:%dkB isolated(anon):%dkB isolated(file):%dkB mapped:%dkB dirty:%dkB"
                            + " writeback:%dkB shmem:%dkB",
                    n.node(), g(k, "active_anon"), g(k, "inactive_anon"), g(k, "active_file"), g(k, "inactive_file"),
                    g(k, "unevictable"), g(k, "isolated(anon)"), g(k, "isolated(file)"), g(k, "mapped"),
                    g(k, "dirty"), g(k, "writeback"), g(k, "shmem")));
            if (m.thp()) { // CONFIG_TRANSPARENT_HUGEPAGE: note the space after the colon
                sb.append(f(" shmem_thp: %dkB shmem_pmdmapped: %dkB anon_thp: %dkB", g(k, "shmem_thp"),
                        g(k, "shmem_pmdmapped"), g(k, "anon_thp")));
            }
            sb.append(f(" writeback_tmp:%dkB kernel_stack:%dkB pagetables:%dkB sec_pagetables:%dkB"
                            + " all_unreclaimable? %s\n",
                    g(k, "writeback_tmp"), g(k, "kernel_stack"), g(k, "pagetables"), g(k, "sec_pagetables"),
                    n.allUnreclaimable() ? "yes" : "no"));
        }
        for (ZoneInfo z : m.zones()) {
            Map<String, Long> c = z.counters();
            sb.append(node(m, z));
            sb.append(f("%s free:%dkB boost:%dkB min:%dkB low:%dkB high:%dkB reserved_highatomic:%dKB"
                            + " active_anon:%dkB inactive_anon:%dkB active_file:%dkB inactive_file:%dkB"
                            + " unevictable:%dkB writepending:%dkB present:%dkB managed:%dkB mlocked:%dkB"
                            + " bounce:%dkB free_pcp:%dkB local_pcp:%dkB free_cma:%dkB\n",
                    z.name(), z.free() * 4, z.boost() * 4, z.min() * 4, z.low() * 4, z.high() * 4,
                    z.reservedHighatomic() * 4, g(c, "active_anon") * 4, g(c, "inactive_anon") * 4,
                    g(c, "active_file") * 4, g(c, "inactive_file") * 4, g(c, "unevictable") * 4,
                    g(c, "writepending") * 4, z.present() * 4, z.managed() * 4, g(c, "mlocked") * 4,
                    g(c, "bounce") * 4, z.freePcp() * 4, z.localPcp() * 4, g(c, "free_cma") * 4));
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
                if (z.nrFree()[order] != 0) {
                    sb.append(showMigrationTypes(z.types()[order]));
                }
            }
            sb.append(f("= %dkB\n", total * 4));
        }
        for (Hugepages h : m.hugepages()) { // hugetlb_show_meminfo_node(), mm/hugetlb.c
            sb.append(f("Node %d hugepages_total=%d hugepages_free=%d hugepages_surp=%d hugepages_size=%dkB\n",
                    h.node(), h.total(), h.free(), h.surp(), h.sizeKb()));
        }
        sb.append(f("%d total pagecache pages\n", m.totalPagecache()));
        Swap s = m.swap(); // show_swap_cache_info(), mm/swap_state.c (6.1)
        sb.append(f("%d pages in swap cache\n", s.swapCachePages()));
        sb.append(f("Free swap  = %dkB\n", s.freeKb()));
        sb.append(f("Total swap = %dkB\n", s.totalKb()));
    }
}
