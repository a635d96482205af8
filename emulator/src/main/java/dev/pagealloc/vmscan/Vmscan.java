package dev.pagealloc.vmscan;

import static dev.pagealloc.mem.MemMapDescriptor.LRU_MASK;
import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PG_DIRTY;
import static dev.pagealloc.mem.MemMapDescriptor.PG_REFERENCED;
import static dev.pagealloc.mem.MemMapDescriptor.PG_SWAPBACKED;
import static dev.pagealloc.mem.MemMapDescriptor.PG_WRITEBACK;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.STATE_MASK;
import static dev.pagealloc.mem.MemMapDescriptor.lruOf;
import static dev.pagealloc.mmzone.Zone.SWAP_CLUSTER_MAX;

import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.alloc.Reclaimer;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mmzone.PfnList;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.vmstat.ZoneStatItem;
import dev.pagealloc.watermark.WatermarkCheck;
import java.util.function.Consumer;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;

/**
 * Page reclaim of mm/vmscan.c (2.6.32), simplified but with the kernel's structure: per-zone LRU
 * lists, {@code shrink_zone()} scanning each list by {@code size >> priority}, kswapd balancing the
 * node to the high watermark, direct reclaim from DEF_PRIORITY down, and the OOM killer.
 *
 * <h2>Notation</h2>
 * Pages on the LRU are allocated order-0 pages, threaded through the memmap's lru words (free for
 * allocated pages) on {@code zone->lru[l]}: inactive/active anon, inactive/active file. New page
 * cache goes on the inactive file list, new anonymous memory on the active anon list
 * ({@code lru_cache_add_*}); a second access sets PG_referenced, and a referenced page found at
 * the tail of an inactive list is activated instead of reclaimed.
 *
 * <h2>What is simplified (documented, deterministic)</h2>
 * <ul>
 *   <li>{@code get_scan_count()}: anon and file lists get equal pressure when swap has room; anon
 *       is not scanned without swap. No recent_rotated/scanned feedback.
 *   <li>{@code page_referenced()} is the PG_referenced bit; no mappings or ptes are modelled.
 *   <li>Writeback: a dirty page met at the tail is put under writeback and rotated; writeback
 *       completes at the next {@link #tick()} (one tick of emulated time), then the page is clean.
 *   <li>Lumpy reclaim (order > PAGE_ALLOC_COSTLY_ORDER, or any order > 0 below priority
 *       DEF_PRIORITY - 2, as 2.6.32's shrink_inactive_list() sets it; kernels without compaction): reclaiming a
 *       page also reclaims the other reclaimable LRU pages of its order-aligned block, so a
 *       contiguous block can form. With compaction (3.5+) there is none: compaction migrates.
 *   <li>The OOM badness is resident + swapped pages, shifted by oom_adj (OOM_DISABLE −17 exempt).
 * </ul>
 * Invariants: each LRU page is on exactly one list, the zone's NR_*_ANON/FILE counters equal the
 * list lengths, NR_ANON_PAGES + NR_FILE_PAGES equal the LRU pages.
 */
public final class Vmscan implements Reclaimer {
    public static final int LRU_INACTIVE_ANON = 0;
    public static final int LRU_ACTIVE_ANON = 1;
    public static final int LRU_INACTIVE_FILE = 2;
    public static final int LRU_ACTIVE_FILE = 3;
    /** {@code DEF_PRIORITY}, include/linux/mmzone.h: reclaim scans size >> priority. */
    static final int DEF_PRIORITY = 12;

    /** A process: its anonymous pages carry its pid in page_private. */
    public static final class Task {
        public final int pid;
        public final String comm;
        public final int oomAdj;
        public long rss;
        public long swapents;

        Task(int pid, String comm, int oomAdj) {
            this.pid = pid;
            this.comm = comm;
            this.oomAdj = oomAdj;
        }
    }

    private final PageAllocator a;
    private final MemMap mm;
    private final Zone[] zones;
    private final IntObjectHashMap<Task> tasks = new IntObjectHashMap<>();
    private Consumer<String> printk = s -> {};
    private String oomComm = "pagealloc";
    private Runnable oomReport;

    private long swapTotal;
    private long swapFree;
    /** kcompactd, woken when kswapd goes to sleep (kernels with compaction), or null. */
    private dev.pagealloc.alloc.Compactor compactor;
    /**
     * Lumpy reclaim (2.6.23 … 3.4) exists only in kernels without compaction: "mm: vmscan: remove
     * lumpy reclaim" (3.5) replaced it with reclaim/compaction.
     */
    private final boolean lumpy;
    private final OomPrinter oomPrinter;
    private boolean kswapdWoken;
    private int kswapdOrder;
    private long writebackPending;

    // /proc/vmstat events, counted here only (readers use the accessors below)
    private long pgscanKswapd;
    private long pgscanDirect;
    private long pgstealKswapd;
    private long pgstealDirect;
    private long allocstall;
    private long pageoutrun;
    private long pswpout;
    private long oomKills;
    /** The lowest priority the last kswapd run reached (DEF_PRIORITY = 12: it barely had to scan). */
    private int kswapdLastPriority = DEF_PRIORITY;

