package dev.pagealloc.compaction;

import static dev.pagealloc.alloc.Compactor.COMPACT_COMPLETE;
import static dev.pagealloc.alloc.Compactor.COMPACT_CONTINUE;
import static dev.pagealloc.alloc.Compactor.COMPACT_PRIO_ASYNC;
import static dev.pagealloc.alloc.Compactor.COMPACT_PRIO_SYNC_FULL;
import static dev.pagealloc.alloc.Compactor.COMPACT_PRIO_SYNC_LIGHT;
import static dev.pagealloc.alloc.Compactor.COMPACT_SKIPPED;
import static dev.pagealloc.alloc.Compactor.COMPACT_SUCCESS;
import static dev.pagealloc.mem.MemMapDescriptor.NIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.alloc.PageAllocator;
import dev.pagealloc.gfp.AllocFlags;
import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.layout.MachineLayout;
import dev.pagealloc.layout.PfnRange;
import dev.pagealloc.mem.MemMap;
import dev.pagealloc.mem.PhysMem;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmscan.PageUse;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.vmstat.ZoneStatItem;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compaction on a booted 512 MiB x86_64 machine: DMA32 filled with page cache and anonymous memory,
 * then every other page freed, so DMA32 has half its pages free and no order-9 block. Compaction
 * must make one, keep the allocator's and the LRU's invariants and counters, and move contents.
 */
class CompactionTest {
    static final int ORDER = 9;
    static final long TOKEN_OFFSET = 64;
    static final ValueLayout.OfLong TOKEN = ValueLayout.JAVA_LONG_UNALIGNED;

    static MachineLayout machine() {
        long end = (512L << 20) >>> 12;
        return new MachineLayout("test-512m", Arch.X86_64, 1,
                List.of(new PfnRange(1, 0x9f, "ram"), new PfnRange(0x100, end, "ram")),
                List.of(new PfnRange(0x1000, 0x1c00, "kernel")), 0, 0, 15);
    }

    /** The filled and holed machine, with a token written into every LRU page's frame. */
    record Holed(Machine m, Vmscan v, Compaction c, Zone dma32, long[] lru, long[] counters, long rss,
            long[] tokens) {}

