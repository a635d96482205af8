package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.kernel.Migratetypes;
import dev.pagealloc.kernel.ProcViews;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.MemMapDescriptor;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.pcp.PerCpuPages;
import dev.pagealloc.proc.Buddyinfo;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.Locale;

/**
 * /proc/buddyinfo, /proc/pagetypeinfo and /proc/zoneinfo as Linux 6.1's mm/vmstat.c prints them,
 * for the configuration of Debian 12's 6.1 builds (the kernels of the QEMU oracle captures): each
 * method is a line-by-line transliteration of the kernel's {@code seq_printf} calls, with the same
 * padding and trailing spaces. Differences from 2.6.32 ({@link ProcViews2632}): zoneinfo walks every
 * zone of the node, populated or not ({@code zoneinfo_show()} passes {@code assert_populated =
 * false}), prints the node's counters under the first populated zone, and adds boost, managed,
 * cma; migratetypes are walked in 6.1's order (Unmovable, Movable, Reclaimable, HighAtomic,
 * Isolate).
 *
 * <p><b>Configuration.</b> amd64: CONFIG_NUMA=y and CONFIG_NUMA_BALANCING=y (the numa_* zone
 * events and the pgpromote_* node items are printed); 686 and 686-pae: neither (the i386 captures
 * print no numa_* and no pgpromote_*). Both: CONFIG_SMP, CONFIG_ZSMALLOC (nr_zspages), CONFIG_SWAP
 * (nr_swapcached), no CONFIG_CMA (cma 0, nr_free_cma 0), no CONFIG_SHADOW_CALL_STACK, no
 * CONFIG_PAGE_OWNER (no "Number of mixed blocks" table).
 *
 * <p><b>Counters.</b> The emulator keeps 2.6.32's per-zone {@link ZoneStatItem} array. 6.1 splits it
 * into {@code enum zone_stat_item} (per zone), {@code enum numa_stat_item} (per zone, events) and
 * {@code enum node_stat_item} (per node, here the sum over the node's zones): {@link ZoneItem},
 * {@link NumaItem} and {@link NodeItem} map each 6.1 item onto the emulator's counters. Items the
 * emulator does not track (workingset_*, the THP page counts, nr_dirtied, nr_written, the foll_pin
 * counts, nr_zspages, nr_free_cma, nr_swapcached, pgpromote_*, …) print 0.
 */
public final class ProcViews61 implements ProcViews {
    /** The views of {@link Linux61}. */
    public static final ProcViews61 INSTANCE = new ProcViews61();

    private ProcViews61() {}

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    /** PAGE_SIZE / 1024: NR_KERNEL_STACK_KB is kept in kB. */
    private static final long PAGE_KB = 4;

    /**
     * CONFIG_NUMA of the 6.1 build this machine stands for: Debian's amd64 kernel has it (and
     * CONFIG_NUMA_BALANCING), its 686 and 686-pae kernels do not.
     */
    public static boolean configNuma(Machine m) {
        return m.kernel.features().numa() && m.layout.arch() == Arch.X86_64;
    }

    // ------------------------------------------------------------------ the 6.1 counters

    /**
     * {@code enum zone_stat_item} of 6.1 (include/linux/mmzone.h), each with its
     * {@code vmstat_text[]} name (mm/vmstat.c) and the emulator counters it is made of.
     */
    public enum ZoneItem {
        NR_FREE_PAGES("nr_free_pages", ZoneStatItem.NR_FREE_PAGES),
        NR_ZONE_INACTIVE_ANON("nr_zone_inactive_anon", ZoneStatItem.NR_INACTIVE_ANON),
        NR_ZONE_ACTIVE_ANON("nr_zone_active_anon", ZoneStatItem.NR_ACTIVE_ANON),
        NR_ZONE_INACTIVE_FILE("nr_zone_inactive_file", ZoneStatItem.NR_INACTIVE_FILE),
        NR_ZONE_ACTIVE_FILE("nr_zone_active_file", ZoneStatItem.NR_ACTIVE_FILE),
        NR_ZONE_UNEVICTABLE("nr_zone_unevictable", ZoneStatItem.NR_UNEVICTABLE),
        /** Dirty + writeback (+ unstable, gone in 6.1): what 6.1 accounts as write-pending. */
        NR_ZONE_WRITE_PENDING("nr_zone_write_pending", ZoneStatItem.NR_FILE_DIRTY, ZoneStatItem.NR_WRITEBACK),
        NR_MLOCK("nr_mlock", ZoneStatItem.NR_MLOCK),
        NR_BOUNCE("nr_bounce", ZoneStatItem.NR_BOUNCE),
        /** CONFIG_ZSMALLOC; zsmalloc is not modelled: 0. */
        NR_ZSPAGES("nr_zspages"),
        /** No CONFIG_CMA: 0. */
        NR_FREE_CMA_PAGES("nr_free_cma");

