package dev.pagealloc.compaction;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static dev.pagealloc.mem.MemMapDescriptor.PS_ALLOCATED;
import static dev.pagealloc.mem.MemMapDescriptor.PS_BUDDY;
import static dev.pagealloc.mem.MemMapDescriptor.PS_NOMAP;

import dev.pagealloc.alloc.AllocContext;
import dev.pagealloc.alloc.Compactor;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.gfp.AllocFlags;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.PhysMem;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.mmzone.PfnList;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.vmstat.FragmentationIndex;
import dev.pagealloc.vmstat.ZoneStatItem;
import dev.pagealloc.watermark.WatermarkCheck;
import dev.pagealloc.watermark.ZoneView;
import java.util.Arrays;

/**
 * Memory compaction of mm/compaction.c (6.1), over the LRU pages of {@link Vmscan}, with page
 * migration (mm/migrate.c) reduced to what moves a page's identity.
 *
 * <h2>Notation</h2>
 * A zone is compacted by two scanners that walk towards each other over its pageblocks
 * ({@code pageblock_nr_pages} = 2^{@code pageblock_order} pages, 512 on x86_64):
 * <ul>
 *   <li>the <em>migration scanner</em> {@code cc.migratePfn} from the zone start upward isolates
 *       movable (LRU) pages, at most {@link #COMPACT_CLUSTER_MAX} at a time
 *       ({@link #isolateMigratepages}, {@link #isolateMigratepagesBlock});
 *   <li>the <em>free scanner</em> {@code cc.freePfn} from the last pageblock downward isolates free
 *       buddy blocks and splits them into order-0 pages ({@link #isolateFreepages},
 *       {@link #fastIsolateFreepages}, {@link #isolateFreepagesBlock});
 *   <li>{@link #migratePages} moves each isolated page to an isolated free page, freeing the source,
 *       so the bottom of the zone empties into free blocks that merge while the top fills.
 * </ul>
 * A run ends ({@link #compactFinished}) with COMPACT_SUCCESS once a free block of the requested
 * order is on a list the request may use, or COMPACT_COMPLETE (whole zone) / PARTIAL_SKIPPED when
 * the scanners meet ({@code free_pfn >> pageblock_order <= migrate_pfn >> pageblock_order}).
 * {@code compact_priority} picks the migration mode: ASYNC (only MOVABLE pageblocks, one failure
 * drops the order-aligned block), SYNC_LIGHT, SYNC_FULL (whole zone, skip hints ignored).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Between calls no page is isolated: {@code cc.migratepages} and {@code cc.freepages} are
 *       empty, so the allocator's invariants ({@code InvariantChecker}) and the LRU invariants
 *       ({@link Vmscan#checkLru()}) hold after every public call.
 *   <li>A migration keeps the zone's LRU counters, NR_FILE_PAGES / NR_ANON_PAGES and the owner's
 *       rss: source and target are in the same zone; only the pfn changes.
 *   <li>Free pages isolated by the free scanner leave NR_FREE_PAGES when isolated
 *       ({@code __isolate_free_page()}) and return through {@code __free_page()} when unused.
 *   <li>Deferral: after a failed sync run {@code compact_defer_shift} grows up to
 *       {@link #COMPACT_MAX_DEFER_SHIFT}, and the next 2^shift requests of that order or more skip
 *       the zone ({@link #compactionDeferred}).
 * </ul>
 *
 * <h2>What is simplified</h2>
 * No locks, contention or need_resched (async runs never abort for them); no compaction capture
 * ({@code capture_control}: the caller's next freelist attempt finds the block); no THP or hugetlb
 * pages (allocated blocks of order &gt; 0 are skipped as compound pages); non-LRU movable pages do
 * not exist; pages under writeback are never migrated (sync migration would wait for them); no
 * proactive compaction (proactiveness 0). Everything else keeps the kernel's decisions, including
 * the pageblock skip hints and the cached scanner positions.
 *
 * <p>Single-threaded and allocation-free once constructed (the isolation lists are int arrays).
 */
public final class Compaction implements Compactor {
    /** COMPACT_CLUSTER_MAX = SWAP_CLUSTER_MAX: pages isolated per migration round. */
    public static final int COMPACT_CLUSTER_MAX = Zone.SWAP_CLUSTER_MAX;
    /** COMPACT_MAX_DEFER_SHIFT: "Do not skip compaction more than 64 times". */
    public static final int COMPACT_MAX_DEFER_SHIFT = 6;

    /** {@code enum migrate_mode}. */
    public static final int MIGRATE_ASYNC = 0;
    public static final int MIGRATE_SYNC_LIGHT = 1;
    public static final int MIGRATE_SYNC = 2;

    private static final int ISOLATE_ABORT = 0;
    private static final int ISOLATE_NONE = 1;
    private static final int ISOLATE_SUCCESS = 2;

    private static final int ENOMEM = -12;
    private static final int EAGAIN = -11;
    private static final int MIGRATE_MOVABLE = MigrateType.MIGRATE_MOVABLE.ordinal();
    private static final int MIGRATE_HIGHATOMIC = MigrateType.MIGRATE_HIGHATOMIC.ordinal();
    private static final int MIGRATE_ISOLATE = MigrateType.MIGRATE_ISOLATE.ordinal();

    /** {@code sysctl_extfrag_threshold} (vm.extfrag_threshold), default 500. */
    private int extfragThreshold = 500;

    private final PageAllocator a;
    private final StealableFallback fallbacks;
    private final MemMap mm;
    private final Zone[] zones;
    private final Vmscan vmscan;
    private final AllocContext ctx;
    private final WatermarkCheck wc;
    private final PhysMem phys;
    private final int pageblockOrder;
    private final int pageblockNrPages;
    private final int gfpIo;
    private final int gfpFs;
    private final int gfpKernel;
    /** The emulated CPU compaction runs on (its pcp lists receive the freed pages). */
    private int cpu;

    // struct zone's CONFIG_COMPACTION fields, by zone index
    private final int[] compactConsidered;
    private final int[] compactDeferShift;
    private final int[] compactOrderFailed;
    private final long[] compactCachedFreePfn;
    private final long[][] compactCachedMigratePfn;
    private final long[] compactInitMigratePfn;
    private final long[] compactInitFreePfn;
    private final boolean[] compactBlockskipFlush;
    /** PB_migrate_skip, one bit per pageblock of the memmap. */
    private final long[] skipBits;

    // pgdat's kcompactd fields
    private int kcompactdMaxOrder;
    private int kcompactdHighestZoneidx;

    private final CompactControl cc;

    // /proc/vmstat compaction events (include/linux/vm_event_item.h)
    private long compactMigrateScanned;
    private long compactFreeScanned;
    private long compactIsolated;
    private long compactStall;
    private long compactFail;
    private long compactSuccess;
    private long compactDaemonWake;
    private long compactDaemonMigrateScanned;
    private long compactDaemonFreeScanned;
    private long pgmigrateSuccess;
    private long pgmigrateFail;

    /**
     * {@code struct compact_control}, mm/internal.h, reused for every run. {@code freepages} is a
     * stack whose top is the list head; {@code migratepages} holds pfns with the LRU list each came
     * from.
     */
    static final class CompactControl {
        int[] freepages;
        int nrFreepages;
        final int[] migratepages;
        final int[] migrateLru;
        int nrMigratepages;
        // isolated free blocks before split_map_pages()
        int[] isoPfn = new int[64];
        int[] isoOrder = new int[64];
        int nrIso;
        long freePfn;
        long migratePfn;
        long fastStartPfn;
        Zone zone;
        long totalMigrateScanned;
        long totalFreeScanned;
        int fastSearchFail;
        int searchOrder;
        int gfpMask;
        int order;
        int migratetype;
        int allocFlags;
        int highestZoneidx;
        int mode;
        boolean ignoreSkipHint;
        boolean noSetSkipHint;
        boolean ignoreBlockSuitable;
        boolean directCompaction;
        boolean proactiveCompaction;
        boolean wholeZone;
        boolean contended;
        boolean rescan;

        CompactControl(int pageblockNrPages) {
            migratepages = new int[pageblockNrPages + 1];
            migrateLru = new int[pageblockNrPages + 1];
            freepages = new int[4 * pageblockNrPages + (1 << (Zone.MAX_ORDER - 1))];
        }
    }