    static Holed holed(Kernel profile) {
        Machine m = profile.boot(machine(), true);
        PageAllocator a = m.allocator;
        a.setIntegrity(true);
        Vmscan v = m.kernel.newVmscan(a);
        // 6.1's compaction on either kernel's lists (2.6.32 itself has no compaction)
        Compaction c = Kernels.byName("6.1").newCompaction(a, v).orElseThrow();
        Zone dma32 = m.zone("DMA32");
        int gfp = profile.gfp().bit("GFP_HIGHUSER_MOVABLE");
        v.task(100, "filler", 0);
        // Fill DMA32 without reclaim until it has no free block of order >= 9 on the U, E or M lists
        // and is down to its high watermark: page cache, and one page in 16 anonymous.
        int fillGfp = gfp & ~(profile.gfp().bit("__GFP_WAIT") | profile.gfp().bit("__GFP_DIRECT_RECLAIM"));
        long i = 0;
        while (bigBlocks(dma32) > 0 || dma32.freePages() > dma32.highWmark()) {
            PageUse use = (i++ & 15) == 15 ? PageUse.ANON : PageUse.FILE;
            if (v.allocUserPage(fillGfp, 0, use, 100, false) < 0) {
                break;
            }
        }
        a.drainAllPages();
        // Blocks the fill could not reach (below the watermarks) are taken as kernel allocations.
        for (int o = 9; o < Zone.MAX_ORDER; o++) {
            for (int mt = 0; mt < 4; mt++) { // U, E, M and the reserve (RESERVE / HIGHATOMIC)
                while (a.takeFreeBlock(dma32, o, mt) >= 0) {
                    // held: compaction's migration scanner skips it as a compound page
                }
            }
        }
        // Truncate every other page cache page of DMA32 (by pfn parity): half the zone becomes holes.
        MemMap mm = a.memMap();
        // From the top down: the free lists' heads then hold the low pfns. (Bottom-up frees on
        // 2.6.32's head-only lists leave the low pfns at the tails, where fast_isolate_freepages()
        // looks first; its "highest pfn scanned" fallback can then put the free scanner below the
        // migration scanner, as the kernel's code would.)
        for (long p = (dma32.zoneEndPfn() - 2) & ~1L; p >= dma32.zoneStartPfn; p -= 2) {
            v.truncatePage(p, 0);
        }
        a.drainAllPages();
        long[] tokens = writeTokens(a, v, m);
        long[] lru = new long[5];
        long[] counters = new long[3];
        for (Zone z : m.zones) {
            for (int l = 0; l < 4; l++) {
                lru[l] += z.vmStat[ZoneStatItem.NR_INACTIVE_ANON.ordinal() + l];
            }
            counters[0] += z.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()];
            counters[1] += z.vmStat[ZoneStatItem.NR_ANON_PAGES.ordinal()];
        }
        counters[2] = lru[0] + lru[1] + lru[2] + lru[3];
        assertEquals(List.of(), InvariantChecker.check(a));
        assertEquals(List.of(), v.checkLru());
        return new Holed(m, v, c, dma32, lru, counters, v.task(100, "filler", 0).rss, tokens);
    }

    /** Free blocks of order 9 and 10 on the lists an order-9 movable request can use or steal. */
    static int bigBlocks(Zone z) {
        int n = 0;
        for (int o = 9; o < Zone.MAX_ORDER; o++) {
            for (int mt = 0; mt < 3; mt++) {
                n += z.listLen[Zone.slot(o, mt)];
            }
        }
        return n;
    }

    static String pbTypes(Machine m, Zone z) {
        int[] n = new int[5];
        for (long p = z.zoneStartPfn; p < z.zoneEndPfn(); p += 512) {
            n[m.allocator.memMap().pageblockMigratetype(p)]++;
        }
        return Arrays.toString(n);
    }

    /** Writes a distinct token (pfn + 1) into each LRU page; returns them sorted. */
    static long[] writeTokens(PageAllocator a, Vmscan v, Machine m) {
        PhysMem phys = a.physMem();
        List<Long> out = new ArrayList<>();
        for (Zone z : m.zones) {
            for (int l = 0; l < 4; l++) {
                for (int p = z.lruHead[l]; p != NIL; p = a.memMap().next(p)) {
                    phys.pageAddress(p).set(TOKEN, TOKEN_OFFSET, p + 1L);
                    out.add(p + 1L);
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static long[] readTokens(PageAllocator a, Machine m) {
        PhysMem phys = a.physMem();
        List<Long> out = new ArrayList<>();
        for (Zone z : m.zones) {
            for (int l = 0; l < 4; l++) {
                for (int p = z.lruHead[l]; p != NIL; p = a.memMap().next(p)) {
                    out.add(phys.pageAddress(p).get(TOKEN, TOKEN_OFFSET));
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("2.6.32", COMPACT_PRIO_ASYNC),
                Arguments.of("2.6.32", COMPACT_PRIO_SYNC_LIGHT),
                Arguments.of("2.6.32", COMPACT_PRIO_SYNC_FULL),
                Arguments.of("6.1", COMPACT_PRIO_SYNC_LIGHT),
                Arguments.of("6.1", COMPACT_PRIO_SYNC_FULL));
    }

    @ParameterizedTest(name = "{0} prio {1}")
    @MethodSource("cases")
    void compactionMakesAnOrder9BlockAndKeepsEveryInvariant(String kernel, int prio) {
        Kernel profile = Kernels.byName(kernel);
        Holed h = holed(profile);
        try (Machine m = h.m()) {
            PageAllocator a = m.allocator;
            Zone dma32 = h.dma32();
            assertEquals(0, bigBlocks(dma32), "no usable order-9 block before compaction");
            assertTrue(dma32.freePages() > dma32.spannedPages / 3, "half the zone is holes: " + dma32.freePages());
            int gfp = profile.gfp().bit("GFP_HIGHUSER_MOVABLE");
            int hz = dma32.idx;
            int fi = h.c().fragmentationIndex(dma32, ORDER);
            assertTrue(fi > 900, "failure would be from fragmentation: index " + fi);

            int rc = h.c().tryToCompactPages(gfp, ORDER, hz, AllocFlags.ALLOC_WMARK_MIN, prio);

            assertEquals(COMPACT_SUCCESS, rc);
            assertTrue(bigBlocks(dma32) > 0, "compaction made an order-9 block: nr_free " + Arrays.toString(dma32.nrFree) + " migrated " + h.c().pgmigrateSuccess() + " pb types " + pbTypes(m, dma32));
            assertTrue(h.c().pgmigrateSuccess() >= 256, "migrated " + h.c().pgmigrateSuccess());
            assertEquals(List.of(), InvariantChecker.check(a));
            assertEquals(List.of(), h.v().checkLru());
            long[] lru = new long[5];
            long file = 0;
            long anon = 0;
            for (Zone z : m.zones) {
                for (int l = 0; l < 4; l++) {
                    lru[l] += z.vmStat[ZoneStatItem.NR_INACTIVE_ANON.ordinal() + l];
                }
                file += z.vmStat[ZoneStatItem.NR_FILE_PAGES.ordinal()];
                anon += z.vmStat[ZoneStatItem.NR_ANON_PAGES.ordinal()];
            }
            assertEquals(h.lru()[0] + h.lru()[1] + h.lru()[2] + h.lru()[3], lru[0] + lru[1] + lru[2] + lru[3]);
            assertEquals(h.lru()[LRUS_ACTIVE_ANON], lru[LRUS_ACTIVE_ANON], "anon stays active");
            assertEquals(h.counters()[0], file);
            assertEquals(h.counters()[1], anon);
            assertEquals(h.rss(), h.v().task(100, "filler", 0).rss);
            // contents: every token is still in some LRU page; page cache stamps verify
            assertTrue(Arrays.equals(h.tokens(), readTokens(a, m)), "tokens survive migration");
            for (int p = dma32.lruHead[Vmscan.LRU_INACTIVE_FILE]; p != NIL; p = a.memMap().next(p)) {
                assertTrue(a.physMem().verify(p, 0, a.memMap().integrityStamp(p)), "stamp of " + p);
            }
            // the allocation now succeeds from the free lists, and frees cleanly
            // (without __GFP_DIRECT_RECLAIM: the fast path, then WMARK_MIN, and no reclaim or compaction)
            int noReclaim = gfp & ~profile.gfp().bit("__GFP_DIRECT_RECLAIM");
            long page = a.allocPages(noReclaim, ORDER, 0);
            assertTrue(page >= 0, "order-9 allocation after compaction");
            h.c().directCompactOutcome(page, ORDER);
            a.freePages(page, ORDER, 0);
            assertEquals(0, a.badPageCount());
            // and every page cache page can still be truncated with its integrity stamp intact
            for (Zone z : m.zones) {
                for (int l = Vmscan.LRU_INACTIVE_FILE; l <= Vmscan.LRU_ACTIVE_FILE; l++) {
                    int p;
                    while ((p = z.lruHead[l]) != NIL) {
                        assertTrue(h.v().truncatePage(p, 0));
                    }
                }
            }
            assertEquals(0, a.badPageCount(), "no page lost its contents");
            assertEquals(List.of(), InvariantChecker.check(a));
        }
    }

    static final int LRUS_ACTIVE_ANON = Vmscan.LRU_ACTIVE_ANON;

    @Test
    void compactNodeEmptiesTheBottomOfTheZone() {
        Holed h = holed(Kernels.byName("2.6.32"));
        try (Machine m = h.m()) {
            Zone dma32 = h.dma32();
            long free = dma32.freePages();
            h.c().compactNode();
            assertEquals(List.of(), InvariantChecker.check(m.allocator));
            assertEquals(List.of(), h.v().checkLru());
            long blocks = dma32.nrFree[9] + 2L * dma32.nrFree[10];
            // nearly all free memory is now in pageblock-sized blocks
            assertTrue(blocks * 512 > free * 8 / 10, blocks + " blocks of " + free + " free pages; migrated "
                    + h.c().pgmigrateSuccess() + " scanned " + h.c().compactMigrateScanned() + "/" + h.c().compactFreeScanned()
                    + " isolated " + h.c().compactIsolated() + " free now " + dma32.freePages() + " nr_free " + Arrays.toString(dma32.nrFree) + " pcp " + dma32.pcpPages());
            assertTrue(Arrays.equals(h.tokens(), readTokens(m.allocator, m)));
        }
    }

    /**
     * {@code compaction_suitable()}, mm/compaction.c:2244 [61]: for a costly order a fragmentation
     * index in [0, extfrag_threshold] blames lack of memory, not fragmentation, and compaction is
     * skipped. The holed zone has half its pages free in order-0 holes and no free order-9 block,
     * so its index is near 1000 (fragmentation), above the default 500: compaction goes ahead.
     * With the threshold at its maximum the same zone is skipped. The sysctl accepts 0 … 1000
     * only ({@code proc_dointvec_minmax}, SYSCTL_ZERO … SYSCTL_ONE_THOUSAND, kernel/sysctl.c:2223 [61]).
     */
    @Test
    void extfragThresholdDecidesWhetherAFragmentedZoneIsCompacted() {
        Holed h = holed(Kernels.byName("6.1"));
        try (Machine m = h.m()) {
            Zone z = h.dma32();
            Compaction c = h.c();
            int fragindex = c.fragmentationIndex(z, ORDER);
            assertTrue(fragindex > 500, "the holed zone is fragmented: index " + fragindex);
            assertEquals(500, c.extfragThreshold());
            assertEquals(COMPACT_CONTINUE, c.compactionSuitable(z, ORDER, AllocFlags.ALLOC_WMARK_MIN, z.idx));
            c.setExtfragThreshold(1000);
            assertEquals(COMPACT_SKIPPED, c.compactionSuitable(z, ORDER, AllocFlags.ALLOC_WMARK_MIN, z.idx));
            assertThrows(IllegalArgumentException.class, () -> c.setExtfragThreshold(1001));
            assertThrows(IllegalArgumentException.class, () -> c.setExtfragThreshold(-1));
            assertEquals(1000, c.extfragThreshold(), "a refused write leaves the value");
        }
    }

    @Test
    void deferralFollowsTheKernelsBackoff() {
        try (Machine m = Kernels.byName("6.1").boot(machine())) {
            Compaction c = m.kernel.newCompaction(m.allocator, m.kernel.newVmscan(m.allocator)).orElseThrow();
            Zone z = m.zone("DMA32");
            assertFalse(c.compactionDeferred(z, ORDER), "never failed: not deferred");
            c.deferCompaction(z, ORDER);
            c.deferCompaction(z, ORDER);
            assertEquals(2, c.deferShift(z));
            // 1 << 2 = 4: three requests are skipped, the fourth runs
            assertTrue(c.compactionDeferred(z, ORDER));
            assertTrue(c.compactionDeferred(z, ORDER));
            assertTrue(c.compactionDeferred(z, ORDER));
            assertFalse(c.compactionDeferred(z, ORDER));
            assertFalse(c.compactionDeferred(z, ORDER - 1), "lower orders than the failed one are not deferred");
            for (int i = 0; i < 10; i++) {
                c.deferCompaction(z, ORDER);
            }
            assertEquals(Compaction.COMPACT_MAX_DEFER_SHIFT, c.deferShift(z));
            c.compactionDeferReset(z, ORDER, true);
            assertEquals(0, c.deferShift(z));
            assertFalse(c.compactionDeferred(z, ORDER + 1));
        }
    }

    @Test
    void aFreshZoneNeedsNoCompactionAndAFullOneCannotHaveIt() {
        try (Machine m = Kernels.byName("6.1").boot(machine())) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            Compaction c = m.kernel.newCompaction(m.allocator, v).orElseThrow();
            Zone z = m.zone("DMA32");
            int gfp = Kernels.byName("6.1").gfp().bit("GFP_HIGHUSER_MOVABLE");
            assertEquals(COMPACT_SUCCESS, c.compactionSuitable(z, ORDER, AllocFlags.ALLOC_WMARK_MIN, z.idx));
            assertEquals(-1000, c.fragmentationIndex(z, ORDER));
            // fill to the min watermark: too few free pages to migrate into
            while (z.freePages() > z.minWmark()) {
                if (v.allocUserPage(gfp & ~Kernels.byName("6.1").gfp().bit("__GFP_DIRECT_RECLAIM"), 0, PageUse.FILE, 0,
                        false) < 0) {
                    break;
                }
            }
            assertEquals(COMPACT_SKIPPED, c.compactionSuitable(z, ORDER, AllocFlags.ALLOC_WMARK_MIN, z.idx));
            int rc = c.tryToCompactPages(gfp, ORDER, z.idx, AllocFlags.ALLOC_WMARK_MIN, COMPACT_PRIO_SYNC_LIGHT);
            assertTrue(rc == COMPACT_SKIPPED || rc == COMPACT_COMPLETE, "rc " + rc);
            assertEquals(0, c.pgmigrateSuccess());
            assertEquals(List.of(), InvariantChecker.check(m.allocator));
        }
    }
}