        public final String procName;
        private final ZoneStatItem[] from;

        ZoneItem(String procName, ZoneStatItem... from) {
            this.procName = procName;
            this.from = from;
        }

        /** The zone's raw counter (the sum of the emulator counters it stands for; 0 if none). */
        public long raw(Zone z) {
            long x = 0;
            for (ZoneStatItem i : from) {
                x += z.vmStat[i.ordinal()];
            }
            return x;
        }
    }

    /** {@code enum numa_stat_item} of 6.1 (CONFIG_NUMA): per-zone events. */
    public enum NumaItem {
        NUMA_HIT("numa_hit", ZoneStatItem.NUMA_HIT),
        NUMA_MISS("numa_miss", ZoneStatItem.NUMA_MISS),
        NUMA_FOREIGN("numa_foreign", ZoneStatItem.NUMA_FOREIGN),
        NUMA_INTERLEAVE_HIT("numa_interleave", ZoneStatItem.NUMA_INTERLEAVE_HIT),
        NUMA_LOCAL("numa_local", ZoneStatItem.NUMA_LOCAL),
        NUMA_OTHER("numa_other", ZoneStatItem.NUMA_OTHER);

        public final String procName;
        private final ZoneStatItem from;

        NumaItem(String procName, ZoneStatItem from) {
            this.procName = procName;
            this.from = from;
        }

        /** {@code zone_numa_event_state(zone, item)}. */
        public long of(Zone z) {
            return z.vmStat[from.ordinal()];
        }
    }

    /**
     * {@code enum node_stat_item} of 6.1 (include/linux/mmzone.h) as Debian builds it, in
     * {@code vmstat_text[]} order; the node's value is the sum over its zones of the emulator
     * counters each item stands for (times {@link #scale}); items without counters print 0.
     */
    public enum NodeItem {
        NR_INACTIVE_ANON("nr_inactive_anon", ZoneStatItem.NR_INACTIVE_ANON),
        NR_ACTIVE_ANON("nr_active_anon", ZoneStatItem.NR_ACTIVE_ANON),
        NR_INACTIVE_FILE("nr_inactive_file", ZoneStatItem.NR_INACTIVE_FILE),
        NR_ACTIVE_FILE("nr_active_file", ZoneStatItem.NR_ACTIVE_FILE),
        NR_UNEVICTABLE("nr_unevictable", ZoneStatItem.NR_UNEVICTABLE),
        NR_SLAB_RECLAIMABLE_B("nr_slab_reclaimable", ZoneStatItem.NR_SLAB_RECLAIMABLE),
        NR_SLAB_UNRECLAIMABLE_B("nr_slab_unreclaimable", ZoneStatItem.NR_SLAB_UNRECLAIMABLE),
        NR_ISOLATED_ANON("nr_isolated_anon", ZoneStatItem.NR_ISOLATED_ANON),
        NR_ISOLATED_FILE("nr_isolated_file", ZoneStatItem.NR_ISOLATED_FILE),
        WORKINGSET_NODES("workingset_nodes"),
        WORKINGSET_REFAULT_ANON("workingset_refault_anon"),
        WORKINGSET_REFAULT_FILE("workingset_refault_file"),
        WORKINGSET_ACTIVATE_ANON("workingset_activate_anon"),
        WORKINGSET_ACTIVATE_FILE("workingset_activate_file"),
        WORKINGSET_RESTORE_ANON("workingset_restore_anon"),
        WORKINGSET_RESTORE_FILE("workingset_restore_file"),
        WORKINGSET_NODERECLAIM("workingset_nodereclaim"),
        NR_ANON_MAPPED("nr_anon_pages", ZoneStatItem.NR_ANON_PAGES),
        NR_FILE_MAPPED("nr_mapped", ZoneStatItem.NR_FILE_MAPPED),
        NR_FILE_PAGES("nr_file_pages", ZoneStatItem.NR_FILE_PAGES),
        NR_FILE_DIRTY("nr_dirty", ZoneStatItem.NR_FILE_DIRTY),
        NR_WRITEBACK("nr_writeback", ZoneStatItem.NR_WRITEBACK),
        NR_WRITEBACK_TEMP("nr_writeback_temp", ZoneStatItem.NR_WRITEBACK_TEMP),
        NR_SHMEM("nr_shmem", ZoneStatItem.NR_SHMEM),
        NR_SHMEM_THPS("nr_shmem_hugepages"),
        NR_SHMEM_PMDMAPPED("nr_shmem_pmdmapped"),
        NR_FILE_THPS("nr_file_hugepages"),
        NR_FILE_PMDMAPPED("nr_file_pmdmapped"),
        NR_ANON_THPS("nr_anon_transparent_hugepages"),
        NR_VMSCAN_WRITE("nr_vmscan_write", ZoneStatItem.NR_VMSCAN_WRITE),
        NR_VMSCAN_IMMEDIATE("nr_vmscan_immediate_reclaim"),
        NR_DIRTIED("nr_dirtied"),
        NR_WRITTEN("nr_written"),
        NR_THROTTLED_WRITTEN("nr_throttled_written"),
        NR_KERNEL_MISC_RECLAIMABLE("nr_kernel_misc_reclaimable"),
        NR_FOLL_PIN_ACQUIRED("nr_foll_pin_acquired"),
        NR_FOLL_PIN_RELEASED("nr_foll_pin_released"),
        /** NR_KERNEL_STACK_KB: kept in kB; the emulator counts the stacks' pages. */
        NR_KERNEL_STACK_KB("nr_kernel_stack", PAGE_KB, ZoneStatItem.NR_KERNEL_STACK),
        NR_PAGETABLE("nr_page_table_pages", ZoneStatItem.NR_PAGETABLE),
        NR_SECONDARY_PAGETABLE("nr_sec_page_table_pages"),
        /** CONFIG_SWAP. */
        NR_SWAPCACHE("nr_swapcached"),
        /** CONFIG_NUMA_BALANCING (amd64 only). */
        PGPROMOTE_SUCCESS("pgpromote_success"),
        /** CONFIG_NUMA_BALANCING (amd64 only). */
        PGPROMOTE_CANDIDATE("pgpromote_candidate");