    /**
     * The reclaim model of {@code a}'s machine, attached as its reclaimer. A kernel builds it
     * ({@code Kernel.newVmscan()}).
     *
     * @param lumpy lumpy reclaim (kernels before 3.5, which have no compaction)
     * @param oomPrinter the kernel's OOM killer lines
     */
    public Vmscan(PageAllocator a, boolean lumpy, OomPrinter oomPrinter) {
        this.a = a;
        this.mm = a.memMap();
        this.zones = a.zones();
        this.lumpy = lumpy;
        this.oomPrinter = oomPrinter;
        a.setReclaimer(this);
    }

    /**
     * The node's kcompactd: {@link #kswapdRun()} wakes it for the order it balanced for when it
     * goes to sleep ({@code kswapd_try_to_sleep()} → {@code wakeup_kcompactd()}, 4.6+).
     */
    public void setCompactor(dev.pagealloc.alloc.Compactor compactor) {
        this.compactor = compactor;
    }

    public void setPrintk(Consumer<String> printk) {
        this.printk = printk;
    }

    /**
     * What the OOM report prints between its header and the kill lines (dump_stack and
     * show_mem(), which need the whole machine), and the {@code current->comm} it names.
     */
    public void setOomReport(String comm, Runnable showMem) {
        this.oomComm = comm;
        this.oomReport = showMem;
    }

    /** Swap space of the machine, in pages (0: anonymous memory cannot be reclaimed). */
    public void setSwap(long pages) {
        this.swapTotal = pages;
        this.swapFree = pages;
    }

    public long swapFree() {
        return swapFree;
    }

    public Task task(int pid, String comm, int oomAdj) {
        return tasks.getIfAbsentPut(pid, () -> new Task(pid, comm, oomAdj));
    }

    /** Whether task {@code pid} is alive (started and neither exited nor OOM-killed). */
    public boolean hasTask(int pid) {
        return tasks.containsKey(pid);
    }

    public int taskCount() {
        return tasks.size();
    }

    // ------------------------------------------------------------------ users of memory