    /**
     * Compaction for the machine of {@code a}, migrating the LRU pages of {@code vmscan}, with the
     * kernel's answer to "could a fallback block be stolen" ({@code fallbacks}); wires itself as the
     * allocator's direct compaction and as the reclaim model's kcompactd.
     */
    public Compaction(PageAllocator a, Vmscan vmscan, StealableFallback fallbacks) {
        this.a = a;
        this.fallbacks = fallbacks;
        this.mm = a.memMap();
        this.zones = a.zones();
        this.vmscan = vmscan;
        this.ctx = a.context();
        this.wc = ctx.watermarkCheck();
        this.phys = a.physMem();
        this.pageblockOrder = mm.pageblockOrder();
        this.pageblockNrPages = 1 << pageblockOrder;
        this.gfpIo = ctx.gfp().bit("__GFP_IO");
        this.gfpFs = ctx.gfp().bit("__GFP_FS");
        this.gfpKernel = ctx.gfp().bit("GFP_KERNEL");
        int nz = zones.length;
        compactConsidered = new int[nz];
        compactDeferShift = new int[nz];
        compactOrderFailed = new int[nz];
        compactCachedFreePfn = new long[nz];
        compactCachedMigratePfn = new long[nz][2];
        compactInitMigratePfn = new long[nz];
        compactInitFreePfn = new long[nz];
        compactBlockskipFlush = new boolean[nz];
        for (Zone z : zones) {
            if (z.spannedPages > 0) {
                resetCachedPositions(z); // pgdat_init / zone_init_internals: start anew
                compactInitMigratePfn[z.idx] = z.zoneStartPfn;
                compactInitFreePfn[z.idx] = compactCachedFreePfn[z.idx];
            }
        }
        skipBits = new long[(int) ((mm.nrPages() >>> pageblockOrder) / 64 + 1)];
        kcompactdHighestZoneidx = nz - 1;
        cc = new CompactControl(pageblockNrPages);
        a.setCompactor(this);
        if (vmscan != null) {
            vmscan.setCompactor(this);
        }
    }

    /** The CPU whose per-CPU lists receive the pages compaction frees. */
    public void setCpu(int cpu) {
        this.cpu = cpu;
    }

    // ------------------------------------------------------------------ deferral

    /** {@code defer_compaction()}, mm/compaction.c. */
    public void deferCompaction(Zone zone, int order) {
        int z = zone.idx;
        compactConsidered[z] = 0;
        compactDeferShift[z]++;
        if (order < compactOrderFailed[z]) {
            compactOrderFailed[z] = order;
        }
        if (compactDeferShift[z] > COMPACT_MAX_DEFER_SHIFT) {
            compactDeferShift[z] = COMPACT_MAX_DEFER_SHIFT;
        }
    }

    /** {@code compaction_deferred()}, mm/compaction.c: true if compaction should be skipped this time. */
    public boolean compactionDeferred(Zone zone, int order) {
        int z = zone.idx;
        int deferLimit = 1 << compactDeferShift[z];
        if (order < compactOrderFailed[z]) {
            return false;
        }
        if (++compactConsidered[z] >= deferLimit) {
            compactConsidered[z] = deferLimit;
            return false;
        }
        return true;
    }

    /** {@code compaction_defer_reset()}, mm/compaction.c. */
    public void compactionDeferReset(Zone zone, int order, boolean allocSuccess) {
        int z = zone.idx;
        if (allocSuccess) {
            compactConsidered[z] = 0;
            compactDeferShift[z] = 0;
        }
        if (order >= compactOrderFailed[z]) {
            compactOrderFailed[z] = order + 1;
        }
    }

    /** {@code compaction_restarting()}, mm/compaction.c. */
    private boolean compactionRestarting(Zone zone, int order) {
        int z = zone.idx;
        if (order < compactOrderFailed[z]) {
            return false;
        }
        return compactDeferShift[z] == COMPACT_MAX_DEFER_SHIFT
                && compactConsidered[z] >= 1 << compactDeferShift[z];
    }

    /** {@code zone->compact_defer_shift}, for views and tests. */
    public int deferShift(Zone zone) {
        return compactDeferShift[zone.idx];
    }

    /** {@code zone->compact_considered}. */
    public int considered(Zone zone) {
        return compactConsidered[zone.idx];
    }

    // ------------------------------------------------------------------ skip hints

    private boolean getPageblockSkip(long pfn) {
        long b = pfn >>> pageblockOrder;
        return (skipBits[(int) (b >>> 6)] & (1L << b)) != 0;
    }

    private void setPageblockSkip(long pfn) {
        long b = pfn >>> pageblockOrder;
        skipBits[(int) (b >>> 6)] |= 1L << b;
    }

    private void clearPageblockSkip(long pfn) {
        long b = pfn >>> pageblockOrder;
        skipBits[(int) (b >>> 6)] &= ~(1L << b);
    }

    private boolean isolationSuitable(CompactControl cc, long pfn) {
        return cc.ignoreSkipHint || !getPageblockSkip(pfn);
    }

    /** {@code reset_cached_positions()}, mm/compaction.c. */
    private void resetCachedPositions(Zone zone) {
        compactCachedMigratePfn[zone.idx][0] = zone.zoneStartPfn;
        compactCachedMigratePfn[zone.idx][1] = zone.zoneStartPfn;
        compactCachedFreePfn[zone.idx] = pageblockStartPfn(zone.zoneEndPfn() - 1);
    }

    /**
     * {@code __reset_isolation_pfn()}, mm/compaction.c: clears the skip hint of the pageblock at
     * {@code pfn} if a sample (every 2^PAGE_ALLOC_COSTLY_ORDER pages) finds an LRU page (source) or
     * a free page (target) in it.
     */
    private boolean resetIsolationPfn(Zone zone, long pfn, boolean checkSource, boolean checkTarget) {
        if (!pfnValidInZone(zone, pfn)) {
            return false;
        }
        if (checkSource && checkTarget && !getPageblockSkip(pfn)) {
            return true;
        }
        if (!checkSource && checkTarget && mm.pageblockMigratetype(pfn) != MIGRATE_MOVABLE) {
            return false;
        }
        long blockPfn = Math.max(pageblockStartPfn(pfn), zone.zoneStartPfn);
        if (pfnValidInZone(zone, blockPfn)) {
            pfn = blockPfn;
        }
        long endPfn = Math.min(pageblockEndPfn(pfn) - 1, zone.zoneEndPfn() - 1);
        if (!pfnValidInZone(zone, endPfn)) {
            return false;
        }
        for (long p = pfn; p <= endPfn; p += 1 << Zone.PAGE_ALLOC_COSTLY_ORDER) {
            if (checkSource && vmscan != null && mm.onLru((int) p)) {
                clearPageblockSkip(p);
                return true;
            }
            if (checkTarget && mm.state((int) p) == PS_BUDDY) {
                clearPageblockSkip(p);
                return true;
            }
        }
        return false;
    }

    /** {@code __reset_isolation_suitable()}, mm/compaction.c. */
    private void resetIsolationSuitable(Zone zone) {
        int z = zone.idx;
        long migratePfn = zone.zoneStartPfn;
        long freePfn = zone.zoneEndPfn() - 1;
        long resetMigrate = freePfn;
        long resetFree = migratePfn;
        boolean sourceSet = false;
        boolean freeSet = false;
        if (!compactBlockskipFlush[z]) {
            return;
        }
        compactBlockskipFlush[z] = false;
        for (; migratePfn < freePfn; migratePfn += pageblockNrPages, freePfn -= pageblockNrPages) {
            if (resetIsolationPfn(zone, migratePfn, true, sourceSet) && migratePfn < resetMigrate) {
                sourceSet = true;
                resetMigrate = migratePfn;
                compactInitMigratePfn[z] = resetMigrate;
                compactCachedMigratePfn[z][0] = resetMigrate;
                compactCachedMigratePfn[z][1] = resetMigrate;
            }
            if (resetIsolationPfn(zone, freePfn, freeSet, true) && freePfn > resetFree) {
                freeSet = true;
                resetFree = freePfn;
                compactInitFreePfn[z] = resetFree;
                compactCachedFreePfn[z] = resetFree;
            }
        }
        if (resetMigrate >= resetFree) {
            compactCachedMigratePfn[z][0] = migratePfn;
            compactCachedMigratePfn[z][1] = migratePfn;
            compactCachedFreePfn[z] = freePfn;
        }
    }

