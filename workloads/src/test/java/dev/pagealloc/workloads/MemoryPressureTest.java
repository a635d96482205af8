package dev.pagealloc.workloads;

import static dev.pagealloc.gfp.Gfp2632.GFP_ATOMIC;
import static dev.pagealloc.gfp.Gfp2632.GFP_HIGHUSER_MOVABLE;
import static dev.pagealloc.gfp.Gfp2632.GFP_KERNEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.report.FailureReport;
import dev.pagealloc.report.ReportParser;
import dev.pagealloc.vmscan.PageUse;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory pressure on the seed machine (2.6.32): page cache filling 95% of RAM is reclaimed for
 * GFP_KERNEL requests; GFP_ATOMIC ones cannot reclaim and fail once free pages are under their
 * lowered minimum; the OOM rules of the slow path; kswapd between low and high.
 */
class MemoryPressureTest {
    static final int CACHE_GFP = GFP_HIGHUSER_MOVABLE; // mapping_gfp_mask() of a regular file

    static long ramPages(Machine m) {
        long n = 0;
        for (Zone z : m.zones) {
            n += z.presentPages;
        }
        return n;
    }

    /** Fills page cache to 95% of RAM, kswapd running every 512 pages (one tick). */
    static void fillPageCache(Machine m, Vmscan v) {
        long target = ramPages(m) * 95 / 100;
        for (long i = 0; i < target; i++) {
            long pfn = v.allocUserPage(CACHE_GFP, 0, PageUse.FILE, 0, false);
            assertTrue(pfn >= 0, "page cache allocation " + i + " failed: " + m.allocator.lastFailure());
            if ((i & 511) == 511) {
                v.tick();
                v.kswapdRun();
            }
        }
    }