        public final String procName;
        private final long scale;
        private final ZoneStatItem[] from;

        NodeItem(String procName, ZoneStatItem... from) {
            this(procName, 1, from);
        }

        NodeItem(String procName, long scale, ZoneStatItem... from) {
            this.procName = procName;
            this.scale = scale;
            this.from = from;
        }

        /** Whether the item exists in the build: pgpromote_* only with CONFIG_NUMA_BALANCING. */
        public boolean configured(boolean numaBalancing) {
            return numaBalancing || (this != PGPROMOTE_SUCCESS && this != PGPROMOTE_CANDIDATE);
        }

        /**
         * {@code node_page_state_pages(pgdat, item)}, mm/vmstat.c: the node's counter (Σ over its
         * zones), clamped at 0 as CONFIG_SMP does.
         */
        public long of(Machine m) {
            long x = 0;
            for (Zone z : m.zones) {
                for (ZoneStatItem i : from) {
                    x += z.vmStat[i.ordinal()];
                }
            }
            return Math.max(0, x * scale);
        }
    }

    /** {@code zone_page_state(zone, item)}, include/linux/vmstat.h: clamped at 0 (CONFIG_SMP). */
    static long zonePageState(Zone z, ZoneItem item) {
        return Math.max(0, item.raw(z));
    }

    // ------------------------------------------------------------------ /proc/buddyinfo

    /**
     * {@code frag_show()} → {@code frag_show_print()}, mm/vmstat.c: /proc/buddyinfo over the populated
     * zones ({@code walk_zones_in_node(m, pgdat, true, ...)}), printed as every kernel does ({@link Buddyinfo}).
     */
    @Override
    public String buddyinfo(Machine m) {
        return Buddyinfo.fragShowPrint(m.populatedZones());
    }

    // ------------------------------------------------------------------ /proc/pagetypeinfo