    /**
     * {@code reset_isolation_suitable()}, mm/compaction.c: what kswapd does before it sleeps
     * ({@code kswapd_try_to_sleep()}), for every zone whose last full compaction asked for it.
     */
    public void resetIsolationSuitable() {
        for (Zone z : zones) {
            if (z.isPopulated() && compactBlockskipFlush[z.idx]) {
                resetIsolationSuitable(z);
            }
        }
    }

    /** {@code test_and_set_skip()}, mm/compaction.c. */
    private boolean testAndSetSkip(CompactControl cc, long pfn) {
        if (cc.ignoreSkipHint) {
            return false;
        }
        if ((pfn & (pageblockNrPages - 1)) != 0) {
            return false;
        }
        boolean skip = getPageblockSkip(pfn);
        if (!skip && !cc.noSetSkipHint) {
            setPageblockSkip(pfn);
        }
        return skip;
    }

    /** {@code update_cached_migrate()}, mm/compaction.c. */
    private void updateCachedMigrate(CompactControl cc, long pfn) {
        int z = cc.zone.idx;
        pfn = pageblockEndPfn(pfn);
        if (cc.noSetSkipHint) {
            return;
        }
        if (pfn > compactCachedMigratePfn[z][0]) {
            compactCachedMigratePfn[z][0] = pfn;
        }
        if (cc.mode != MIGRATE_ASYNC && pfn > compactCachedMigratePfn[z][1]) {
            compactCachedMigratePfn[z][1] = pfn;
        }
    }

    /** {@code update_pageblock_skip()}, mm/compaction.c. */
    private void updatePageblockSkip(CompactControl cc, long pagePfn, long pfn) {
        if (cc.noSetSkipHint) {
            return;
        }
        setPageblockSkip(pagePfn);
        if (pfn < compactCachedFreePfn[cc.zone.idx]) {
            compactCachedFreePfn[cc.zone.idx] = pfn;
        }
    }

    // ------------------------------------------------------------------ pfn helpers

    private long pageblockStartPfn(long pfn) {
        return pfn & -(long) pageblockNrPages;
    }

    private long pageblockEndPfn(long pfn) {
        return (pfn + pageblockNrPages) & -(long) pageblockNrPages; // ALIGN(pfn + 1, nr)
    }

    private static long blockStartPfn(long pfn, int order) {
        return pfn & -(1L << order);
    }

    private static long blockEndPfn(long pfn, int order) {
        return (pfn + (1L << order)) & -(1L << order);
    }

    private boolean pfnValidInZone(Zone zone, long pfn) {
        return zone.spansPfn(pfn) && mm.state((int) pfn) != PS_NOMAP && mm.zoneIdx((int) pfn) == zone.idx;
    }

    /**
     * {@code pageblock_pfn_to_page()}, mm/page_alloc.c: the range's first page if both its ends are
     * valid pages of the zone (a hole at either end makes the pageblock unusable), else -1.
     */
    private long pageblockPfnToPage(long startPfn, long endPfn, Zone zone) {
        endPfn--;
        if (!pfnValidInZone(zone, startPfn) || !pfnValidInZone(zone, endPfn)) {
            return -1;
        }
        return startPfn;
    }

    // ------------------------------------------------------------------ free page isolation

    /**
     * {@code __isolate_free_page()}, mm/page_alloc.c: takes the free block at {@code pfn} off its
     * list if the zone stays above its min watermark plus the block, and claims its pageblocks for
     * MOVABLE when it is at least half a pageblock. Returns the pages isolated, 0 if refused.
     */
    private int isolateFreePage(Zone zone, int pfn, int order) {
        int mt = mm.pageblockMigratetype(pfn);
        if (mt != MIGRATE_ISOLATE) {
            long watermark = zone.watermark[0] + (1L << order); // _watermark[WMARK_MIN]: no boost
            if (!wc.zoneWatermarkOk(zone, 0, watermark, 0, AllocFlags.ALLOC_CMA, null)) {
                return 0;
            }
            zone.vmStat[ZoneStatItem.NR_FREE_PAGES.ordinal()] -= 1L << order;
        }
        // del_page_from_free_list()
        int s = Zone.slot(order, mm.pcpMigratetype(pfn));
        PfnList.del(mm, zone.freeHead, zone.freeTail, s, pfn);
        zone.listLen[s]--;
        zone.nrFree[order]--;
        mm.setStateOrder(pfn, PS_ALLOCATED, order);
        // Set the pageblock if the isolated page is at least half of a pageblock
        if (order >= pageblockOrder - 1) {
            int endPage = pfn + (1 << order) - 1;
            for (int p = pfn; p <= endPage; p += pageblockNrPages) {
                int pmt = mm.pageblockMigratetype(p);
                if (pmt != MIGRATE_ISOLATE && pmt != MIGRATE_HIGHATOMIC) {
                    mm.setPageblockMigratetype(p, MIGRATE_MOVABLE);
                }
            }
        }
        return 1 << order;
    }

    /** list_add_tail() of an isolated block onto the pre-split list. */
    private void addIsolatedBlock(CompactControl cc, int pfn, int order) {
        if (cc.nrIso == cc.isoPfn.length) {
            cc.isoPfn = Arrays.copyOf(cc.isoPfn, cc.nrIso * 2);
            cc.isoOrder = Arrays.copyOf(cc.isoOrder, cc.nrIso * 2);
        }
        cc.isoPfn[cc.nrIso] = pfn;
        cc.isoOrder[cc.nrIso++] = order;
    }

    /**
     * {@code isolate_freepages_block()}, mm/compaction.c (not strict): isolates free buddy blocks in
     * {@code [startPfn[0], endPfn)} every {@code stride} pages until {@code cc.nrFreepages} covers
     * {@code cc.nrMigratepages}; {@code startPfn[0]} is left where the scan stopped.
     */
    private int isolateFreepagesBlock(CompactControl cc, long[] startPfn, long endPfn, int stride) {
        int nrScanned = 0;
        int totalIsolated = 0;
        long blockpfn = startPfn[0];
        for (; blockpfn < endPfn; blockpfn += stride) {
            int p = (int) blockpfn;
            nrScanned++;
            int state = mm.state(p);
            if (state == PS_ALLOCATED && mm.order(p) > 0) { // PageCompound
                blockpfn += (1L << mm.order(p)) - 1;
                continue;
            }
            if (state != PS_BUDDY) {
                continue; // isolate_fail
            }
            int order = mm.order(p);
            int isolated = isolateFreePage(cc.zone, p, order);
            if (isolated == 0) {
                break;
            }
            totalIsolated += isolated;
            cc.nrFreepages += isolated;
            addIsolatedBlock(cc, p, order);
            if (cc.nrMigratepages <= cc.nrFreepages) {
                blockpfn += isolated;
                break;
            }
            blockpfn += isolated - 1;
        }
        if (blockpfn > endPfn) {
            blockpfn = endPfn;
        }
        startPfn[0] = blockpfn;
        cc.totalFreeScanned += nrScanned;
        compactIsolated += totalIsolated;
        return totalIsolated;
    }

    /** {@code suitable_migration_target()}, mm/compaction.c. */
    private boolean suitableMigrationTarget(CompactControl cc, long pfn) {
        int p = (int) pfn;
        if (mm.state(p) == PS_BUDDY && mm.order(p) >= pageblockOrder) {
            return false; // a large free page: leave it alone
        }
        if (cc.ignoreBlockSuitable) {
            return true;
        }
        return mm.pageblockMigratetype(pfn) == MIGRATE_MOVABLE;
    }

    /** {@code freelist_scan_limit()}, mm/compaction.c. */
    private static int freelistScanLimit(CompactControl cc) {
        return (COMPACT_CLUSTER_MAX >>> Math.min(63, cc.fastSearchFail)) + 1;
    }

    /** {@code compact_scanners_met()}, mm/compaction.c. */
    private boolean compactScannersMet(CompactControl cc) {
        return (cc.freePfn >>> pageblockOrder) <= (cc.migratePfn >>> pageblockOrder);
    }

    /**
     * {@code move_freelist_head()}, mm/compaction.c: the entries after {@code freepage} move to
     * the front of the list, so a later reverse search starts with the ones not yet scanned.
     */
    private void moveFreelistHead(Zone zone, int slot, int freepage) {
        if (zone.freeTail[slot] == freepage) {
            return; // list_is_last
        }
        // list_cut_before(&sublist, freelist, &freepage->lru); list_splice_tail(&sublist, freelist):
        // [head .. prev(freepage)] moves behind the tail.
        PfnList.rotateToFront(mm, zone.freeHead, zone.freeTail, slot, freepage);
    }

