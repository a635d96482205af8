package dev.pagealloc.kernel.v6_1;

import dev.pagealloc.kernel.v6_1.ProcViews61.NodeItem;
import dev.pagealloc.kernel.v6_1.ProcViews61.NumaItem;
import dev.pagealloc.kernel.v6_1.ProcViews61.ZoneItem;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/vmstat as Linux 6.1 prints it for Debian 12's builds (the kernels of the QEMU oracle
 * captures): a transliteration of mm/vmstat.c {@code vmstat_start()} and {@code vmstat_show()}.
 * {@code vmstat_start()} fills one array, in {@code vmstat_text[]} order, with
 * <ol>
 *   <li>{@code global_zone_page_state(i)} for every {@code enum zone_stat_item} ({@link ZoneItem});
 *   <li>with CONFIG_NUMA, {@code global_numa_event_state(i)} for every {@code enum numa_stat_item}
 *       ({@link NumaItem}; amd64 only: Debian's 686 and 686-pae kernels have no CONFIG_NUMA);
 *   <li>{@code global_node_page_state_pages(i)} for every {@code enum node_stat_item}
 *       ({@link NodeItem}; the THP items divided by HPAGE_PMD_NR; pgpromote_* only with
 *       CONFIG_NUMA_BALANCING, amd64);
 *   <li>{@code global_dirty_limits()} (mm/page-writeback.c): nr_dirty_threshold,
 *       nr_dirty_background_threshold;
 *   <li>{@code all_vm_events()}, pgpgin/pgpgout halved (sectors → kB): the {@code enum
 *       vm_event_item} block listed in {@link #vmEvents}.
 * </ol>
 * {@code vmstat_show()} prints each as {@code "%s %lu\n"} (seq_puts + seq_put_decimal_ull(" ")),
 * and after the last one the deprecated {@code "nr_unstable 0\n"}.
 *
 * <p><b>Configuration</b> (the real files show it): CONFIG_VM_EVENT_COUNTERS, CONFIG_MIGRATION,
 * CONFIG_COMPACTION, CONFIG_HUGETLB_PAGE, CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_MEMORY_BALLOON +
 * CONFIG_BALLOON_COMPACTION, CONFIG_SWAP, CONFIG_KSM, CONFIG_ZSWAP and CONFIG_X86 on both; amd64
 * adds CONFIG_NUMA (zone_reclaim_failed), CONFIG_NUMA_BALANCING (numa_pte_updates …
 * numa_pages_migrated), CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD (thp_split_pud) and ZONE_DEVICE
 * (the _device line of each {@code TEXTS_FOR_ZONES()}); no CONFIG_CMA (no cma_alloc_*), no
 * CONFIG_DEBUG_TLBFLUSH, no CONFIG_DEBUG_VM_VMACACHE, no CONFIG_PER_VMA_LOCK_STATS (6.4+).
 *
 * <p><b>Values.</b> The zone, NUMA and node items come from the zones' {@link Zone#vmStat}
 * counters as {@link ProcViews61} maps them (sums over the zones, clamped at 0 as CONFIG_SMP's
 * {@code global_*_page_state()} do; untracked 6.1 items print 0). The dirty thresholds are
 * computed from those counters and {@link #totalreservePages}. pgalloc_* are {@code
 * allocator.pgalloc(zone)}, pgfree {@code allocator.pgfree()}. Every other event is not modelled
 * by the emulator (or, for reclaim and compaction, not counted per 6.1 event) and prints 0.
 */
public final class VmstatView61 {
    private VmstatView61() {}

    /** vm_dirty_ratio's default (mm/page-writeback.c). */
    static final long VM_DIRTY_RATIO = 20;

    /** dirty_background_ratio's default. */
    static final long DIRTY_BACKGROUND_RATIO = 10;

    static final long PAGE_SIZE = 4096;

    /** /proc/vmstat of {@code m} as 6.1 prints it. */
    public static String vmstat(Machine m) {
        StringBuilder sb = new StringBuilder(8192);
        boolean numa = ProcViews61.configNuma(m);

        // for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) v[i] = global_zone_page_state(i);
        for (ZoneItem i : ZoneItem.values()) {
            line(sb, i.procName, globalZonePageState(m, i));
        }
        // CONFIG_NUMA: v[i] = global_numa_event_state(i)
        if (numa) {
            for (NumaItem i : NumaItem.values()) {
                long x = 0;
                for (Zone z : m.zones) {
                    x += i.of(z);
                }
                line(sb, i.procName, x);
            }
        }
        // v[i] = global_node_page_state_pages(i); vmstat_item_print_in_thp(i): v[i] /= HPAGE_PMD_NR
        // (the THP items are untracked: 0 either way)
        for (NodeItem i : NodeItem.values()) {
            if (i.configured(numa)) {
                line(sb, i.procName, i.of(m));
            }
        }
        // global_dirty_limits(v + NR_DIRTY_BG_THRESHOLD, v + NR_DIRTY_THRESHOLD)
        long[] dirty = globalDirtyLimits(m);
        line(sb, "nr_dirty_threshold", dirty[1]);
        line(sb, "nr_dirty_background_threshold", dirty[0]);

        // all_vm_events(v)
        for (Event e : vmEvents(m)) {
            line(sb, e.name, e.value);
        }
        // vmstat_show(): after the last item, the deprecated counter
        sb.append("nr_unstable 0\n");
        return sb.toString();
    }

    /** One {@code enum vm_event_item} line: its {@code vmstat_text[]} name and value. */
    record Event(String name, long value) {}

    /**
     * The {@code enum vm_event_item} part of 6.1's {@code vmstat_text[]} for the machine's build, with
     * the values the emulator has (the rest 0).
     */
    static List<Event> vmEvents(Machine m) {
        boolean numa = ProcViews61.configNuma(m);
        boolean x86_64 = m.layout.arch() == Arch.X86_64;
        List<Event> ev = new ArrayList<>(200);
        // PGPGIN, PGPGOUT (v[PGPGIN] /= 2: sectors -> kbytes), PSWPIN, PSWPOUT: no block I/O or swap
        zero(ev, "pgpgin", "pgpgout", "pswpin", "pswpout");
        // TEXTS_FOR_ZONES("pgalloc"): the pages __count_zid_vm_events(PGALLOC, ...) counted
        for (Zone z : m.zones) {
            ev.add(new Event("pgalloc" + z.type.vmstatSuffix, m.allocator.pgalloc(z.idx)));
        }
        // TEXTS_FOR_ZONES("allocstall"), TEXTS_FOR_ZONES("pgskip"): not counted per zone here
        for (String prefix : List.of("allocstall", "pgskip")) {
            for (Zone z : m.zones) {
                ev.add(new Event(prefix + z.type.vmstatSuffix, 0));
            }
        }
        ev.add(new Event("pgfree", m.allocator.pgfree()));
        // LRU, fault, reclaim and writeback events: not modelled
        zero(ev, "pgactivate", "pgdeactivate", "pglazyfree",
                "pgfault", "pgmajfault", "pglazyfreed",
                "pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct", "pgdemote_kswapd", "pgdemote_direct",
                "pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle", "pgscan_anon", "pgscan_file",
                "pgsteal_anon", "pgsteal_file");
        if (numa) {
            zero(ev, "zone_reclaim_failed"); // CONFIG_NUMA
        }
        zero(ev, "pginodesteal", "slabs_scanned", "kswapd_inodesteal",
                "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly", "pageoutrun",
                "pgrotated",
                "drop_pagecache", "drop_slab", "oom_kill");
        if (numa) { // CONFIG_NUMA_BALANCING (amd64 only, with CONFIG_NUMA)
            zero(ev, "numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local",
                    "numa_pages_migrated");
        }
        // CONFIG_MIGRATION; CONFIG_COMPACTION: not counted per 6.1 event
        zero(ev, "pgmigrate_success", "pgmigrate_fail", "thp_migration_success", "thp_migration_fail",
                "thp_migration_split");
        zero(ev, "compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_stall",
                "compact_fail", "compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned",
                "compact_daemon_free_scanned");
        // CONFIG_HUGETLB_PAGE (no CONFIG_CMA: no cma_alloc_success/fail)
        zero(ev, "htlb_buddy_alloc_success", "htlb_buddy_alloc_fail");
        zero(ev, "unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued",
                "unevictable_pgs_mlocked", "unevictable_pgs_munlocked", "unevictable_pgs_cleared",
                "unevictable_pgs_stranded");
        // CONFIG_TRANSPARENT_HUGEPAGE
        zero(ev, "thp_fault_alloc", "thp_fault_fallback", "thp_fault_fallback_charge", "thp_collapse_alloc",
                "thp_collapse_alloc_failed", "thp_file_alloc", "thp_file_fallback", "thp_file_fallback_charge",
                "thp_file_mapped", "thp_split_page", "thp_split_page_failed", "thp_deferred_split_page",
                "thp_split_pmd", "thp_scan_exceed_none_pte", "thp_scan_exceed_swap_pte",
                "thp_scan_exceed_share_pte");
        if (x86_64) {
            zero(ev, "thp_split_pud"); // CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
        }
        zero(ev, "thp_zero_page_alloc", "thp_zero_page_alloc_failed", "thp_swpout", "thp_swpout_fallback");
        // CONFIG_MEMORY_BALLOON, CONFIG_BALLOON_COMPACTION
        zero(ev, "balloon_inflate", "balloon_deflate", "balloon_migrate");
        // CONFIG_SWAP (+ CONFIG_KSM: ksm_swpin_copy); CONFIG_KSM; CONFIG_ZSWAP; CONFIG_X86
        zero(ev, "swap_ra", "swap_ra_hit", "ksm_swpin_copy", "cow_ksm", "zswpin", "zswpout",
                "direct_map_level2_splits", "direct_map_level3_splits");
        return ev;
    }

    private static void zero(List<Event> ev, String... names) {
        for (String n : names) {
            ev.add(new Event(n, 0));
        }
    }

    /** {@code global_zone_page_state(item)}, include/linux/vmstat.h: Σ over the zones, clamped at 0. */
    static long globalZonePageState(Machine m, ZoneItem item) {
        long x = 0;
        for (Zone z : m.zones) {
            x += item.raw(z);
        }
        return Math.max(0, x);
    }

    /**
     * {@code totalreserve_pages} as {@code calculate_totalreserve_pages()} (mm/page_alloc.c) leaves it:
     * for every zone, its largest lowmem_reserve[j ≥ i] plus its high watermark, at most its managed
     * pages. The kernel recomputes it whenever the watermarks or lowmem_reserve change ({@code
     * setup_per_zone_wmarks()}, {@code setup_per_zone_lowmem_reserve()}, which the read of
     * /proc/sys/vm/lowmem_reserve_ratio runs), so it is computed here from the zones' current
     * watermarks and protection rather than taken from {@link Machine#totalreservePages} (boot's).
     */
    public static long totalreservePages(Machine m) {
        return Boot61.calculateTotalreservePages(m.zones);
    }

    /**
     * The sum {@code highmem_dirtyable_memory(total)} (mm/page-writeback.c, CONFIG_HIGHMEM) takes
     * before capping it at {@code total}: for every populated highmem zone, its free pages above the
     * high watermark plus its file LRU pages. 0 on x86_64.
     */
    static long highmemDirtyablePages(Machine m) {
        long x = 0;
        for (Zone z : m.zones) {
            if (!z.isHighmem() || !z.isPopulated()) {
                continue; // is_highmem_idx(i), populated_zone(z)
            }
            long nrPages = ProcViews61.zonePageState(z, ZoneItem.NR_FREE_PAGES);
            nrPages -= Math.min(nrPages, z.highWmark()); // watch for underflows
            nrPages += ProcViews61.zonePageState(z, ZoneItem.NR_ZONE_INACTIVE_FILE);
            nrPages += ProcViews61.zonePageState(z, ZoneItem.NR_ZONE_ACTIVE_FILE);
            x += nrPages;
        }
        return x;
    }

    /**
     * {@code global_dirtyable_memory()}, mm/page-writeback.c (6.1), of the machine's counters.
     */
    static long globalDirtyableMemory(Machine m) {
        return globalDirtyableMemory(globalZonePageState(m, ZoneItem.NR_FREE_PAGES), totalreservePages(m),
                NodeItem.NR_INACTIVE_FILE.of(m) + NodeItem.NR_ACTIVE_FILE.of(m), highmemDirtyablePages(m));
    }

    /**
     * {@code global_dirtyable_memory()} on given counters: the free pages less totalreserve_pages,
     * plus the file LRU pages, less the highmem part ({@code !vm_highmem_is_dirtyable}, the
     * default; {@code highmem_dirtyable_memory()} caps it at the running total), plus one.
     *
     * @param highmemPages the highmem zones' dirtyable pages before the cap ({@link #highmemDirtyablePages})
     */
    static long globalDirtyableMemory(long freePages, long totalreserve, long fileLruPages, long highmemPages) {
        long x = freePages;
        x -= Math.min(x, totalreserve);
        x += fileLruPages;
        x -= Math.min(highmemPages, x); // x -= highmem_dirtyable_memory(x)
        return x + 1; // Ensure that we never return 0
    }

    /**
     * {@code global_dirty_limits()} → {@code domain_dirty_limits()}, mm/page-writeback.c (6.1), with
     * the default sysctls (vm_dirty_bytes and dirty_background_bytes 0, ratios 20 and 10) and a
     * reader that is not a real-time task: {@code {bg_thresh, thresh}}.
     */
    public static long[] globalDirtyLimits(Machine m) {
        return domainDirtyLimits(globalDirtyableMemory(m));
    }

    /** {@code domain_dirty_limits()} for the global domain, {@code dtc->avail = availableMemory}. */
    static long[] domainDirtyLimits(long availableMemory) {
        // convert ratios to per-PAGE_SIZE for higher precision
        long ratio = (VM_DIRTY_RATIO * PAGE_SIZE) / 100;
        long bgRatio = (DIRTY_BACKGROUND_RATIO * PAGE_SIZE) / 100;
        long thresh = (ratio * availableMemory) / PAGE_SIZE;
        long bgThresh = (bgRatio * availableMemory) / PAGE_SIZE;
        if (bgThresh >= thresh) {
            bgThresh = thresh / 2;
        }
        // rt_task(current): the reader of /proc/vmstat is not one
        return new long[] {bgThresh, thresh};
    }

    /** {@code seq_puts(m, vmstat_text[off]); seq_put_decimal_ull(m, " ", *l); seq_putc(m, '\n')}. */
    private static void line(StringBuilder sb, String name, long value) {
        sb.append(name).append(' ').append(value).append('\n');
    }
}
