package dev.pagealloc.vmstat;

/**
 * {@code enum zone_stat_item} of 2.6.32 (include/linux/mmzone.h) with CONFIG_NUMA, each constant
 * owning its {@code vmstat_text[]} name (mm/vmstat.c), in the kernel's order: /proc/zoneinfo prints
 * them in exactly this sequence.
 */
public enum ZoneStatItem {
    NR_FREE_PAGES("nr_free_pages"),
    NR_INACTIVE_ANON("nr_inactive_anon"),
    NR_ACTIVE_ANON("nr_active_anon"),
    NR_INACTIVE_FILE("nr_inactive_file"),
    NR_ACTIVE_FILE("nr_active_file"),
    NR_UNEVICTABLE("nr_unevictable"),
    NR_MLOCK("nr_mlock"),
    NR_ANON_PAGES("nr_anon_pages"),
    NR_FILE_MAPPED("nr_mapped"),
    NR_FILE_PAGES("nr_file_pages"),
    NR_FILE_DIRTY("nr_dirty"),
    NR_WRITEBACK("nr_writeback"),
    NR_SLAB_RECLAIMABLE("nr_slab_reclaimable"),
    NR_SLAB_UNRECLAIMABLE("nr_slab_unreclaimable"),
    NR_PAGETABLE("nr_page_table_pages"),
    NR_KERNEL_STACK("nr_kernel_stack"),
    NR_UNSTABLE_NFS("nr_unstable"),
    NR_BOUNCE("nr_bounce"),
    NR_VMSCAN_WRITE("nr_vmscan_write"),
    NR_WRITEBACK_TEMP("nr_writeback_temp"),
    NR_ISOLATED_ANON("nr_isolated_anon"),
    NR_ISOLATED_FILE("nr_isolated_file"),
    NR_SHMEM("nr_shmem"),
    NUMA_HIT("numa_hit"),
    NUMA_MISS("numa_miss"),
    NUMA_FOREIGN("numa_foreign"),
    NUMA_INTERLEAVE_HIT("numa_interleave"),
    NUMA_LOCAL("numa_local"),
    NUMA_OTHER("numa_other");

    /** NR_VM_ZONE_STAT_ITEMS. */
    public static final int COUNT = values().length;

    /** The name /proc/zoneinfo and /proc/vmstat print. */
    public final String procName;

    ZoneStatItem(String procName) {
        this.procName = procName;
    }
}
