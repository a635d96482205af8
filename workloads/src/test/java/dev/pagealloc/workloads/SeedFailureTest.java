package dev.pagealloc.workloads;

import static dev.pagealloc.gfp.Gfp2632.GFP_ATOMIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.alloc.AllocFailure;
import dev.pagealloc.alloc.FreeListLoader;
import dev.pagealloc.alloc.InvariantChecker;
import dev.pagealloc.alloc.ZoneAttempt;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.MigrateType;
import dev.pagealloc.watermark.WatermarkVerdict;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's failed request, "imap: page allocation failure. order:4, mode:0xc0d0", replayed
 * against the seed's own free lists (its "Node 0 DMA: …", "Node 0 DMA32: …", "Node 0 Normal: …"
 * lines). Expected steps and numbers are kernel-spec.md §4.6's walk through 2.6.32's
 * zone_watermark_ok(), done by hand from the report.
 */
class SeedFailureTest {
    // Node 0 DMA: 3*4kB 2*8kB 4*16kB 2*32kB 2*64kB 0*128kB 1*256kB 0*512kB 1*1024kB 1*2048kB 3*4096kB
    static final int[] DMA = {3, 2, 4, 2, 2, 0, 1, 0, 1, 1, 3};
    // Node 0 DMA32: 2360*4kB 80*8kB 21*16kB 7*32kB 4*64kB 1*128kB 2*256kB 0*512kB 1*1024kB 0*2048kB 0*4096kB
    static final int[] DMA32 = {2360, 80, 21, 7, 4, 1, 2, 0, 1, 0, 0};
    // Node 0 Normal: 377*4kB 14*8kB 17*16kB 9*32kB 0*64kB …
    static final int[] NORMAL = {377, 14, 17, 9, 0, 0, 0, 0, 0, 0, 0};

    Machine m;

    @BeforeEach
    void loadSeedState() {
        m = Kernels.byName("2.6.32").boot(Machines.preset("seed-4g"));
        int movable = MigrateType.MIGRATE_MOVABLE.ordinal();
        FreeListLoader.load(m.allocator, m.zone("DMA"), DMA, movable);
        FreeListLoader.load(m.allocator, m.zone("DMA32"), DMA32, movable);
        FreeListLoader.load(m.allocator, m.zone("Normal"), NORMAL, movable);
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void theLoadedStateIsTheReportsState() {
        // "free:15900kB", "free:12560kB", "free:2180kB"
        assertEquals(15900 / 4, m.zone("DMA").freePages());
        assertEquals(12560 / 4, m.zone("DMA32").freePages());
        assertEquals(2180 / 4, m.zone("Normal").freePages());
        assertEquals(List.of(), InvariantChecker.check(m.allocator));
    }

    @Test
    void gfpKernelOrder4FailsInEveryZoneAtTheStepsOfSpec46() {
        long pfn = m.allocator.allocPages(0xc0d0, 4, 0);
        assertEquals(-1, pfn);
        AllocFailure f = m.allocator.lastFailure();
        assertEquals(2, f.highZoneIdx()); // ZONE_NORMAL
        assertEquals(2, f.classzoneIdx());
        assertEquals(0, f.migratetype()); // MIGRATE_UNMOVABLE
        List<ZoneAttempt> a = f.attempts();
        assertEquals(6, a.size());
        // Fast path (WMARK_LOW), zonelist Normal -> DMA32 -> DMA
        expect(a.get(0), "fast", "Normal", 0, 153, 158);
        expect(a.get(1), "fast", "DMA32", 0, 765, 1105);
        expect(a.get(2), "fast", "DMA", WatermarkVerdict.RESERVE_STEP, 3960, 8 + 4016);
        // Slow path (WMARK_MIN, GFP_KERNEL gets no ALLOC_HIGH/HARDER)
        expect(a.get(3), "slow", "Normal", 3, -15, 15);
        expect(a.get(4), "slow", "DMA32", 0, 765, 884);
        expect(a.get(5), "slow", "DMA", WatermarkVerdict.RESERVE_STEP, 3960, 7 + 4016);
        assertTrue(f.stoppedBecause().contains("reclaim"), f.stoppedBecause());
    }

    private static void expect(ZoneAttempt z, String pass, String zone, int step, long free, long min) {
        String what = pass + " " + zone;
        assertEquals(pass, z.pass(), what);
        assertEquals(zone, z.zoneName(), what);
        assertEquals(step, z.verdict().failedAtOrder, what);
        assertEquals(free, z.verdict().freeAtStep, what);
        assertEquals(min, z.verdict().minAtStep, what);
    }

    @Test
    void gfpAtomicOrder4SucceedsFromDma32() {
        // spec §4.6: HIGH+HARDER take min 1769 -> 885 -> 664, and DMA32 passes every order.
        long pfn = m.allocator.allocPages(GFP_ATOMIC, 4, 0);
        assertTrue(pfn >= 0, "GFP_ATOMIC order-4 should succeed");
        assertTrue(m.zone("DMA32").spansPfn(pfn), "from DMA32, got pfn " + pfn);
        assertEquals(0, pfn & 15, "an order-4 block is 16-page aligned");
        assertEquals(3140 - 16, m.zone("DMA32").freePages());
        assertEquals(List.of(), InvariantChecker.check(m.allocator));
    }

    @Test
    void kswapdIsWokenForNormalAndDma32ButNotDma() {
        m.allocator.allocPages(0xc0d0, 4, 0);
        // spec §4.6: DMA passes LOW with classzone 0; Normal and DMA32 do not.
        assertEquals(2, m.allocator.kswapdWakeups());
    }
}