    /**
     * Allocates an order-0 page for {@code use} and puts anon and file pages on their LRU list
     * ({@code lru_cache_add_file()}: inactive; {@code lru_cache_add_active_or_unevictable()}: active
     * anon). {@code owner} is the pid for ANON. Returns the pfn or -1.
     */
    public long allocUserPage(int gfp, int cpu, PageUse use, int owner, boolean dirty) {
        long pfn = a.allocPages(gfp, 0, cpu);
        if (pfn < 0) {
            return -1;
        }
        int p = (int) pfn;
        Zone z = zones[mm.zoneIdx(p)];
        switch (use) {
            case FILE -> {
                z.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()]++;
                if (dirty) {
                    mm.setPageFlags(p, PG_DIRTY);
                    z.vmStat[ZoneStatItem.NR_FILE_DIRTY.ordinal()]++;
                }
                lruAdd(z, p, LRU_INACTIVE_FILE);
            }
            case ANON -> {
                z.vmStat[ZoneStatItem.NR_ANON_PAGES.ordinal()]++;
                Task t = tasks.get(owner);
                if (t != null) {
                    t.rss++;
                }
                mm.setOwnerPid(p, owner);
                mm.setPageFlags(p, PG_SWAPBACKED);
                lruAdd(z, p, LRU_ACTIVE_ANON);
            }
            case SLAB_RECLAIMABLE -> z.vmStat[ZoneStatItem.NR_SLAB_RECLAIMABLE.ordinal()]++;
            case SLAB_UNRECLAIMABLE -> z.vmStat[ZoneStatItem.NR_SLAB_UNRECLAIMABLE.ordinal()]++;
            case PAGETABLE -> z.vmStat[ZoneStatItem.NR_PAGETABLE.ordinal()]++;
            case KERNEL_STACK -> z.vmStat[ZoneStatItem.NR_KERNEL_STACK.ordinal()]++;
            case KERNEL -> { }
        }
        return pfn;
    }

    /**
     * {@code zone_reclaimable_pages()}, mm/vmscan.c: the file LRU pages of zone {@code zoneIdx},
     * plus its anon LRU pages when there is swap to put them in.
     */
    @Override
    public long zoneReclaimablePages(int zoneIdx) {
        Zone z = zones[zoneIdx];
        long n = lruSize(z, LRU_INACTIVE_FILE) + lruSize(z, LRU_ACTIVE_FILE);
        if (swapFree > 0) {
            n += lruSize(z, LRU_INACTIVE_ANON) + lruSize(z, LRU_ACTIVE_ANON);
        }
        return n;
    }

    /** Whether {@code pfn} is a page cache page on a file LRU list. */
    public boolean isFilePage(long pfn) {
        int lru = mm.lru((int) pfn);
        return (lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE)
                && (mm.flags((int) pfn) & STATE_MASK) == PS_ALLOCATED;
    }

    /** {@code mark_page_accessed()}: referenced once, activated on the next access. */
    public void markPageAccessed(long pfn) {
        int p = (int) pfn;
        int f = mm.flags(p);
        int lru = lruOf(f);
        if ((f & PG_REFERENCED) != 0 && (lru == LRU_INACTIVE_FILE || lru == LRU_INACTIVE_ANON)) {
            Zone z = zones[mm.zoneIdx(p)];
            lruDel(z, p, lru);
            mm.clearPageFlags(p, PG_REFERENCED);
            lruAdd(z, p, lru + 1);
        } else {
            mm.setFlags(p, f | PG_REFERENCED);
        }
    }

    private void lruAdd(Zone z, int pfn, int lru) {
        PfnList.add(mm, z.lruHead, z.lruTail, lru, pfn);
        mm.setLru(pfn, lru);
        z.vmStat[ZoneStatItem.NR_INACTIVE_ANON.ordinal() + lru]++;
    }

    private void lruDel(Zone z, int pfn, int lru) {
        PfnList.del(mm, z.lruHead, z.lruTail, lru, pfn);
        mm.setLru(pfn, -1);
        z.vmStat[ZoneStatItem.NR_INACTIVE_ANON.ordinal() + lru]--;
    }

    private long lruSize(Zone z, int lru) {
        return z.vmStat[ZoneStatItem.NR_INACTIVE_ANON.ordinal() + lru];
    }

    // ------------------------------------------------------------------ time

    /** One tick of emulated time: writeback started before it completes (pages become clean). */
    public void tick() {
        if (writebackPending == 0) {
            return;
        }
        // Pages under writeback were rotated to the head of their list, so the walk from the head
        // finds them early; it stops once all writebackPending of them are clean.
        long left = writebackPending;
        for (Zone z : zones) {
            for (int lru = LRU_INACTIVE_FILE; lru <= LRU_ACTIVE_FILE && left > 0; lru++) {
                for (int p = z.lruHead[lru]; p != NIL && left > 0; p = mm.next(p)) {
                    int f = mm.flags(p);
                    if ((f & PG_WRITEBACK) != 0) {
                        mm.setFlags(p, f & ~PG_WRITEBACK);
                        z.vmStat[ZoneStatItem.NR_WRITEBACK.ordinal()]--;
                        left--;
                    }
                }
            }
        }
        writebackPending = 0;
    }

    // ------------------------------------------------------------------ kswapd

    @Override
    public void wakeupKswapd(int zoneIdx, int order, int highZoneIdx) {
        kswapdWoken = true;
        kswapdOrder = Math.max(kswapdOrder, order);
    }

    public boolean kswapdWoken() {
        return kswapdWoken;
    }

    /**
     * kswapd's turn between workload events: {@code balance_pgdat()}, mm/vmscan.c (2.6.32), with
     * its shape kept because it decides where reclaim lands:
     * <ul>
     *   <li>{@code loop_again}: every pass starts at DEF_PRIORITY and stops going down once it has
     *       reclaimed SWAP_CLUSTER_MAX pages, so kswapd works in small steps and stops close to
     *       the point of balance (it does not sweep a quarter of the LRU in one go);
     *   <li>{@code end_zone} is the highest zone below its high watermark for the order;
     *       every zone up to it is then checked against high <em>with lowmem_reserve[end_zone]</em>
     *       and shrunk unless it has 8 times its high watermark free ("equal pressure on every
     *       zone"). On a 4 GiB x86_64 machine a small Normal zone therefore makes kswapd reclaim
     *       DMA32 too, which turns DMA32's free pages over;
     *   <li>a pass that reclaims fewer than SWAP_CLUSTER_MAX pages gives up the high order and
     *       balances for order 0.
     * </ul>
     * The kernel loops until the node is balanced, sleeping in congestion_wait(); here the loop
     * runs to its end within one turn, and stops if a whole order-0 pass finds nothing to reclaim
     * (the kernel's all_unreclaimable would let it sleep). Returns the pages reclaimed.
     */
    public long kswapdRun() {
        if (!kswapdWoken) {
            return 0;
        }
        kswapdWoken = false;
        int order = kswapdOrder;
        final int allocOrder = order;
        kswapdOrder = 0;
        pageoutrun++;
        long total = 0;
        kswapdLastPriority = DEF_PRIORITY;
        WatermarkCheck wc = a.context().watermarkCheck();
        while (true) { // loop_again
            long nrReclaimed = 0;
            boolean allZonesOk = true;
            for (int priority = DEF_PRIORITY; priority >= 0; priority--) {
                kswapdLastPriority = Math.min(kswapdLastPriority, priority);
                int endZone = -1;
                for (int i = zones.length - 1; i >= 0; i--) {
                    Zone z = zones[i];
                    if (!z.isPopulated()) {
                        continue;
                    }
                    if (swapFree > 0 && inactiveAnonIsLow(z)) {
                        shrinkActiveList(z, LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX);
                    }
                    if (!wc.zoneWatermarkOk(z, order, z.highWmark(), 0, 0, null)) {
                        endZone = i;
                        break;
                    }
                }
                if (endZone < 0) {
                    allZonesOk = true;
                    break; // goto out
                }
                allZonesOk = true;
                int classzone = zones[endZone].idx;
                for (int i = 0; i <= endZone; i++) {
                    Zone z = zones[i];
                    if (!z.isPopulated()) {
                        continue;
                    }
                    if (!wc.zoneWatermarkOk(z, order, z.highWmark(), classzone, 0, null)) {
                        allZonesOk = false;
                    }
                    if (!wc.zoneWatermarkOk(z, order, 8 * z.highWmark(), classzone, 0, null)) {
                        nrReclaimed += shrinkZone(z, priority, Long.MAX_VALUE, true, true, true, order);
                    }
                }
                if (!lumpy && order > 0 && nrReclaimed >= 2L << order) {
                    // kswapd_shrink_node() (3.5+ with compaction): "Fragmentation may mean that the
                    // system cannot be rebalanced for high-order allocations. If twice the allocation
                    // size has been reclaimed then recheck watermarks only at order-0" (compact_gap)
                    order = 0;
                }
                if (allZonesOk || nrReclaimed >= SWAP_CLUSTER_MAX) {
                    break;
                }
            }
            total += nrReclaimed;
            if (allZonesOk) {
                break;
            }
            if (nrReclaimed < SWAP_CLUSTER_MAX) {
                if (order == 0 && nrReclaimed == 0) {
                    break; // nothing left to reclaim: all_unreclaimable, kswapd sleeps
                }
                order = 0;
            }
        }
        a.drainAllPages();
        if (compactor != null && allocOrder > 0) {
            // kswapd_try_to_sleep(): "We have freed the memory, now we should compact it"
            compactor.wakeupKcompactd(allocOrder, zones.length - 1);
        }
        return total;
    }

    // ------------------------------------------------------------------ direct reclaim

    /**
     * {@code try_to_free_pages()} / {@code do_try_to_free_pages()}, mm/vmscan.c: from DEF_PRIORITY
     * down, shrink the zones the request may use until SWAP_CLUSTER_MAX pages are reclaimed.
     * GFP_NOIO may not swap or write; GFP_NOFS may not write file pages.
     */
    @Override
    public long tryToFreePages(int gfpMask, int order, int highZoneIdx) {
        allocstall++;
        boolean mayIo = (gfpMask & a.context().gfp().bit("__GFP_IO")) != 0;
        boolean mayFs = (gfpMask & a.context().gfp().bit("__GFP_FS")) != 0;
        long total = 0;
        for (int priority = DEF_PRIORITY; priority >= 0; priority--) {
            for (int zi = zones.length - 1; zi >= 0; zi--) {
                Zone z = zones[zi];
                if (!z.isPopulated() || zi > highZoneIdx) {
                    continue;
                }
                total += shrinkZone(z, priority, SWAP_CLUSTER_MAX - total, mayFs && mayIo, mayIo, false, order);
                if (total >= SWAP_CLUSTER_MAX) {
                    return total;
                }
            }
        }
        return total;
    }

    /**
     * Reclaims until {@code nrPages} are freed or nothing more can be: shrink_zone over every zone
     * from DEF_PRIORITY down to 0 (what {@code shrink_all_memory()} does for hibernation), with
     * writeback and swap allowed. Returns the pages reclaimed.
     */
    public long reclaimPages(long nrPages) {
        long total = 0;
        for (int priority = DEF_PRIORITY; priority >= 0 && total < nrPages; priority--) {
            for (Zone z : zones) {
                if (z.isPopulated() && total < nrPages) {
                    total += shrinkZone(z, priority, nrPages - total, true, true, true, 0);
                }
            }
        }
        return total;
    }

    /**
     * {@code shrink_zone()}, mm/vmscan.c (2.6.32): each evictable list gets {@code size >> priority}
     * pages of scanning (anon only with swap), in SWAP_CLUSTER_MAX batches, until
     * {@code nrToReclaim}; the active anon list is aged when the inactive one is low.
     */
    long shrinkZone(Zone z, int priority, long nrToReclaim, boolean mayWritepage, boolean maySwap, boolean kswapd,
            int order) {
        long[] nr = new long[4];
        boolean swapOk = maySwap && swapFree > 0;
        for (int lru = 0; lru < 4; lru++) {
            boolean file = lru >= LRU_INACTIVE_FILE;
            if (!file && !swapOk) {
                continue;
            }
            long scan = lruSize(z, lru) >> priority;
            nr[lru] = priority == 0 ? lruSize(z, lru) : Math.max(scan, lruSize(z, lru) > 0 && priority < DEF_PRIORITY ? 1 : scan);
        }
        long reclaimed = 0;
        while ((nr[LRU_INACTIVE_ANON] | nr[LRU_ACTIVE_FILE] | nr[LRU_INACTIVE_FILE]) != 0) {
            for (int lru = 0; lru < 4; lru++) {
                if (nr[lru] == 0) {
                    continue;
                }
                long n = Math.min(nr[lru], SWAP_CLUSTER_MAX);
                nr[lru] -= n;
                reclaimed += shrinkList(z, lru, n, priority, mayWritepage, swapOk, kswapd, order);
            }
            if (reclaimed >= nrToReclaim && priority < DEF_PRIORITY) {
                break;
            }
        }
        if (swapOk && inactiveAnonIsLow(z)) {
            shrinkActiveList(z, LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX);
        }
        return reclaimed;
    }

    private boolean inactiveAnonIsLow(Zone z) {
        return lruSize(z, LRU_INACTIVE_ANON) * z.inactiveRatio < lruSize(z, LRU_ACTIVE_ANON);
    }

    private boolean inactiveFileIsLow(Zone z) {
        return lruSize(z, LRU_ACTIVE_FILE) > lruSize(z, LRU_INACTIVE_FILE);
    }

    /** {@code shrink_list()}: active lists are only aged; inactive ones are reclaimed from. */
    private long shrinkList(Zone z, int lru, long n, int priority, boolean mayWritepage, boolean swapOk,
            boolean kswapd, int order) {
        if (lru == LRU_ACTIVE_FILE) {
            if (inactiveFileIsLow(z)) {
                shrinkActiveList(z, lru, n);
            }
            return 0;
        }
        if (lru == LRU_ACTIVE_ANON) {
            return 0;
        }
        return shrinkInactiveList(z, lru, n, priority, mayWritepage, swapOk, kswapd, order);
    }

    /** {@code shrink_active_list()}: the coldest active pages move to the inactive list's head. */
    private void shrinkActiveList(Zone z, int lru, long n) {
        for (long i = 0; i < n; i++) {
            int p = z.lruTail[lru];
            if (p == NIL) {
                return;
            }
            lruDel(z, p, lru);
            mm.clearPageFlags(p, PG_REFERENCED);
            lruAdd(z, p, lru - 1);
        }
    }

    /**
     * {@code shrink_inactive_list()} + {@code shrink_page_list()}: from the tail, referenced pages
     * are activated, pages under writeback rotate, dirty file pages start writeback, anon pages go
     * to swap, clean pages are freed. Returns the pages freed.
     */
    private long shrinkInactiveList(Zone z, int lru, long n, int priority, boolean mayWritepage, boolean swapOk,
            boolean kswapd, int order) {
        long freed = 0;
        // 2.6.32 shrink_inactive_list(): lumpy for costly orders at once, and for any order > 0 once
        // reclaim is struggling ("trouble getting a small set of contiguous pages")
        boolean lumpy = this.lumpy && (order > Zone.PAGE_ALLOC_COSTLY_ORDER
                || (order > 0 && priority < DEF_PRIORITY - 2));
        for (long i = 0; i < n; i++) {
            int p = z.lruTail[lru];
            if (p == NIL) {
                break;
            }
            if (kswapd) {
                pgscanKswapd++;
            } else {
                pgscanDirect++;
            }
            int outcome = reclaimOne(z, p, lru, mayWritepage, swapOk);
            if (outcome > 0) {
                freed++;
                if (lumpy) {
                    freed += lumpyReclaim(p, order, mayWritepage, swapOk);
                }
            }
        }
        if (kswapd) {
            pgstealKswapd += freed;
        } else {
            pgstealDirect += freed;
        }
        return freed;
    }

    /** Reclaims the other LRU pages of the order-aligned block around {@code pfn} (lumpy reclaim). */
    private long lumpyReclaim(int pfn, int order, boolean mayWritepage, boolean swapOk) {
        long freed = 0;
        int start = pfn & -(1 << order);
        for (int q = start; q < start + (1 << order) && q < mm.nrPages(); q++) {
            int f = mm.flags(q);
            int lru = lruOf(f);
            if (lru < 0 || (f & STATE_MASK) != PS_ALLOCATED) {
                continue;
            }
            if (reclaimOne(zones[mm.zoneIdx(q)], q, lru, mayWritepage, swapOk) > 0) {
                freed++;
            }
        }
        return freed;
    }

    /** One page through {@code shrink_page_list()}: 1 freed, 0 kept or rotated. */
    private int reclaimOne(Zone z, int p, int lru, boolean mayWritepage, boolean swapOk) {
        int f = mm.flags(p);
        boolean anon = (f & PG_SWAPBACKED) != 0;
        if ((f & PG_WRITEBACK) != 0) {
            rotate(z, p, lru);
            return 0;
        }
        if ((f & PG_REFERENCED) != 0 && (lru == LRU_INACTIVE_FILE || lru == LRU_INACTIVE_ANON)) {
            lruDel(z, p, lru);
            mm.clearPageFlags(p, PG_REFERENCED);
            lruAdd(z, p, lru + 1); // activate_locked
            return 0;
        }
        if (anon) {
            if (!swapOk || swapFree == 0) {
                lruDel(z, p, lru);
                lruAdd(z, p, LRU_ACTIVE_ANON);
                return 0;
            }
            swapFree--;
            pswpout++;
            Task t = tasks.get(mm.ownerPid(p));
            if (t != null) {
                t.rss--;
                t.swapents++;
            }
            z.vmStat[ZoneStatItem.NR_ANON_PAGES.ordinal()]--;
        } else {
            if ((f & PG_DIRTY) != 0) {
                if (mayWritepage) {
                    mm.setFlags(p, (f & ~PG_DIRTY) | PG_WRITEBACK);
                    z.vmStat[ZoneStatItem.NR_FILE_DIRTY.ordinal()]--;
                    z.vmStat[ZoneStatItem.NR_WRITEBACK.ordinal()]++;
                    writebackPending++;
                }
                rotate(z, p, lru);
                return 0;
            }
            z.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()]--;
        }
        // Off the LRU and back to the allocator; freeing resets the flag bits LRU pages use.
        PfnList.del(mm, z.lruHead, z.lruTail, lru, p);
        z.vmStat[ZoneStatItem.NR_INACTIVE_ANON.ordinal() + lru]--;
        if (anon) {
            mm.setOwnerPid(p, 0);
        }
        a.freePages(p, 0, 0, true); // free_page_list: cold
        return 1;
    }

    private void rotate(Zone z, int p, int lru) {
        lruDel(z, p, lru);
        lruAdd(z, p, lru);
    }

    /**
     * {@code truncate_inode_pages()} for one page ({@code delete_from_page_cache()} + the last
     * {@code put_page()}): a page cache page leaves its LRU list and is freed to CPU {@code cpu}'s
     * lists; a dirty page's dirt is cancelled. Returns false (nothing done) unless {@code pfn} is a
     * file page on an LRU list and not under writeback (truncation would wait for it).
     */
    public boolean truncatePage(long pfn, int cpu) {
        int p = (int) pfn;
        int f = mm.flags(p);
        int lru = lruOf(f);
        if (lru < LRU_INACTIVE_FILE || lru > LRU_ACTIVE_FILE
                || (f & STATE_MASK) != PS_ALLOCATED || (f & PG_WRITEBACK) != 0) {
            return false;
        }
        Zone z = zones[mm.zoneIdx(p)];
        lruDel(z, p, lru);
        if ((f & PG_DIRTY) != 0) {
            z.vmStat[ZoneStatItem.NR_FILE_DIRTY.ordinal()]--; // cancel_dirty_page()
        }
        mm.clearPageFlags(p, PG_REFERENCED | PG_DIRTY);
        z.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()]--;
        a.freePages(p, 0, cpu);
        return true;
    }

    /**
     * {@code zap_pte_range()} + {@code free_pages_and_swap_cache()} for one page (munmap): an
     * anonymous page on an LRU list leaves it, its owner's rss drops, and it is freed to CPU
     * {@code cpu}'s lists. Returns false unless {@code pfn} is such a page.
     */
    public boolean unmapAnonPage(long pfn, int cpu) {
        int p = (int) pfn;
        int f = mm.flags(p);
        int lru = lruOf(f);
        if (lru < 0 || (f & PG_SWAPBACKED) == 0 || (f & STATE_MASK) != PS_ALLOCATED) {
            return false;
        }
        Zone z = zones[mm.zoneIdx(p)];
        lruDel(z, p, lru);
        z.vmStat[ZoneStatItem.NR_ANON_PAGES.ordinal()]--;
        Task t = tasks.get(mm.ownerPid(p));
        if (t != null) {
            t.rss--;
        }
        mm.clearPageFlags(p, PG_REFERENCED | PG_SWAPBACKED);
        mm.setOwnerPid(p, 0);
        a.freePages(p, 0, cpu);
        return true;
    }

    // ------------------------------------------------------------------ migration (mm/migrate.c)

    /**
     * {@code __isolate_lru_page_prepare()} + {@code TestClearPageLRU()} + {@code del_page_from_lru_list()}
     * as {@code isolate_migratepages_block()}, mm/compaction.c, does them: takes the page off its LRU
     * list for migration and returns the list it was on, or -1 when it may not be isolated: not on
     * the LRU, under writeback (isolation for async migration, {@code ISOLATE_ASYNC_MIGRATE}, skips
     * it; sync migration would wait, which this model does not), or a page cache page when the
     * compactor may not enter the filesystem ({@code !__GFP_FS}). Counters (NR_FILE_PAGES, NR_ANON_PAGES,
     * the task's rss) are unchanged: the page is isolated, not freed; only the list length counter
     * drops until {@link #putbackLruPage} or {@link #migratePage}.
     */
    public int isolateLruPage(int pfn, boolean mayFs) {
        int f = mm.flags(pfn);
        int lru = lruOf(f);
        if (lru < 0 || (f & STATE_MASK) != PS_ALLOCATED) {
            return -1;
        }
        if ((f & PG_WRITEBACK) != 0) {
            return -1;
        }
        if (!mayFs && (f & PG_SWAPBACKED) == 0) { // page_mapping(): page cache
            return -1;
        }
        lruDel(zones[mm.zoneIdx(pfn)], pfn, lru);
        return lru;
    }

    /**
     * {@code putback_lru_page()} → {@code lru_cache_add()}, mm/swap.c: an isolated page that was
     * not migrated goes back to the head of the list it came from (its PG_active decides which).
     */
    public void putbackLruPage(int pfn, int lru) {
        lruAdd(zones[mm.zoneIdx(pfn)], pfn, lru);
    }

    /**
     * {@code migrate_page_move_mapping()} + {@code folio_migrate_flags()} + {@code folio_copy()} and
     * the new page's {@code putback_lru_page()}, mm/migrate.c: the isolated page {@code src} (taken
     * off list {@code lru} by {@link #isolateLruPage}) becomes {@code dst}, an allocated order-0 page
     * of the same zone: its flags (PG_referenced, PG_dirty, PG_writeback, PG_swapbacked), its owner
     * or integrity stamp (page_private), the emulated RAM contents when mapped; {@code dst} goes to the
     * head of the same LRU list. Zone counters are unchanged (both pages are in one zone: compaction
     * never crosses zones). {@code src} is left an allocated page with no identity, for the caller
     * to free ({@code put_page()} of the old page after a successful migration).
     */
    public void migratePage(int src, int dst, int lru) {
        int f = mm.flags(src);
        int identity = f & (PG_REFERENCED | PG_DIRTY | PG_WRITEBACK | PG_SWAPBACKED);
        mm.setFlags(dst, (mm.flags(dst) & ~(LRU_MASK | PG_REFERENCED | PG_DIRTY | PG_WRITEBACK | PG_SWAPBACKED))
                | identity);
        int priv = mm.ownerPid(src);
        mm.setOwnerPid(dst, priv);
        dev.pagealloc.mem.PhysMem phys = a.physMem();
        if (phys != null) {
            java.lang.foreign.MemorySegment.copy(phys.pageAddress(src), 0L, phys.pageAddress(dst), 0L,
                    dev.pagealloc.mem.PhysMem.PAGE_SIZE);
        }
        mm.setFlags(src, f & ~(PG_REFERENCED | PG_DIRTY | PG_WRITEBACK | PG_SWAPBACKED));
        if ((identity & PG_SWAPBACKED) != 0) {
            mm.setOwnerPid(src, 0); // anon: the owner moved with the page
        }
        lruAdd(zones[mm.zoneIdx(dst)], dst, lru);
    }

    // ------------------------------------------------------------------ OOM

    /**
     * {@code out_of_memory()} → {@code select_bad_process()} + {@code oom_kill_process()},
     * mm/oom_kill.c (2.6.32): the task with the highest badness dies and its memory is freed; the
     * kernel's two KERN_ERR lines are printed.
     */
    @Override
    public boolean outOfMemory(int gfpMask, int order) {
        Task victim = null;
        long best = 0;
        for (Task t : tasks.toSortedListBy(x -> x.pid)) {
            if (t.oomAdj == -17) { // OOM_DISABLE
                continue;
            }
            long points = badness(t);
            if (victim == null || points > best) {
                victim = t;
                best = points;
            }
        }
        printk.accept(oomPrinter.header(oomComm, gfpMask, order));
        if (oomReport != null) {
            oomReport.run();
        }
        if (victim == null || best == 0) {
            return false;
        }
        for (String line : oomPrinter.kill(victim.pid, victim.comm, best, victim.rss, victim.swapents, victim.oomAdj)) {
            printk.accept(line);
        }
        kill(victim);
        oomKills++;
        return true;
    }

    /** {@code badness()}, simplified: resident and swapped pages, shifted by oom_adj. */
    static long badness(Task t) {
        long points = t.rss + t.swapents;
        if (t.oomAdj > 0) {
            points <<= t.oomAdj;
        } else if (t.oomAdj < 0) {
            points >>= -t.oomAdj;
        }
        return points;
    }

    /**
     * {@code do_exit()} → {@code exit_mmap()}: a task that exits frees its anonymous memory and
     * swap entries the way a killed one does. Returns false when no such task is alive (it was
     * OOM-killed or never started).
     */
    public boolean exit(int pid) {
        Task t = tasks.get(pid);
        if (t == null) {
            return false;
        }
        kill(t);
        return true;
    }

    /**
     * {@code invalidate_mapping_pages()} as {@code drop_caches} and truncation use it: clean page
     * cache pages are freed from the cold end of the inactive file list, then the active one;
     * dirty pages and pages under writeback are skipped (invalidation does not write). Returns the
     * pages freed, at most {@code nrPages}.
     */
    public long dropPagecache(long nrPages) {
        long freed = 0;
        for (int lru = LRU_INACTIVE_FILE; lru <= LRU_ACTIVE_FILE && freed < nrPages; lru++) {
            for (Zone z : zones) {
                int p = z.lruTail[lru];
                while (p != NIL && freed < nrPages) {
                    int prev = mm.prev(p);
                    if ((mm.flags(p) & (PG_DIRTY | PG_WRITEBACK)) == 0) {
                        lruDel(z, p, lru);
                        mm.clearPageFlags(p, PG_REFERENCED);
                        z.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()]--;
                        a.freePages(p, 0, 0, true);
                        freed++;
                    }
                    p = prev;
                }
            }
        }
        return freed;
    }

    /** Frees every anonymous page of the task (exit_mmap) and its swap entries. */
    public void kill(Task t) {
        for (Zone z : zones) {
            for (int lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_ANON; lru++) {
                int p = z.lruHead[lru];
                while (p != NIL) {
                    int next = mm.next(p);
                    if (mm.ownerPid(p) == t.pid) {
                        lruDel(z, p, lru);
                        z.vmStat[ZoneStatItem.NR_ANON_PAGES.ordinal()]--;
                        mm.clearPageFlags(p, PG_REFERENCED | PG_SWAPBACKED);
                        mm.setOwnerPid(p, 0);
                        a.freePages(p, 0, 0, true);
                    }
                    p = next;
                }
            }
        }
        swapFree += t.swapents;
        t.rss = 0;
        t.swapents = 0;
        tasks.remove(t.pid);
    }

    /**
     * The LRU invariants: every page on {@code zone->lru[l]} is an allocated order-0 page of that
     * zone marked with list {@code l}, the lists' lengths equal NR_INACTIVE_ANON … NR_ACTIVE_FILE,
     * and the anon and file lists hold exactly NR_ANON_PAGES and NR_FILE_PAGES pages.
     */
    public java.util.List<String> checkLru() {
        java.util.List<String> errs = new java.util.ArrayList<>();
        for (Zone z : zones) {
            long anon = 0;
            long file = 0;
            for (int lru = 0; lru < 4; lru++) {
                long n = 0;
                for (int p = z.lruHead[lru]; p != NIL; p = mm.next(p)) {
                    int f = mm.flags(p);
                    if ((f & STATE_MASK) != PS_ALLOCATED || mm.order(p) != 0
                            || mm.zoneIdx(p) != z.idx || lruOf(f) != lru) {
                        errs.add(z + ": pfn " + p + " on lru " + lru + " has flags " + Integer.toHexString(f));
                    }
                    n++;
                }
                if (n != lruSize(z, lru)) {
                    errs.add(z + ": lru " + lru + " holds " + n + " pages, counter says " + lruSize(z, lru));
                }
                if (lru < LRU_INACTIVE_FILE) {
                    anon += n;
                } else {
                    file += n;
                }
            }
            if (anon != z.vmStat[ZoneStatItem.NR_ANON_PAGES.ordinal()]) {
                errs.add(z + ": anon lists hold " + anon + ", NR_ANON_PAGES " + z.vmStat[ZoneStatItem.NR_ANON_PAGES.ordinal()]);
            }
            if (file != z.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()]) {
                errs.add(z + ": file lists hold " + file + ", NR_FILE_PAGES " + z.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()]);
            }
        }
        return errs;
    }

    /** Σ over zones of a zone counter. */
    public long global(ZoneStatItem item) {
        long n = 0;
        for (Zone z : zones) {
            n += z.vmStat[item.ordinal()];
        }
        return n;
    }

    // ------------------------------------------------------------------ /proc/vmstat events

    /** PGSCAN_KSWAPD: pages kswapd scanned. */
    public long pgscanKswapd() {
        return pgscanKswapd;
    }

    /** PGSCAN_DIRECT: pages direct reclaim scanned. */
    public long pgscanDirect() {
        return pgscanDirect;
    }

    /** PGSTEAL_KSWAPD: pages kswapd reclaimed. */
    public long pgstealKswapd() {
        return pgstealKswapd;
    }

    /** PGSTEAL_DIRECT: pages direct reclaim reclaimed. */
    public long pgstealDirect() {
        return pgstealDirect;
    }

    /** ALLOCSTALL: direct reclaim entries. */
    public long allocstall() {
        return allocstall;
    }

    /** PAGEOUTRUN: kswapd balance_pgdat() runs. */
    public long pageoutrun() {
        return pageoutrun;
    }

    /** PSWPOUT: pages swapped out. */
    public long pswpout() {
        return pswpout;
    }

    /** OOM_KILL: tasks the OOM killer killed. */
    public long oomKills() {
        return oomKills;
    }

    /** The lowest priority the last kswapd run reached (DEF_PRIORITY, 12: it barely had to scan). */
    public int kswapdLastPriority() {
        return kswapdLastPriority;
    }
}
