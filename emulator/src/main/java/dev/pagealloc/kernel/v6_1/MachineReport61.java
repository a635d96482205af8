package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.kernel.v6_1.ShowMem61.Hugepages;
import dev.pagealloc.kernel.v6_1.ShowMem61.MemInfo;
import dev.pagealloc.kernel.v6_1.ShowMem61.NodeInfo;
import dev.pagealloc.kernel.v6_1.ShowMem61.Swap;
import dev.pagealloc.kernel.v6_1.ShowMem61.ZoneInfo;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The failure report an emulated 6.1 machine prints: {@code warn_alloc()} (mm/page_alloc.c) with
 * {@code __show_mem()}'s numbers read from the live zones — NR_FREE_PAGES, watermark_boost,
 * min/low/high with the boost, nr_reserved_highatomic, present/managed, the per-CPU counts, the
 * free lists per order and migratetype, lowmem_reserve — and lib/show_mem.c's totals from
 * present and managed (4.4+ no longer walks the memmap).
 *
 * <p>Where 6.1 keeps a counter per node (LRU sizes, slab, mapped, shmem, pagetables, kernel
 * stacks, file pages) the emulator keeps it per zone; the node and global values are the sums over
 * the node's zones. State the emulator does not model prints as what it is in the model: no
 * hugetlb pages, no swap, no CMA, no secondary page tables, no THP-backed shmem or anon, nothing
 * hwpoisoned — all zero.
 */
public final class MachineReport61 {
    private MachineReport61() {}

    /** {@code THREAD_SIZE} in kB: 16 on x86_64 (no KASAN), 8 on i386; NR_KERNEL_STACK counts stacks. */
    public static int threadSizeKb(Arch arch) {
        return arch == Arch.X86_64 ? 16 : 8;
    }

    /**
     * CONFIG_NUMA of the Debian 6.1 builds: on for amd64, off for 686 and 686-pae (their reports
     * print zone and buddy lines without "Node 0 ").
     */
    public static boolean numa(Machine m) {
        return m.kernel.features().numa() && m.layout.arch() == Arch.X86_64;
    }

    /** The whole report for a failed request, as dmesg would hold it, CPU 0 current. */
    public static String failureReport(Machine m, AllocFailure f, String comm, int pid) {
        return failureReport(m, f, comm, pid, 0);
    }

    /**
     * {@code warn_alloc()}, mm/page_alloc.c (6.1): the header, {@code dump_stack()}'s first lines,
     * then {@code warn_alloc_show_mem()} → {@code __show_mem(filter, NULL, gfp_zone(gfp_mask))}.
     * {@code cpu} is the CPU the request ran on (its pcp count is local_pcp).
     */
    public static String failureReport(Machine m, AllocFailure f, String comm, int pid, int cpu) {
        return ShowMem61.header(comm, f.order(), m.kernel.gfp().headerMode(f.gfpMask()), "(null)", "/", "0")
                + ShowMem61.dumpStack(cpu, pid, comm, "Not tainted", "6.1.0-pagealloc", "#1", "pagealloc emulator",
                        m.layout.arch() == Arch.X86_64)
                + ShowMem61.showMem(memInfo(m, f.highZoneIdx(), cpu));
    }