    /** {@code next_search_order()}, mm/compaction.c. */
    private static int nextSearchOrder(CompactControl cc, int order) {
        order--;
        if (order < 0) {
            order = cc.order - 1;
        }
        if (order == cc.searchOrder) {
            cc.searchOrder--;
            if (cc.searchOrder < 0) {
                cc.searchOrder = cc.order - 1;
            }
            return -1;
        }
        return order;
    }

    private final long[] scratchPfn = new long[1];

    /**
     * {@code fast_isolate_around()}, mm/compaction.c: after a fast isolation, sync and kcompactd
     * runs scan the rest of that pageblock for more free pages.
     */
    private void fastIsolateAround(CompactControl cc, long pfn, long nrIsolated) {
        if (cc.nrFreepages >= cc.nrMigratepages) {
            return;
        }
        if (cc.directCompaction && cc.mode == MIGRATE_ASYNC) {
            return;
        }
        long startPfn = Math.max(pageblockStartPfn(pfn), cc.zone.zoneStartPfn);
        long endPfn = Math.min(pageblockEndPfn(pfn), cc.zone.zoneEndPfn());
        long page = pageblockPfnToPage(startPfn, endPfn, cc.zone);
        if (page < 0) {
            return;
        }
        if (startPfn != pfn) {
            scratchPfn[0] = startPfn;
            isolateFreepagesBlock(cc, scratchPfn, pfn, 1);
            if (cc.nrFreepages >= cc.nrMigratepages) {
                return;
            }
        }
        startPfn = pfn + nrIsolated;
        if (startPfn < endPfn) {
            scratchPfn[0] = startPfn;
            isolateFreepagesBlock(cc, scratchPfn, endPfn, 1);
        }
        if (cc.nrFreepages < cc.nrMigratepages) {
            setPageblockSkip(page);
        }
    }

    /**
     * {@code fast_isolate_freepages()}, mm/compaction.c: searches the MOVABLE free lists below the
     * requested order, in reverse, for a block in the top quarter of the unscanned range (or, failing
     * that, the top half), to avoid a linear scan. Returns the pfn the linear scan should start from.
     */
    private long fastIsolateFreepages(CompactControl cc) {
        int limit = Math.max(1, freelistScanLimit(cc) >>> 1);
        int nrScanned = 0;
        long highest = 0;
        long nrIsolated = 0;
        long page = -1;
        boolean scanStart = false;
        Zone zone = cc.zone;
        if (cc.order <= 0) {
            return cc.freePfn;
        }
        if (cc.freePfn >= compactInitFreePfn[zone.idx]) {
            limit = pageblockNrPages >>> 1;
            scanStart = true;
        }
        long distance = cc.freePfn - cc.migratePfn;
        long lowPfn = pageblockStartPfn(cc.freePfn - (distance >>> 2));
        long minPfn = pageblockStartPfn(cc.freePfn - (distance >>> 1));
        if (minPfn > lowPfn) {
            lowPfn = minPfn;
        }
        cc.searchOrder = Math.min(cc.order - 1, cc.searchOrder);
        for (int order = cc.searchOrder; page < 0 && order >= 0; order = nextSearchOrder(cc, order)) {
            if (zone.nrFree[order] == 0) {
                continue;
            }
            int slot = Zone.slot(order, MIGRATE_MOVABLE);
            int orderScanned = 0;
            long highPfn = 0;
            int freepage = NIL;
            for (int fp = zone.freeTail[slot]; fp != NIL; fp = mm.prev(fp)) {
                orderScanned++;
                nrScanned++;
                freepage = fp;
                if (fp >= highest) {
                    highest = Math.max(pageblockStartPfn(fp), zone.zoneStartPfn);
                }
                if (fp >= lowPfn) {
                    cc.fastSearchFail = 0;
                    cc.searchOrder = order;
                    page = fp;
                    break;
                }
                if (fp >= minPfn && fp > highPfn) {
                    highPfn = fp;
                    limit >>>= 1;
                }
                if (orderScanned >= limit) {
                    break;
                }
            }
            if (page < 0 && highPfn != 0) {
                page = highPfn;
                freepage = (int) highPfn;
            }
            if (freepage != NIL) {
                moveFreelistHead(zone, slot, freepage);
            }
            if (page >= 0) {
                int isolated = isolateFreePage(zone, (int) page, order);
                if (isolated != 0) {
                    nrIsolated = isolated;
                    cc.nrFreepages += isolated;
                    addIsolatedBlock(cc, (int) page, order);
                    compactIsolated += isolated;
                } else {
                    order = cc.searchOrder + 1; // abort the search
                    page = -1;
                }
            }
            if (orderScanned >= limit) {
                limit = Math.max(1, limit >>> 1);
            }
        }
        if (page < 0) {
            cc.fastSearchFail++;
            if (scanStart) {
                if (highest != 0) {
                    page = highest;
                    cc.freePfn = highest;
                } else if (cc.directCompaction && zone.spansPfn(minPfn)) {
                    page = pageblockPfnToPage(minPfn, Math.min(pageblockEndPfn(minPfn), zone.zoneEndPfn()), zone);
                    cc.freePfn = minPfn;
                }
            }
        }
        if (highest != 0 && highest >= compactCachedFreePfn[zone.idx]) {
            highest -= pageblockNrPages;
            compactCachedFreePfn[zone.idx] = highest;
        }
        cc.totalFreeScanned += nrScanned;
        if (page < 0) {
            return cc.freePfn;
        }
        fastIsolateAround(cc, page, nrIsolated);
        return page;
    }

    /**
     * {@code isolate_freepages()}, mm/compaction.c: the fast search, then a linear scan of
     * pageblocks downward from {@code cc.freePfn} to the migration scanner's pageblock, isolating
     * free pages from suitable blocks (MOVABLE, unless the priority ignores block suitability),
     * every {@code stride} pages (async starts sparse and tightens when a block yields pages).
     */
    private void isolateFreepages(CompactControl cc) {
        Zone zone = cc.zone;
        long isolateStartPfn = fastIsolateFreepages(cc);
        if (cc.nrFreepages == 0) {
            isolateStartPfn = cc.freePfn;
            long blockStartPfn = pageblockStartPfn(isolateStartPfn);
            long blockEndPfn = Math.min(blockStartPfn + pageblockNrPages, zone.zoneEndPfn());
            long lowPfn = pageblockEndPfn(cc.migratePfn);
            int stride = cc.mode == MIGRATE_ASYNC ? COMPACT_CLUSTER_MAX : 1;
            for (; blockStartPfn >= lowPfn;
                    blockEndPfn = blockStartPfn,
                    blockStartPfn -= pageblockNrPages,
                    isolateStartPfn = blockStartPfn) {
                long page = pageblockPfnToPage(blockStartPfn, blockEndPfn, zone);
                if (page < 0) {
                    continue;
                }
                if (!suitableMigrationTarget(cc, page)) {
                    continue;
                }
                if (!isolationSuitable(cc, page)) {
                    continue;
                }
                scratchPfn[0] = isolateStartPfn;
                int nrIsolated = isolateFreepagesBlock(cc, scratchPfn, blockEndPfn, stride);
                isolateStartPfn = scratchPfn[0];
                if (isolateStartPfn == blockEndPfn) {
                    updatePageblockSkip(cc, page, blockStartPfn);
                }
                if (cc.nrFreepages >= cc.nrMigratepages) {
                    if (isolateStartPfn >= blockEndPfn) {
                        isolateStartPfn = blockStartPfn - pageblockNrPages;
                    }
                    break;
                } else if (isolateStartPfn < blockEndPfn) {
                    break; // isolation failed early
                }
                if (nrIsolated != 0) {
                    stride = 1;
                    continue;
                }
                stride = Math.min(COMPACT_CLUSTER_MAX, stride << 1);
            }
            cc.freePfn = isolateStartPfn;
        }
        splitMapPages(cc);
    }