    /**
     * {@code pagetypeinfo_show()}, mm/vmstat.c: the pageblock order, {@code pagetypeinfo_showfree()},
     * {@code pagetypeinfo_showblockcount()}; {@code pagetypeinfo_showmixedcount()} prints nothing
     * without CONFIG_PAGE_OWNER.
     */
    @Override
    public String pagetypeinfo(Machine m) {
        MemMap mm = m.allocator.memMap();
        int pageblockOrder = mm.pageblockOrder();
        StringBuilder sb = new StringBuilder();
        sb.append(f("Page block order: %d\n", pageblockOrder));
        sb.append(f("Pages per block:  %d\n", 1L << pageblockOrder));
        sb.append('\n');
        pagetypeinfoShowfree(sb, m);
        pagetypeinfoShowblockcount(sb, m);
        return sb.toString();
    }

    /** Cap of the free-list walk in {@code pagetypeinfo_showfree_print()}. */
    static final long FREECOUNT_CAP = 100000;

    /** {@code pagetypeinfo_showfree()} and {@code pagetypeinfo_showfree_print()}, mm/vmstat.c. */
    static void pagetypeinfoShowfree(StringBuilder sb, Machine m) {
        Migratetypes p = m.kernel.migratetypes();
        sb.append(f("%-43s ", "Free pages count per migrate type at order"));
        for (int order = 0; order < Zone.MAX_ORDER; ++order) {
            sb.append(f("%6d ", order));
        }
        sb.append('\n');
        for (Zone zone : m.zones) {
            if (!zone.isPopulated()) {
                continue;
            }
            for (int mtype = 0; mtype < p.count(); mtype++) {
                sb.append(f("Node %4d, zone %8s, type %12s ", zone.nodeId, zone.name, p.name(mtype)));
                for (int order = 0; order < Zone.MAX_ORDER; ++order) {
                    long freecount = zone.listLen[Zone.slot(order, p.slot(mtype))];
                    boolean overflow = false;
                    if (freecount >= FREECOUNT_CAP) { // the walk stops at the 100000th entry
                        freecount = FREECOUNT_CAP;
                        overflow = true;
                    }
                    sb.append(f("%s%6d ", overflow ? ">" : "", freecount));
                }
                sb.append('\n');
            }
        }
    }

    /** {@code pagetypeinfo_showblockcount()} and {@code pagetypeinfo_showblockcount_print()}, mm/vmstat.c. */
    static void pagetypeinfoShowblockcount(StringBuilder sb, Machine m) {
        Migratetypes p = m.kernel.migratetypes();
        sb.append(f("\n%-23s", "Number of blocks type "));
        for (int mtype = 0; mtype < p.count(); mtype++) {
            sb.append(f("%12s ", p.name(mtype)));
        }
        sb.append('\n');
        for (Zone zone : m.zones) {
            if (!zone.isPopulated()) {
                continue;
            }
            long[] count = INSTANCE.pageblockCounts(m, zone);
            sb.append(f("Node %d, zone %8s ", zone.nodeId, zone.name));
            for (int mtype = 0; mtype < p.count(); mtype++) {
                sb.append(f("%12d ", count[mtype]));
            }
            sb.append('\n');
        }
    }

    /**
     * CONFIG_FLATMEM: Debian's 686 and 686-pae kernels (no NUMA) have one {@code mem_map[]} for every
     * pfn up to {@code max_pfn}, holes included; amd64 has SPARSEMEM_VMEMMAP, where a section
     * without RAM has no struct page. The i386 captures count the pageblocks of whole empty sections
     * (the PCI hole, as Unmovable) and the amd64 ones do not.
     */
    public static boolean flatmem(Machine m) {
        return m.layout.arch() != Arch.X86_64;
    }

    /**
     * The loop of {@code pagetypeinfo_showblockcount_print()}: pageblocks of each migratetype, indexed
     * by the kernel's value, stepping {@code pageblock_nr_pages} from {@code zone_start_pfn}; a pfn
     * without an online memmap ({@code pfn_to_online_page()} NULL: with SPARSEMEM a section without
     * RAM) or of another zone is skipped. With FLATMEM the struct page of a pfn the emulator maps
     * in no section is a hole page of this zone, its pageblock bits 0 (MIGRATE_UNMOVABLE), as
     * {@code init_unavailable_range()} leaves them.
     */
    @Override
    public long[] pageblockCounts(Machine m, Zone zone) {
        MemMap mm = m.allocator.memMap();
        Migratetypes p = m.kernel.migratetypes();
        boolean flatmem = flatmem(m);
        long nr = 1L << mm.pageblockOrder();
        long[] count = new long[p.count()];
        for (long pfn = zone.zoneStartPfn; pfn < zone.zoneEndPfn(); pfn += nr) {
            if (mm.state((int) pfn) == MemMapDescriptor.PS_NOMAP) {
                if (flatmem) {
                    count[0]++; // MIGRATE_UNMOVABLE
                }
                continue; // SPARSEMEM: !pfn_to_online_page(pfn)
            }
            if (mm.zoneIdx((int) pfn) != zone.idx) {
                continue; // page_zone(page) != zone
            }
            int slot = mm.pageblockMigratetype(pfn);
            if (slot < p.count()) {
                count[p.kernelValue(slot)]++;
            }
        }
        return count;
    }