    /**
     * {@code __show_mem()}'s data for machine {@code m}, printing zones up to {@code maxZoneIdx}
     * ({@code gfp_zone()} of the failed request) as seen from {@code cpu}. One node, so the
     * SHOW_MEM_FILTER_NODES filter drops nothing.
     */
    public static MemInfo memInfo(Machine m, int maxZoneIdx, int cpu) {
        Migratetypes mts = m.kernel.migratetypes();
        List<ZoneInfo> zones = new ArrayList<>();
        Map<String, Long> global = new LinkedHashMap<>();
        long freePcpAll = 0;
        boolean nodeHasManaged = false;
        boolean allUnreclaimable = true;
        int node = 0;
        for (Zone z : m.populatedZones()) {
            node = z.nodeId;
            allUnreclaimable &= z.allUnreclaimable;
            add(global, "active_anon", z, ZoneStatItem.NR_ACTIVE_ANON);
            add(global, "inactive_anon", z, ZoneStatItem.NR_INACTIVE_ANON);
            add(global, "isolated_anon", z, ZoneStatItem.NR_ISOLATED_ANON);
            add(global, "active_file", z, ZoneStatItem.NR_ACTIVE_FILE);
            add(global, "inactive_file", z, ZoneStatItem.NR_INACTIVE_FILE);
            add(global, "isolated_file", z, ZoneStatItem.NR_ISOLATED_FILE);
            add(global, "unevictable", z, ZoneStatItem.NR_UNEVICTABLE);
            add(global, "dirty", z, ZoneStatItem.NR_FILE_DIRTY);
            add(global, "writeback", z, ZoneStatItem.NR_WRITEBACK);
            add(global, "slab_reclaimable", z, ZoneStatItem.NR_SLAB_RECLAIMABLE);
            add(global, "slab_unreclaimable", z, ZoneStatItem.NR_SLAB_UNRECLAIMABLE);
            add(global, "mapped", z, ZoneStatItem.NR_FILE_MAPPED);
            add(global, "shmem", z, ZoneStatItem.NR_SHMEM);
            add(global, "pagetables", z, ZoneStatItem.NR_PAGETABLE);
            add(global, "bounce", z, ZoneStatItem.NR_BOUNCE);
            add(global, "free", z, ZoneStatItem.NR_FREE_PAGES);
            add(global, "file_pages", z, ZoneStatItem.NR_FILE_PAGES);
            add(global, "kernel_stack", z, ZoneStatItem.NR_KERNEL_STACK);
            add(global, "writeback_tmp", z, ZoneStatItem.NR_WRITEBACK_TEMP);
            if (z.idx > maxZoneIdx) {
                continue;
            }
            nodeHasManaged |= z.managedPages != 0; // node_has_managed_zones()
            long freePcp = z.pcpPages();
            freePcpAll += freePcp;
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("active_anon", v(z, ZoneStatItem.NR_ACTIVE_ANON));
            c.put("inactive_anon", v(z, ZoneStatItem.NR_INACTIVE_ANON));
            c.put("active_file", v(z, ZoneStatItem.NR_ACTIVE_FILE));
            c.put("inactive_file", v(z, ZoneStatItem.NR_INACTIVE_FILE));
            c.put("unevictable", v(z, ZoneStatItem.NR_UNEVICTABLE));
            // NR_ZONE_WRITE_PENDING: dirty + writeback pages of this zone
            c.put("writepending", v(z, ZoneStatItem.NR_FILE_DIRTY) + v(z, ZoneStatItem.NR_WRITEBACK));
            c.put("mlocked", v(z, ZoneStatItem.NR_MLOCK));
            c.put("bounce", v(z, ZoneStatItem.NR_BOUNCE));
            c.put("free_cma", 0L); // no CONFIG_CMA
            long[] nr = new long[Zone.MAX_ORDER];
            int[] types = new int[Zone.MAX_ORDER];
            for (int o = 0; o < Zone.MAX_ORDER; o++) {
                nr[o] = z.nrFree[o];
                for (int t = 0; t < mts.count(); t++) {
                    if (z.listLen[Zone.slot(o, mts.slot(t))] > 0) { // !free_area_empty(area, type)
                        types[o] |= 1 << t;
                    }
                }
            }
            long local = cpu >= 0 && cpu < z.pcp.length ? z.pcp[cpu].count : 0;
            zones.add(new ZoneInfo(z.nodeId, z.name, z.freePages(), z.watermarkBoost, z.minWmark(), z.lowWmark(),
                    z.highWmark(), z.nrReservedHighatomic, c, z.presentPages, z.managedPages, freePcp, local,
                    z.lowmemReserve.clone(), nr, types));
        }
        List<NodeInfo> nodes = new ArrayList<>();
        if (nodeHasManaged) {
            Map<String, Long> kb = new LinkedHashMap<>();
            kb.put("active_anon", k(global, "active_anon"));
            kb.put("inactive_anon", k(global, "inactive_anon"));
            kb.put("active_file", k(global, "active_file"));
            kb.put("inactive_file", k(global, "inactive_file"));
            kb.put("unevictable", k(global, "unevictable"));
            kb.put("isolated(anon)", k(global, "isolated_anon"));
            kb.put("isolated(file)", k(global, "isolated_file"));
            kb.put("mapped", k(global, "mapped"));
            kb.put("dirty", k(global, "dirty"));
            kb.put("writeback", k(global, "writeback"));
            kb.put("shmem", k(global, "shmem"));
            kb.put("shmem_thp", 0L);
            kb.put("shmem_pmdmapped", 0L);
            kb.put("anon_thp", 0L);
            kb.put("writeback_tmp", k(global, "writeback_tmp"));
            // NR_KERNEL_STACK_KB: stacks × THREAD_SIZE / 1024
            kb.put("kernel_stack", global.getOrDefault("kernel_stack", 0L) * threadSizeKb(m.layout.arch()));
            kb.put("pagetables", k(global, "pagetables"));
            kb.put("sec_pagetables", 0L);
            nodes.add(new NodeInfo(node, kb, allUnreclaimable && m.populatedZones().length > 0));
        }
        global.put("sec_pagetables", 0L);
        global.put("kernel_misc_reclaimable", 0L);
        global.put("free_pcp", freePcpAll);
        global.put("free_cma", 0L);
        // __show_mem(): totals over every populated zone, not only the printed ones
        long ram = 0;
        long reserved = 0;
        long highmem = 0;
        for (Zone z : m.populatedZones()) {
            ram += z.presentPages;
            reserved += z.presentPages - z.managedPages;
            if (z.isHighmem()) { // is_highmem_idx(): ZONE_MOVABLE is never highmem here
                highmem += z.presentPages;
            }
        }
        long hpageKb = 4L << m.layout.arch().pageblockOrder; // HPAGE_SIZE: the default hstate
        List<Hugepages> huge = List.of(new Hugepages(node, 0, 0, 0, hpageKb));
        return new MemInfo(numa(m), m.kernel.features().thp(), global, nodes, zones, huge,
                global.getOrDefault("file_pages", 0L), new Swap(0, 0, 0), ram, highmem, reserved, 0L);
    }

    private static long k(Map<String, Long> g, String key) {
        return g.getOrDefault(key, 0L) * 4;
    }

    private static long v(Zone z, ZoneStatItem item) {
        return z.vmStat[item.ordinal()];
    }

    private static void add(Map<String, Long> g, String key, Zone z, ZoneStatItem item) {
        g.merge(key, v(z, item), Long::sum);
    }
}