    /**
     * {@code split_map_pages()}, mm/compaction.c: each isolated block becomes order-0 allocated
     * pages ({@code post_alloc_hook()} + {@code split_page()}); the list ends up with the last
     * block's last page at its head, as the kernel's list_add + list_splice leave it.
     */
    private void splitMapPages(CompactControl cc) {
        int need = cc.nrFreepages;
        if (cc.freepages.length < need) {
            cc.freepages = Arrays.copyOf(cc.freepages, Math.max(need, cc.freepages.length * 2));
        }
        int top = 0;
        for (int i = 0; i < cc.nrIso; i++) {
            int pfn = cc.isoPfn[i];
            int n = 1 << cc.isoOrder[i];
            for (int j = 0; j < n; j++) {
                int p = pfn + j;
                mm.setStateOrder(p, PS_ALLOCATED, 0);
                if (phys != null) {
                    // post_alloc_hook(): the page is handed out, so integrity mode stamps it
                    int stamp = p * 0x9E3779B1 ^ 0x5bd1e995;
                    mm.setIntegrityStamp(p, stamp == 0 ? 1 : stamp);
                    phys.stamp(p, 0, mm.integrityStamp(p));
                }
                cc.freepages[top++] = p;
            }
        }
        cc.nrIso = 0;
    }

    /** {@code compaction_alloc()}, mm/compaction.c: a target page, isolating more when none is left. */
    private int compactionAlloc(CompactControl cc) {
        if (cc.nrFreepages == 0) {
            isolateFreepages(cc);
            if (cc.nrFreepages == 0) {
                return -1;
            }
        }
        return cc.freepages[--cc.nrFreepages];
    }

    /** {@code release_freepages()}, mm/compaction.c: frees the unused targets; returns the highest pfn. */
    private long releaseFreepages(CompactControl cc) {
        long highPfn = 0;
        while (cc.nrFreepages > 0) {
            int p = cc.freepages[--cc.nrFreepages];
            a.freePages(p, 0, cpu); // __free_page()
            if (p > highPfn) {
                highPfn = p;
            }
        }
        return highPfn;
    }

    // ------------------------------------------------------------------ migration source isolation

    /** {@code suitable_migration_source()}, mm/compaction.c. */
    private boolean suitableMigrationSource(CompactControl cc, long pfn) {
        if (cc.mode != MIGRATE_ASYNC || !cc.directCompaction) {
            return true;
        }
        int blockMt = mm.pageblockMigratetype(pfn);
        if (cc.migratetype == MIGRATE_MOVABLE) {
            return blockMt == MIGRATE_MOVABLE; // is_migrate_movable(): MOVABLE or CMA
        }
        return blockMt == cc.migratetype;
    }

    /** {@code putback_movable_pages()}, mm/migrate.c. */
    private void putbackMovablePages(CompactControl cc) {
        for (int i = cc.nrMigratepages - 1; i >= 0; i--) {
            vmscan.putbackLruPage(cc.migratepages[i], cc.migrateLru[i]);
        }
        cc.nrMigratepages = 0;
    }

    /**
     * {@code isolate_migratepages_block()}, mm/compaction.c: isolates the LRU pages of
     * {@code [lowPfn, endPfn)} (one pageblock) onto {@code cc.migratepages}, stopping after
     * COMPACT_CLUSTER_MAX unless the block is being rescanned. Free blocks are stepped over; in
     * async direct compaction a page that cannot be isolated abandons its order-aligned block.
     * Leaves {@code cc.migratePfn} at the next pfn to scan.
     */
    private int isolateMigratepagesBlock(CompactControl cc, long lowPfn, long endPfn) {
        long nrScanned = 0;
        int nrIsolated = 0;
        long validPage = -1;
        boolean skipOnFailure = false;
        long nextSkipPfn = 0;
        boolean skipUpdated = false;
        boolean mayFs = (cc.gfpMask & gfpFs) != 0;
        cc.migratePfn = lowPfn;
        if (tooManyIsolated(cc)) {
            return EAGAIN;
        }
        if (cc.directCompaction && cc.mode == MIGRATE_ASYNC) {
            skipOnFailure = true;
            nextSkipPfn = blockEndPfn(lowPfn, cc.order);
        }
        boolean aborted = false;
        for (; lowPfn < endPfn; lowPfn++) {
            if (skipOnFailure && lowPfn >= nextSkipPfn) {
                if (nrIsolated != 0) {
                    break;
                }
                nextSkipPfn = blockEndPfn(lowPfn, cc.order);
            }
            nrScanned++;
            int p = (int) lowPfn;
            if (validPage < 0 && (lowPfn & (pageblockNrPages - 1)) == 0) {
                if (!cc.ignoreSkipHint && getPageblockSkip(lowPfn)) {
                    lowPfn = endPfn;
                    aborted = true;
                    break; // goto isolate_abort
                }
                validPage = lowPfn;
            }
            int state = mm.state(p);
            if (state == PS_BUDDY) {
                int freepageOrder = mm.order(p);
                if (freepageOrder > 0 && freepageOrder < Zone.MAX_ORDER) {
                    lowPfn += (1L << freepageOrder) - 1;
                }
                continue;
            }
            if (state == PS_ALLOCATED && mm.order(p) > 0) { // PageCompound, not alloc_contig
                lowPfn += (1L << mm.order(p)) - 1;
            } else {
                // __isolate_lru_page_prepare() + TestClearPageLRU() + del_page_from_lru_list()
                int lru = state == PS_ALLOCATED && vmscan != null ? vmscan.isolateLruPage(p, mayFs) : -1;
                if (lru >= 0) {
                    if (!skipUpdated) { // first lru_lock of the block: try to get exclusive access
                        skipUpdated = true;
                        if (testAndSetSkip(cc, lowPfn)) {
                            vmscan.putbackLruPage(p, lru);
                            aborted = true;
                            break; // goto isolate_abort
                        }
                    }
                    // isolate_success
                    cc.migratepages[cc.nrMigratepages] = p;
                    cc.migrateLru[cc.nrMigratepages++] = lru;
                    nrIsolated++;
                    if (cc.nrMigratepages >= COMPACT_CLUSTER_MAX && !cc.rescan && !cc.contended) {
                        ++lowPfn;
                        break;
                    }
                    continue;
                }
            }
            // isolate_fail:
            if (!skipOnFailure) {
                continue;
            }
            if (nrIsolated != 0) {
                putbackMovablePages(cc);
                nrIsolated = 0;
            }
            if (lowPfn < nextSkipPfn) {
                lowPfn = nextSkipPfn - 1;
                nextSkipPfn += 1L << cc.order;
            }
        }
        if (!aborted && lowPfn > endPfn) {
            lowPfn = endPfn;
        }
        // isolate_abort:
        if (lowPfn == endPfn && (nrIsolated == 0 || cc.rescan)) {
            if (validPage >= 0 && !skipUpdated) {
                setPageblockSkip(validPage);
            }
            updateCachedMigrate(cc, lowPfn);
        }
        cc.totalMigrateScanned += nrScanned;
        compactIsolated += nrIsolated;
        cc.migratePfn = lowPfn;
        return 0;
    }

    /** {@code too_many_isolated()}, mm/compaction.c: never true here, as only compaction isolates. */
    private boolean tooManyIsolated(CompactControl cc) {
        return false;
    }

    /**
     * {@code fast_find_migrateblock()}, mm/compaction.c: for costly orders, starts the migration
     * scanner at a MOVABLE pageblock (in the first half or eighth of the range) that already has a
     * free block of order ≥ PAGE_ALLOC_COSTLY_ORDER, so fewer pages need migrating.
     */
    private long fastFindMigrateblock(CompactControl cc) {
        int limit = freelistScanLimit(cc);
        int nrScanned = 0;
        long pfn = cc.migratePfn;
        boolean foundBlock = false;
        Zone zone = cc.zone;
        if (cc.ignoreSkipHint) {
            return pfn;
        }
        if (pfn != zone.zoneStartPfn && pfn != pageblockStartPfn(pfn)) {
            return pfn;
        }
        if (cc.order <= Zone.PAGE_ALLOC_COSTLY_ORDER) {
            return pfn;
        }
        if (cc.directCompaction && cc.migratetype != MIGRATE_MOVABLE) {
            return pfn;
        }
        long distance = (cc.freePfn - cc.migratePfn) >>> 1;
        if (cc.migratePfn != zone.zoneStartPfn) {
            distance >>>= 2;
        }
        long highPfn = pageblockStartPfn(cc.migratePfn + distance);
        for (int order = cc.order - 1;
                order >= Zone.PAGE_ALLOC_COSTLY_ORDER && !foundBlock && nrScanned < limit;
                order--) {
            if (zone.nrFree[order] == 0) {
                continue;
            }
            int slot = Zone.slot(order, MIGRATE_MOVABLE);
            for (int fp = zone.freeHead[slot]; fp != NIL; fp = mm.next(fp)) {
                if (nrScanned++ >= limit) {
                    moveFreelistTail(zone, slot, fp);
                    break;
                }
                if (fp < highPfn) {
                    if (getPageblockSkip(fp)) {
                        continue;
                    }
                    moveFreelistTail(zone, slot, fp);
                    updateFastStartPfn(cc, fp);
                    pfn = pageblockStartPfn(fp);
                    cc.fastSearchFail = 0;
                    foundBlock = true;
                    setPageblockSkip(fp);
                    break;
                }
            }
        }
        cc.totalMigrateScanned += nrScanned;
        if (!foundBlock) {
            cc.fastSearchFail++;
            pfn = reinitMigratePfn(cc);
        }
        return pfn;
    }