    /**
     * 2.6.32 balance_pgdat(): once the small Normal zone of a 4 GiB machine falls below high,
     * end_zone is Normal and every zone up to it is shrunk unless it has 8 * high +
     * lowmem_reserve[Normal] free, so DMA32 is reclaimed although it is above its own high
     * watermark; and DMA, which has no LRU pages but less free than lowmem_reserve[Normal], never
     * counts as balanced, so kswapd goes on while a DEF_PRIORITY pass still reclaims
     * SWAP_CLUSTER_MAX pages. What it stops at is that bound, not the high watermark.
     */
    @Test
    void kswapdPutsEqualPressureOnDma32WhenNormalIsLow() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.preset("seed-4g"))) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            fillPageCache(m, v);
            Zone dma32 = m.zone("DMA32");
            Zone normal = m.zone("Normal");
            while (normal.freePages() >= normal.lowWmark() || !v.kswapdWoken()) {
                assertTrue(v.allocUserPage(CACHE_GFP, 0, PageUse.FILE, 0, false) >= 0);
            }
            assertTrue(dma32.freePages() > dma32.highWmark(), "DMA32 is above its own high: " + dma32.freePages());
            long dma32Lru = dma32.vmStat[ZoneStatItem.NR_INACTIVE_FILE.ordinal()]
                    + dma32.vmStat[ZoneStatItem.NR_ACTIVE_FILE.ordinal()];
            v.kswapdRun();
            long after = dma32.vmStat[ZoneStatItem.NR_INACTIVE_FILE.ordinal()]
                    + dma32.vmStat[ZoneStatItem.NR_ACTIVE_FILE.ordinal()];
            assertTrue(after < dma32Lru, "DMA32 reclaimed too: " + dma32Lru + " -> " + after);
            long bound = 8 * dma32.highWmark() + dma32.lowmemReserve[normal.idx];
            assertTrue(dma32.freePages() > dma32.highWmark() + dma32.lowmemReserve[normal.idx],
                    "DMA32 balanced with lowmem_reserve[Normal]: " + dma32.freePages());
            assertTrue(dma32.freePages() < bound + (dma32Lru >> v.kswapdLastPriority()),
                    "DMA32 stops near 8 * high + lowmem_reserve: " + dma32.freePages() + " vs " + bound);
            assertTrue(normal.freePages() > normal.highWmark());
        }
    }

    @Test
    void gfpKernelReclaimsPageCacheWhileGfpAtomicFailsBelowItsMinimum() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.preset("seed-4g"))) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            fillPageCache(m, v);
            long cache = v.global(ZoneStatItem.NR_FILE_PAGES);
            assertTrue(cache >= ramPages(m) * 95 / 100 - 1, "cache " + cache);
            // order 0-3 GFP_KERNEL requests, held (driver buffers): 40000 of them need ~75000 pages,
            // far more than is free, so every one of them must come from reclaimed page cache
            int failures = 0;
            for (int i = 0; i < 40_000; i++) {
                if (m.allocator.allocPages(GFP_KERNEL, i & 3, 0) < 0) {
                    failures++;
                }
            }
            assertEquals(0, failures, "GFP_KERNEL must reclaim page cache instead of failing");
            assertTrue(v.pgstealDirect() + v.pgstealKswapd() > 40_000, "reclaimed " + (v.pgstealDirect() + v.pgstealKswapd()));
            assertTrue(v.global(ZoneStatItem.NR_FILE_PAGES) < cache);
            assertEquals(List.of(), InvariantChecker.check(m.allocator));
            assertEquals(List.of(), v.checkLru());
            // now GFP_ATOMIC, no kswapd run in between: it may dip below min, but not forever
            long atomicOk = 0;
            long pfn;
            while ((pfn = m.allocator.allocPages(GFP_ATOMIC, 0, 0)) >= 0) {
                atomicOk++;
            }
            assertTrue(atomicOk > 0);
            // ALLOC_HIGH|ALLOC_HARDER: min - min/2 - (min - min/2)/4; the request fails only when
            // every eligible zone is at or under that (plus its lowmem_reserve)
            for (Zone z : m.zones) {
                if (!z.isPopulated()) {
                    continue;
                }
                long min = z.minWmark();
                min -= min / 2;
                min -= min / 4;
                assertTrue(z.freePages() <= min + z.lowmemReserve[2], z.name + " free " + z.freePages() + " atomic min " + min);
            }
            // the failure report agrees with the model
            String report = m.kernel.reports().failureReport(m, m.allocator.lastFailure(), "swapper", 0);
            FailureReport r = ReportParser.parse(report).get(0);
            assertEquals(v.global(ZoneStatItem.NR_ACTIVE_FILE), r.global().get("active_file"));
            assertEquals(v.global(ZoneStatItem.NR_INACTIVE_FILE), r.global().get("inactive_file"));
            assertEquals(0, (int) r.order());
        }
    }

    @Test
    void order4NeverOomKillsButOrder0WithNothingReclaimableDoes() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.synthesize("oom", dev.pagealloc.profile.Arch.X86_64, 256L << 20, 1))) {
            PageAllocator a = m.allocator;
            Vmscan v = m.kernel.newVmscan(a);
            List<String> log = new ArrayList<>();
            v.setPrintk(log::add);
            v.setOomReport("hog", () -> log.add(m.kernel.reports().showMem(m)));
            v.task(100, "small", 0);
            v.task(200, "hog", 0);
            // anonymous memory and no swap: nothing is reclaimable. Fill with order-0 anon pages
            // (interleaved so no order-4 block survives), the hog taking most.
            long hog = 0;
            for (long i = 0; ; i++) {
                int pid = (i % 4 == 0) ? 100 : 200;
                long pfn = v.allocUserPage(GFP_HIGHUSER_MOVABLE | 0 , 0, PageUse.ANON, pid, false);
                if (pfn < 0 || v.oomKills() > 0) {
                    break;
                }
                hog += pid == 200 ? 1 : 0;
            }
            // the loop stopped at the first OOM kill: the victim is the biggest task
            assertEquals(1, v.oomKills());
            assertEquals("hog invoked oom-killer: gfp_mask=0x200da, order=0, oom_adj=0", log.get(0));
            assertTrue(log.get(1).startsWith("Mem-Info:\n"), log.get(1));
            assertTrue(log.get(2).startsWith("Out of memory: kill process 200 (hog) score "), log.toString());
            assertEquals("Killed process 200 (hog)", log.get(3));
            assertEquals(1, v.taskCount());
            assertTrue(v.global(ZoneStatItem.NR_FREE_PAGES) > hog / 2, "the victim's pages went back to the free lists");
            assertEquals(List.of(), InvariantChecker.check(a));
            assertEquals(List.of(), v.checkLru());
        }
    }

    @Test
    void aFailingOrder4GfpKernelRequestDoesNotOomKill() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.synthesize("o4", dev.pagealloc.profile.Arch.X86_64, 256L << 20, 1))) {
            PageAllocator a = m.allocator;
            Vmscan v = m.kernel.newVmscan(a);
            v.task(1, "init", 0);
            v.allocUserPage(GFP_HIGHUSER_MOVABLE, 0, PageUse.ANON, 1, false); // a killable task exists
            // every zone holds only order-0 free blocks (plenty of them), nothing reclaimable
            for (Zone z : m.zones) {
                if (z.isPopulated()) {
                    int[] nr = new int[Zone.MAX_ORDER];
                    nr[0] = (int) Math.min(5000, z.freePages() / 4);
                    dev.pagealloc.alloc.FreeListLoader.load(a, z, nr, dev.pagealloc.mmzone.MigrateType.MIGRATE_MOVABLE.ordinal());
                }
            }
            assertTrue(a.allocPages(GFP_KERNEL, 4, 0) < 0);
            assertEquals(0, v.oomKills(), "order 4 > PAGE_ALLOC_COSTLY_ORDER never invokes the OOM killer");
            assertTrue(a.lastFailure().stoppedBecause().contains("no OOM kill"), a.lastFailure().stoppedBecause());
            assertEquals(1, v.taskCount());
        }
    }

    @Test
    void kswapdKeepsFreePagesBetweenLowAndItsEqualPressureBoundUnderASteadyRate() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.preset("seed-4g"))) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            fillPageCache(m, v);
            Zone dma32 = m.zone("DMA32");
            Zone normal = m.zone("Normal");
            long lowest = Long.MAX_VALUE;
            long highest = 0;
            long worstOvershootAllowed = 0;
            for (int tick = 0; tick < 3000; tick++) {
                for (int i = 0; i < 64; i++) { // a steady 64 pages of page cache per tick
                    assertTrue(v.allocUserPage(CACHE_GFP, 0, PageUse.FILE, 0, false) >= 0);
                }
                v.tick();
                boolean ran = v.kswapdWoken();
                v.kswapdRun();
                if (tick >= 1000) {
                    long free = dma32.freePages() + normal.freePages();
                    lowest = Math.min(lowest, free);
                    highest = Math.max(highest, free);
                    if (ran) {
                        // kswapd goes on once the zones are at high only while a zone up to end_zone
                        // fails high with lowmem_reserve[end_zone] (2.6.32 balance_pgdat: all_zones_ok),
                        // and shrinks a zone only while it has less than 8 * high + lowmem_reserve free
                        // ("equal pressure on every zone"); the priority pass it is in may land on top
                        long pass = 0;
                        for (Zone z : new Zone[] {dma32, normal}) {
                            pass += (z.vmStat[ZoneStatItem.NR_INACTIVE_FILE.ordinal()]
                                    + z.vmStat[ZoneStatItem.NR_ACTIVE_FILE.ordinal()]) >> v.kswapdLastPriority();
                        }
                        worstOvershootAllowed = Math.max(worstOvershootAllowed, pass);
                    }
                }
            }
            long low = dma32.lowWmark() + normal.lowWmark();
            int cz = normal.idx;
            long high = 8 * dma32.highWmark() + dma32.lowmemReserve[cz] + 8 * normal.highWmark();
            assertTrue(lowest >= low - 64, "free fell to " + lowest + ", low " + low);
            assertTrue(highest <= high + worstOvershootAllowed,
                    "free rose to " + highest + ", high " + high + ", one pass " + worstOvershootAllowed);
            assertEquals(0, v.allocstall(), "kswapd alone kept up: no direct reclaim");
        }
    }

    @Test
    void sameWorkloadSameCounters() {
        long[] first = run();
        long[] second = run();
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
    }

    private static long[] run() {
        try (Machine m = Kernels.byName("2.6.32").boot(Machines.synthesize("det", dev.pagealloc.profile.Arch.X86_64, 512L << 20, 2))) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            v.setSwap(8192);
            v.task(7, "db", 0);
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
            for (int i = 0; i < 200_000; i++) {
                int r = rnd.nextInt(10);
                if (r < 6) {
                    v.allocUserPage(CACHE_GFP, rnd.nextInt(2), PageUse.FILE, 0, rnd.nextInt(4) == 0);
                } else if (r < 9) {
                    v.allocUserPage(GFP_HIGHUSER_MOVABLE, rnd.nextInt(2), PageUse.ANON, 7, false);
                } else {
                    m.allocator.allocPages(GFP_KERNEL, rnd.nextInt(4), rnd.nextInt(2));
                }
                if ((i & 255) == 255) {
                    v.tick();
                    v.kswapdRun();
                }
            }
            assertEquals(List.of(), v.checkLru());
            assertEquals(List.of(), InvariantChecker.check(m.allocator));
            return new long[] {v.pgscanKswapd(), v.pgscanDirect(), v.pgstealKswapd(), v.pgstealDirect(), v.allocstall(),
                v.pswpout(), v.oomKills(), v.global(ZoneStatItem.NR_FREE_PAGES), v.global(ZoneStatItem.NR_FILE_PAGES),
                v.global(ZoneStatItem.NR_ANON_PAGES)};
        }
    }
}
