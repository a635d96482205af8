package dev.pagealloc.kernel.v2_6_32;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.kernel.v2_6_32.ShowMem2632.MemInfo;
import dev.pagealloc.kernel.v2_6_32.ShowMem2632.ZoneInfo;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.MemMapDescriptor;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The failure report an emulated 2.6.32 machine prints: {@code show_mem()}'s numbers read from
 * the live zones (vmstat counters, per-CPU lists, free lists) and the memmap walk of
 * lib/show_mem.c for the page totals.
 */
public final class MachineReport2632 {
    private MachineReport2632() {}

    /** The whole report for a failed request, as dmesg would hold it (no call trace). */
    public static String failureReport(Machine m, AllocFailure f, String comm, int pid) {
        return ShowMem2632.header(comm, f.order(), f.gfpMask())
                + ShowMem2632.pidLine(pid, comm, "2.6.32-pagealloc", "#1") + ShowMem2632.showMem(memInfo(m));
    }

    /** {@code show_mem()}'s data for machine {@code m}. */
    public static MemInfo memInfo(Machine m) {
        List<ZoneInfo> zones = new ArrayList<>();
        Map<String, Long> global = new HashMap<>();
        for (Zone z : m.populatedZones()) {
            int cpus = z.pcp.length;
            int[] hi = new int[cpus];
            int[] bt = new int[cpus];
            int[] usd = new int[cpus];
            for (int c = 0; c < cpus; c++) {
                hi[c] = z.pcp[c].high;
                bt[c] = z.pcp[c].batch;
                usd[c] = z.pcp[c].count;
            }
            Map<String, Long> c = new HashMap<>();
            c.put("active_anon", v(z, ZoneStatItem.NR_ACTIVE_ANON));
            c.put("inactive_anon", v(z, ZoneStatItem.NR_INACTIVE_ANON));
            c.put("active_file", v(z, ZoneStatItem.NR_ACTIVE_FILE));
            c.put("inactive_file", v(z, ZoneStatItem.NR_INACTIVE_FILE));
            c.put("unevictable", v(z, ZoneStatItem.NR_UNEVICTABLE));
            c.put("isolated(anon)", v(z, ZoneStatItem.NR_ISOLATED_ANON));
            c.put("isolated(file)", v(z, ZoneStatItem.NR_ISOLATED_FILE));
            c.put("mlocked", v(z, ZoneStatItem.NR_MLOCK));
            c.put("dirty", v(z, ZoneStatItem.NR_FILE_DIRTY));
            c.put("writeback", v(z, ZoneStatItem.NR_WRITEBACK));
            c.put("mapped", v(z, ZoneStatItem.NR_FILE_MAPPED));
            c.put("shmem", v(z, ZoneStatItem.NR_SHMEM));
            c.put("slab_reclaimable", v(z, ZoneStatItem.NR_SLAB_RECLAIMABLE));
            c.put("slab_unreclaimable", v(z, ZoneStatItem.NR_SLAB_UNRECLAIMABLE));
            c.put("kernel_stack_kb", v(z, ZoneStatItem.NR_KERNEL_STACK) * 8); // THREAD_SIZE 8 kB
            c.put("pagetables", v(z, ZoneStatItem.NR_PAGETABLE));
            c.put("unstable", v(z, ZoneStatItem.NR_UNSTABLE_NFS));
            c.put("bounce", v(z, ZoneStatItem.NR_BOUNCE));
            c.put("writeback_tmp", v(z, ZoneStatItem.NR_WRITEBACK_TEMP));
            long[] nr = new long[Zone.MAX_ORDER];
            for (int o = 0; o < Zone.MAX_ORDER; o++) {
                nr[o] = z.nrFree[o];
            }
            zones.add(new ZoneInfo(z.nodeId, z.name, hi, bt, usd, z.freePages(), z.minWmark(), z.lowWmark(),
                    z.highWmark(), c, z.presentPages, z.pagesScanned, z.allUnreclaimable, z.lowmemReserve.clone(), nr));
            add(global, "active_anon", z, ZoneStatItem.NR_ACTIVE_ANON);
            add(global, "inactive_anon", z, ZoneStatItem.NR_INACTIVE_ANON);
            add(global, "isolated_anon", z, ZoneStatItem.NR_ISOLATED_ANON);
            add(global, "active_file", z, ZoneStatItem.NR_ACTIVE_FILE);
            add(global, "inactive_file", z, ZoneStatItem.NR_INACTIVE_FILE);
            add(global, "isolated_file", z, ZoneStatItem.NR_ISOLATED_FILE);
            add(global, "unevictable", z, ZoneStatItem.NR_UNEVICTABLE);
            add(global, "dirty", z, ZoneStatItem.NR_FILE_DIRTY);
            add(global, "writeback", z, ZoneStatItem.NR_WRITEBACK);
            add(global, "unstable", z, ZoneStatItem.NR_UNSTABLE_NFS);
            add(global, "free", z, ZoneStatItem.NR_FREE_PAGES);
            add(global, "slab_reclaimable", z, ZoneStatItem.NR_SLAB_RECLAIMABLE);
            add(global, "slab_unreclaimable", z, ZoneStatItem.NR_SLAB_UNRECLAIMABLE);
            add(global, "mapped", z, ZoneStatItem.NR_FILE_MAPPED);
            add(global, "shmem", z, ZoneStatItem.NR_SHMEM);
            add(global, "pagetables", z, ZoneStatItem.NR_PAGETABLE);
            add(global, "bounce", z, ZoneStatItem.NR_BOUNCE);
        }
        long pagecache = global.getOrDefault("active_file", 0L) + global.getOrDefault("inactive_file", 0L);
        // lib/show_mem.c: walk every pfn of the node span
        MemMap mm = m.allocator.memMap();
        long ram = 0;
        long reserved = 0;
        long nonShared = 0;
        long highmem = 0;
        for (long pfn = m.nodeStartPfn; pfn < m.nodeStartPfn + m.nodeSpannedPages; pfn++) {
            int s = mm.state((int) pfn);
            if (s == MemMapDescriptor.PS_NOMAP) {
                continue; // !pfn_valid
            }
            ram++;
            if (m.zones[mm.zoneIdx((int) pfn)].isHighmem()) {
                highmem++;
            }
            if (s == MemMapDescriptor.PS_RESERVED) {
                reserved++;
            } else if (s == MemMapDescriptor.PS_ALLOCATED) {
                nonShared++; // page_count == 1: the head of an allocated block
            }
        }
        return new MemInfo(m.kernel.features().numa(), zones, global, pagecache, new ShowMem2632.Swap(0, 0, 0, 0, 0, 0, 0), ram,
                m.layout.arch().hasHighmem() ? highmem : null, reserved, 0, nonShared);
    }

    private static long v(Zone z, ZoneStatItem item) {
        return z.vmStat[item.ordinal()];
    }

    private static void add(Map<String, Long> g, String key, Zone z, ZoneStatItem item) {
        g.merge(key, v(z, item), Long::sum);
    }
}