    /**
     * {@code move_freelist_tail()}, mm/compaction.c: the entries up to and including
     * {@code freepage} move behind the tail.
     */
    private void moveFreelistTail(Zone zone, int slot, int freepage) {
        if (zone.freeHead[slot] == freepage) {
            return; // list_is_first
        }
        if (zone.freeTail[slot] == freepage) {
            return; // the whole list would rotate onto itself
        }
        // list_cut_position(&sublist, freelist, &freepage->lru); list_splice_tail(): [head ..
        // freepage] moves behind the tail, so the entry after freepage leads.
        PfnList.rotateToFront(mm, zone.freeHead, zone.freeTail, slot, mm.next(freepage));
    }

    private static final long ULONG_MAX = Long.MAX_VALUE;

    /** {@code update_fast_start_pfn()}, mm/compaction.c. */
    private static void updateFastStartPfn(CompactControl cc, long pfn) {
        if (cc.fastStartPfn == ULONG_MAX) {
            return;
        }
        if (cc.fastStartPfn == 0) {
            cc.fastStartPfn = pfn;
        }
        cc.fastStartPfn = Math.min(cc.fastStartPfn, pfn);
    }

    /** {@code reinit_migrate_pfn()}, mm/compaction.c. */
    private static long reinitMigratePfn(CompactControl cc) {
        if (cc.fastStartPfn == 0 || cc.fastStartPfn == ULONG_MAX) {
            return cc.migratePfn;
        }
        cc.migratePfn = cc.fastStartPfn;
        cc.fastStartPfn = ULONG_MAX;
        return cc.migratePfn;
    }

    /**
     * {@code isolate_migratepages()}, mm/compaction.c: from {@code cc.migratePfn} (or the fast
     * search's block), the first suitable pageblock below the free scanner is scanned by
     * {@link #isolateMigratepagesBlock}.
     */
    private int isolateMigratepages(CompactControl cc) {
        long lowPfn = fastFindMigrateblock(cc);
        long blockStartPfn = Math.max(pageblockStartPfn(lowPfn), cc.zone.zoneStartPfn);
        boolean fastFindBlock = lowPfn != cc.migratePfn && cc.fastSearchFail == 0;
        long blockEndPfn = pageblockEndPfn(lowPfn);
        for (; blockEndPfn <= cc.freePfn;
                fastFindBlock = false,
                cc.migratePfn = lowPfn = blockEndPfn,
                blockStartPfn = blockEndPfn,
                blockEndPfn += pageblockNrPages) {
            long page = pageblockPfnToPage(blockStartPfn, blockEndPfn, cc.zone);
            if (page < 0) {
                continue;
            }
            if ((lowPfn & (pageblockNrPages - 1)) == 0 && !fastFindBlock && !isolationSuitable(cc, page)) {
                continue;
            }
            if (!suitableMigrationSource(cc, page)) {
                updateCachedMigrate(cc, blockEndPfn);
                continue;
            }
            if (isolateMigratepagesBlock(cc, lowPfn, blockEndPfn) != 0) {
                return ISOLATE_ABORT;
            }
            break;
        }
        return cc.nrMigratepages != 0 ? ISOLATE_SUCCESS : ISOLATE_NONE;
    }

    // ------------------------------------------------------------------ migration

    /**
     * {@code migrate_pages()}, mm/migrate.c, with {@code compaction_alloc()} as the allocator: each
     * isolated page (the list head, i.e. the last isolated, first) moves to a target page and the
     * source is freed ({@code put_page()}); without a target the rest stay on the list and
     * -ENOMEM is returned. Returns 0 when every page moved.
     */
    private int migratePages(CompactControl cc) {
        int i = cc.nrMigratepages - 1;
        for (; i >= 0; i--) {
            int src = cc.migratepages[i];
            int dst = compactionAlloc(cc);
            if (dst < 0) {
                break;
            }
            int lru = cc.migrateLru[i];
            vmscan.migratePage(src, dst, lru);
            if (phys != null && lru <= Vmscan.LRU_ACTIVE_ANON) {
                // An anonymous page's page_private is its owner, not an integrity stamp: stamp the
                // old frame so the free below checks what integrity mode can check.
                int stamp = src * 0x9E3779B1 ^ 0x5bd1e995;
                mm.setIntegrityStamp(src, stamp == 0 ? 1 : stamp);
                phys.stamp(src, 0, mm.integrityStamp(src));
            }
            a.freePages(src, 0, cpu); // put_page() of the old page
            pgmigrateSuccess++;
        }
        int remaining = i + 1;
        cc.nrMigratepages = remaining; // the unmigrated pages stay at the bottom of the list
        if (remaining > 0) {
            pgmigrateFail += remaining;
            return ENOMEM;
        }
        return 0;
    }

    // ------------------------------------------------------------------ finish and suitability

    /** {@code __compact_finished()}, mm/compaction.c. */
    private int compactFinishedInner(CompactControl cc) {
        Zone zone = cc.zone;
        if (compactScannersMet(cc)) {
            resetCachedPositions(zone);
            if (cc.directCompaction) {
                compactBlockskipFlush[zone.idx] = true;
            }
            return cc.wholeZone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
        }
        if (cc.order < 0) { // is_via_compact_memory()
            return COMPACT_CONTINUE;
        }
        if ((cc.migratePfn & (pageblockNrPages - 1)) != 0) {
            return COMPACT_CONTINUE; // always finish scanning a pageblock
        }
        int ret = COMPACT_NO_SUITABLE_PAGE;
        for (int order = cc.order; order < Zone.MAX_ORDER; order++) {
            if (zone.listLen[Zone.slot(order, cc.migratetype)] > 0) {
                return COMPACT_SUCCESS;
            }
            if (fallbacks.hasStealableFallback(zone, order, cc.migratetype)) {
                if (cc.migratetype == MIGRATE_MOVABLE) {
                    return COMPACT_SUCCESS;
                }
                if (cc.mode == MIGRATE_ASYNC || (cc.migratePfn & (pageblockNrPages - 1)) == 0) {
                    return COMPACT_SUCCESS;
                }
                ret = COMPACT_CONTINUE;
                break;
            }
        }
        if (cc.contended) {
            ret = COMPACT_CONTENDED;
        }
        return ret;
    }

    /** {@code compact_finished()}, mm/compaction.c. */
    private int compactFinished(CompactControl cc) {
        int ret = compactFinishedInner(cc);
        return ret == COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
    }

    /** {@code fragmentation_index()}, mm/vmstat.c ({@link FragmentationIndex}). */
    public int fragmentationIndex(Zone zone, int order) {
        return FragmentationIndex.fragmentationIndex(zone, order);
    }

    /** COMPACT_GAP: {@code compact_gap()}, mm/internal.h: 2 << order free pages to migrate into. */
    public static long compactGap(int order) {
        return 2L << order;
    }