    // ------------------------------------------------------------------ /proc/zoneinfo

    /** {@code zoneinfo_show()}, mm/vmstat.c: {@code zoneinfo_show_print()} for every zone of the node. */
    /** {@link VmstatView61}. */
    @Override
    public String vmstat(Machine m) {
        return VmstatView61.vmstat(m);
    }

    /** {@link MeminfoView61}. */
    @Override
    public String meminfo(Machine m) {
        return MeminfoView61.meminfo(m);
    }

    @Override
    public String zoneinfo(Machine m) {
        StringBuilder sb = new StringBuilder(8192);
        for (Zone zone : m.zones) {
            zoneinfoShowPrint(sb, m, zone); // walk_zones_in_node(m, pgdat, false, false, ...)
        }
        return sb.toString();
    }

    /** {@code is_zone_first_populated()}, mm/vmstat.c. */
    static boolean isZoneFirstPopulated(Machine m, Zone zone) {
        for (Zone compare : m.zones) {
            if (compare.isPopulated()) {
                return zone == compare;
            }
        }
        return false;
    }

    /** {@code zoneinfo_show_print()}, mm/vmstat.c (6.1). */
    static void zoneinfoShowPrint(StringBuilder sb, Machine m, Zone zone) {
        boolean numa = configNuma(m);
        sb.append(f("Node %d, zone %8s", zone.nodeId, zone.name));
        if (isZoneFirstPopulated(m, zone)) {
            sb.append("\n  per-node stats");
            for (NodeItem i : NodeItem.values()) {
                if (!i.configured(numa)) {
                    continue;
                }
                // vmstat_item_print_in_thp(): only the THP items, which print 0 here
                sb.append(f("\n      %-12s %d", i.procName, i.of(m)));
            }
        }
        sb.append(f("\n  pages free     %d"
                        + "\n        boost    %d"
                        + "\n        min      %d"
                        + "\n        low      %d"
                        + "\n        high     %d"
                        + "\n        spanned  %d"
                        + "\n        present  %d"
                        + "\n        managed  %d"
                        + "\n        cma      %d",
                zonePageState(zone, ZoneItem.NR_FREE_PAGES),
                zone.watermarkBoost,
                zone.minWmark(),
                zone.lowWmark(),
                zone.highWmark(),
                zone.spannedPages,
                zone.presentPages,
                zone.managedPages,
                0L)); // zone_cma_pages(): no CONFIG_CMA

        sb.append(f("\n        protection: (%d", zone.lowmemReserve[0]));
        for (int i = 1; i < zone.lowmemReserve.length; i++) {
            sb.append(f(", %d", zone.lowmemReserve[i]));
        }
        sb.append(')');

        // If unpopulated, no other information is useful
        if (!zone.isPopulated()) {
            sb.append('\n');
            return;
        }

        for (ZoneItem i : ZoneItem.values()) {
            sb.append(f("\n      %-12s %d", i.procName, zonePageState(zone, i)));
        }
        if (numa) {
            for (NumaItem i : NumaItem.values()) {
                sb.append(f("\n      %-12s %d", i.procName, i.of(zone)));
            }
        }

        sb.append("\n  pagesets");
        for (int i = 0; i < zone.pcp.length; i++) {
            PerCpuPages pcp = zone.pcp[i];
            sb.append(f("\n    cpu: %d"
                            + "\n              count: %d"
                            + "\n              high:  %d"
                            + "\n              batch: %d",
                    i, pcp.count, pcp.high, pcp.batch));
            // CONFIG_SMP
            sb.append(f("\n  vm stats threshold: %d", pcp.statThreshold));
        }
        sb.append(f("\n  node_unreclaimable:  %d"
                        + "\n  start_pfn:           %d",
                // pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES: kswapd_failures is not modelled
                0, zone.zoneStartPfn));
        sb.append('\n');
    }
}