    /**
     * {@code __compaction_suitable()}, mm/compaction.c: COMPACT_SUCCESS if the request's own
     * watermark check already passes; COMPACT_SKIPPED unless the zone has, at order 0, its low (costly
     * orders) or min watermark plus {@link #compactGap} free, counting {@code wmarkTarget} pages.
     */
    private int compactionSuitableInner(Zone zone, int order, int allocFlags, int highestZoneidx,
            long wmarkTarget) {
        if (order < 0) {
            return COMPACT_CONTINUE;
        }
        long watermark = zone.wmark(allocFlags & AllocFlags.ALLOC_WMARK_MASK);
        if (wc.zoneWatermarkOk(zone, order, watermark, highestZoneidx, allocFlags, null)) {
            return COMPACT_SUCCESS;
        }
        watermark = order > Zone.PAGE_ALLOC_COSTLY_ORDER ? zone.lowWmark() : zone.minWmark();
        watermark += compactGap(order);
        ZoneView view = wmarkTarget == zone.freePages() ? zone : new dev.pagealloc.watermark.ZoneWithFree(zone, wmarkTarget);
        if (!wc.zoneWatermarkOk(view, 0, watermark, highestZoneidx, AllocFlags.ALLOC_CMA, null)) {
            return COMPACT_SKIPPED;
        }
        return COMPACT_CONTINUE;
    }

    /**
     * {@code compaction_suitable()}, mm/compaction.c: {@link #compactionSuitableInner}, then for
     * costly orders a fragmentation index in [0, extfrag_threshold] means the failure is lack of
     * memory, not fragmentation: COMPACT_SKIPPED (traced as NOT_SUITABLE_ZONE).
     */
    public int compactionSuitable(Zone zone, int order, int allocFlags, int highestZoneidx) {
        int ret = compactionSuitableInner(zone, order, allocFlags, highestZoneidx, zone.freePages());
        if (ret == COMPACT_CONTINUE && order > Zone.PAGE_ALLOC_COSTLY_ORDER) {
            int fragindex = fragmentationIndex(zone, order);
            if (fragindex >= 0 && fragindex <= extfragThreshold) {
                ret = COMPACT_NOT_SUITABLE_ZONE;
            }
        }
        return ret == COMPACT_NOT_SUITABLE_ZONE ? COMPACT_SKIPPED : ret;
    }

    /**
     * {@code compaction_zonelist_suitable()}, mm/compaction.c: whether some zone up to
     * {@code highestZoneidx} would pass {@code __compaction_suitable()} counting its free pages plus
     * its reclaimable LRU pages divided by the order (should reclaim go on for compaction's sake).
     */
    public boolean compactionZonelistSuitable(int order, int allocFlags, int highestZoneidx) {
        for (int zi = highestZoneidx; zi >= 0; zi--) {
            Zone z = zones[zi];
            if (!z.isPopulated()) {
                continue;
            }
            long reclaimable = z.vmStat[ZoneStatItem.NR_INACTIVE_FILE.ordinal()]
                    + z.vmStat[ZoneStatItem.NR_ACTIVE_FILE.ordinal()];
            if (vmscan != null && vmscan.swapFree() > 0) {
                reclaimable += z.vmStat[ZoneStatItem.NR_INACTIVE_ANON.ordinal()]
                        + z.vmStat[ZoneStatItem.NR_ACTIVE_ANON.ordinal()];
            }
            long available = reclaimable / Math.max(1, order) + z.freePages();
            if (compactionSuitableInner(z, order, allocFlags, highestZoneidx, available) != COMPACT_SKIPPED) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ compact_zone

    /** {@code compact_zone()}, mm/compaction.c: one run over {@code cc.zone}. */
    private int compactZone(CompactControl cc) {
        Zone zone = cc.zone;
        int z = zone.idx;
        long startPfn = zone.zoneStartPfn;
        long endPfn = zone.zoneEndPfn();
        boolean sync = cc.mode != MIGRATE_ASYNC;
        cc.totalMigrateScanned = 0;
        cc.totalFreeScanned = 0;
        cc.nrMigratepages = 0;
        cc.nrFreepages = 0;
        cc.nrIso = 0;
        cc.contended = false;
        cc.fastSearchFail = 0;
        cc.migratetype = ctx.requestSlot(cc.gfpMask);
        int ret = compactionSuitable(zone, cc.order, cc.allocFlags, cc.highestZoneidx);
        if (ret == COMPACT_SUCCESS || ret == COMPACT_SKIPPED) {
            return ret;
        }
        if (compactionRestarting(zone, cc.order)) {
            resetIsolationSuitable(zone);
        }
        cc.fastStartPfn = 0;
        if (cc.wholeZone) {
            cc.migratePfn = startPfn;
            cc.freePfn = pageblockStartPfn(endPfn - 1);
        } else {
            cc.migratePfn = compactCachedMigratePfn[z][sync ? 1 : 0];
            cc.freePfn = compactCachedFreePfn[z];
            if (cc.freePfn < startPfn || cc.freePfn >= endPfn) {
                cc.freePfn = pageblockStartPfn(endPfn - 1);
                compactCachedFreePfn[z] = cc.freePfn;
            }
            if (cc.migratePfn < startPfn || cc.migratePfn >= endPfn) {
                cc.migratePfn = startPfn;
                compactCachedMigratePfn[z][0] = cc.migratePfn;
                compactCachedMigratePfn[z][1] = cc.migratePfn;
            }
            if (cc.migratePfn <= compactInitMigratePfn[z]) {
                cc.wholeZone = true;
            }
        }
        long lastMigratedPfn = 0;
        boolean updateCached = !sync && compactCachedMigratePfn[z][0] == compactCachedMigratePfn[z][1];
        while ((ret = compactFinished(cc)) == COMPACT_CONTINUE) {
            long iterationStartPfn = cc.migratePfn;
            cc.rescan = pageblockStartPfn(lastMigratedPfn) == pageblockStartPfn(iterationStartPfn);
            boolean migrate = true;
            switch (isolateMigratepages(cc)) {
                case ISOLATE_ABORT -> {
                    ret = COMPACT_CONTENDED;
                    putbackMovablePages(cc);
                    migrate = false;
                }
                case ISOLATE_NONE -> {
                    if (updateCached) {
                        compactCachedMigratePfn[z][1] = compactCachedMigratePfn[z][0];
                    }
                    migrate = false; // goto check_drain
                }
                default -> {
                    updateCached = false;
                    lastMigratedPfn = iterationStartPfn;
                }
            }
            if (ret == COMPACT_CONTENDED) {
                break;
            }
            if (migrate) {
                int err = migratePages(cc);
                if (err != 0) {
                    putbackMovablePages(cc);
                    if (err == ENOMEM && !compactScannersMet(cc)) {
                        ret = COMPACT_CONTENDED;
                        break;
                    }
                    if (cc.directCompaction && cc.mode == MIGRATE_ASYNC) {
                        cc.migratePfn = blockEndPfn(cc.migratePfn - 1, cc.order);
                        lastMigratedPfn = 0;
                    }
                }
                cc.nrMigratepages = 0;
            }
            // check_drain:
            if (cc.order > 0 && lastMigratedPfn != 0) {
                long currentBlockStart = blockStartPfn(cc.migratePfn, cc.order);
                if (lastMigratedPfn < currentBlockStart) {
                    a.drainPages(cpu); // lru_add_drain_cpu_zone() → drain_local_pages(zone)
                    lastMigratedPfn = 0;
                }
            }
        }
        // out:
        if (cc.nrFreepages > 0) {
            long freePfn = releaseFreepages(cc);
            freePfn = pageblockStartPfn(freePfn);
            if (freePfn > compactCachedFreePfn[z]) {
                compactCachedFreePfn[z] = freePfn;
            }
        }
        // Pages freed to this CPU's lists merge now (the kernel's next drain or pcp flush).
        a.drainPages(cpu);
        compactMigrateScanned += cc.totalMigrateScanned;
        compactFreeScanned += cc.totalFreeScanned;
        return ret;
    }

    private void initControl(Zone zone, int order, int gfpMask, int mode, int allocFlags, int highestZoneidx,
            boolean direct, boolean wholeZone, boolean ignoreSkip, boolean ignoreBlockSuitable) {
        cc.zone = zone;
        cc.order = order;
        cc.searchOrder = order;
        cc.gfpMask = gfpMask;
        cc.mode = mode;
        cc.allocFlags = allocFlags;
        cc.highestZoneidx = highestZoneidx;
        cc.directCompaction = direct;
        cc.wholeZone = wholeZone;
        cc.ignoreSkipHint = ignoreSkip;
        cc.ignoreBlockSuitable = ignoreBlockSuitable;
        cc.noSetSkipHint = false;
        cc.proactiveCompaction = false;
        cc.rescan = false;
    }

    /**
     * {@code compact_zone_order()}, mm/compaction.c: a direct compaction run of {@code zone} at
     * {@code prio} (ASYNC → MIGRATE_ASYNC, otherwise MIGRATE_SYNC_LIGHT; SYNC_FULL also compacts the
     * whole zone and ignores skip hints and block suitability).
     */
    public int compactZoneOrder(Zone zone, int order, int gfpMask, int prio, int allocFlags, int highestZoneidx) {
        boolean min = prio == COMPACT_PRIO_SYNC_FULL; // MIN_COMPACT_PRIORITY in 6.1
        initControl(zone, order, gfpMask, prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT,
                allocFlags, highestZoneidx, true, min, min, min);
        return compactZone(cc);
    }

    /**
     * {@code try_to_compact_pages()}, mm/compaction.c: compacts each zone of the zonelist up to
     * {@code highZoneIdx}, highest first, skipping deferred zones above the minimum priority; stops
     * at the first COMPACT_SUCCESS; defers a zone after a failed sync run. Counts COMPACTSTALL as
     * {@code __alloc_pages_direct_compact()} does. GFP_NOIO requests are not compacted.
     */
    @Override
    public int tryToCompactPages(int gfpMask, int order, int highZoneIdx, int allocFlags, int prio) {
        if ((gfpMask & gfpIo) == 0) {
            return COMPACT_SKIPPED;
        }
        int rc = COMPACT_SKIPPED;
        for (int zi = Math.min(highZoneIdx, zones.length - 1); zi >= 0; zi--) {
            Zone zone = zones[zi];
            if (!zone.isPopulated()) {
                continue;
            }
            if (prio > COMPACT_PRIO_SYNC_FULL && compactionDeferred(zone, order)) {
                rc = Math.max(COMPACT_DEFERRED, rc);
                continue;
            }
            int status = compactZoneOrder(zone, order, gfpMask, prio, allocFlags, highZoneIdx);
            rc = Math.max(status, rc);
            if (status == COMPACT_SUCCESS) {
                compactionDeferReset(zone, order, false);
                break;
            }
            if (prio != COMPACT_PRIO_ASYNC && (status == COMPACT_COMPLETE || status == COMPACT_PARTIAL_SKIPPED)) {
                deferCompaction(zone, order);
            }
        }
        if (rc != COMPACT_SKIPPED) {
            compactStall++; // __alloc_pages_direct_compact(): count_vm_event(COMPACTSTALL)
        }
        return rc;
    }

    /**
     * What {@code __alloc_pages_direct_compact()} does after its freelist retry: COMPACTSUCCESS and
     * {@code compaction_defer_reset(zone, order, true)} for the zone that served the page, or
     * COMPACTFAIL when none did.
     */
    public void directCompactOutcome(long pfn, int order) {
        if (pfn >= 0) {
            compactionDeferReset(zones[mm.zoneIdx((int) pfn)], order, true);
            compactSuccess++;
        } else {
            compactFail++;
        }
    }

    // ------------------------------------------------------------------ kcompactd

    /**
     * {@code wakeup_kcompactd()}, mm/compaction.c: records the order and zone bound; the work runs
     * at the node's next {@link #kcompactdRun()} if some zone is suitable
     * ({@code kcompactd_node_suitable()}).
     */
    @Override
    public void wakeupKcompactd(int order, int highZoneIdx) {
        if (order == 0) {
            return;
        }
        if (kcompactdMaxOrder < order) {
            kcompactdMaxOrder = order;
        }
        if (kcompactdHighestZoneidx > highZoneIdx) {
            kcompactdHighestZoneidx = highZoneIdx;
        }
    }

    /** {@code kcompactd_node_suitable()}, mm/compaction.c. */
    private boolean kcompactdNodeSuitable() {
        for (int zi = 0; zi <= kcompactdHighestZoneidx && zi < zones.length; zi++) {
            Zone z = zones[zi];
            if (z.isPopulated() && compactionSuitable(z, kcompactdMaxOrder, 0, kcompactdHighestZoneidx)
                    == COMPACT_CONTINUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * kcompactd's turn ({@code kcompactd()} → {@code kcompactd_do_work()}, mm/compaction.c), if it
     * was woken: every suitable, non-deferred zone up to the recorded bound is compacted for the
     * recorded order in MIGRATE_SYNC_LIGHT mode; a zone that did not reach the order gets its pcp
     * lists drained and its compaction deferred. Proactive compaction is off. Returns whether it ran.
     */
    public boolean kcompactdRun() {
        if (kcompactdMaxOrder == 0) {
            return false;
        }
        if (!kcompactdNodeSuitable()) {
            kcompactdMaxOrder = 0;
            kcompactdHighestZoneidx = zones.length - 1;
            return false;
        }
        int order = kcompactdMaxOrder;
        int highest = kcompactdHighestZoneidx;
        compactDaemonWake++;
        for (int zi = 0; zi <= highest && zi < zones.length; zi++) {
            Zone zone = zones[zi];
            if (!zone.isPopulated()) {
                continue;
            }
            if (compactionDeferred(zone, order)) {
                continue;
            }
            if (compactionSuitable(zone, order, 0, zi) != COMPACT_CONTINUE) {
                continue;
            }
            initControl(zone, order, gfpKernel, MIGRATE_SYNC_LIGHT, 0, highest, false, false, false, false);
            long ms = compactMigrateScanned;
            long fs = compactFreeScanned;
            int status = compactZone(cc);
            if (status == COMPACT_SUCCESS) {
                compactionDeferReset(zone, order, false);
            } else if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE) {
                a.drainAllPages();
                deferCompaction(zone, order);
            }
            compactDaemonMigrateScanned += compactMigrateScanned - ms;
            compactDaemonFreeScanned += compactFreeScanned - fs;
        }
        if (kcompactdMaxOrder <= order) {
            kcompactdMaxOrder = 0;
        }
        if (kcompactdHighestZoneidx >= highest) {
            kcompactdHighestZoneidx = zones.length - 1;
        }
        return true;
    }

    /**
     * {@code compact_node()}, mm/compaction.c (/proc/sys/vm/compact_memory): every zone, whole,
     * MIGRATE_SYNC, skip hints ignored, until the scanners meet.
     */
    public void compactNode() {
        for (Zone zone : zones) {
            if (!zone.isPopulated()) {
                continue;
            }
            initControl(zone, -1, gfpKernel, MIGRATE_SYNC, 0, zones.length - 1, false, true, true, false);
            compactZone(cc);
        }
    }

    // ------------------------------------------------------------------ /proc/vmstat events

    /** COMPACTMIGRATE_SCANNED. */
    public long compactMigrateScanned() {
        return compactMigrateScanned;
    }

    /** COMPACTFREE_SCANNED. */
    public long compactFreeScanned() {
        return compactFreeScanned;
    }

    /** COMPACTISOLATED. */
    public long compactIsolated() {
        return compactIsolated;
    }

    /** COMPACTSTALL. */
    public long compactStall() {
        return compactStall;
    }

    /** COMPACTFAIL. */
    public long compactFail() {
        return compactFail;
    }

    /** COMPACTSUCCESS. */
    public long compactSuccess() {
        return compactSuccess;
    }

    /** KCOMPACTD_WAKE. */
    public long compactDaemonWake() {
        return compactDaemonWake;
    }

    /** KCOMPACTD_MIGRATE_SCANNED. */
    public long compactDaemonMigrateScanned() {
        return compactDaemonMigrateScanned;
    }

    /** KCOMPACTD_FREE_SCANNED. */
    public long compactDaemonFreeScanned() {
        return compactDaemonFreeScanned;
    }

    /** PGMIGRATE_SUCCESS. */
    public long pgmigrateSuccess() {
        return pgmigrateSuccess;
    }

    /** PGMIGRATE_FAIL. */
    public long pgmigrateFail() {
        return pgmigrateFail;
    }

    /** {@code sysctl_extfrag_threshold} (/proc/sys/vm/extfrag_threshold). */
    public int extfragThreshold() {
        return extfragThreshold;
    }

    /**
     * A write to /proc/sys/vm/extfrag_threshold: 0 … 1000 ({@code proc_dointvec_minmax}, kernel/sysctl.c).
     *
     * @throws IllegalArgumentException outside that range, as the sysctl refuses it (-EINVAL)
     */
    public void setExtfragThreshold(int threshold) {
        if (threshold < 0 || threshold > 1000) {
            throw new IllegalArgumentException("extfrag_threshold must be 0 … 1000, got " + threshold);
        }
        this.extfragThreshold = threshold;
    }
}
