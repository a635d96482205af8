package dev.pagealloc.workloads;

import static dev.pagealloc.gfp.Gfp2632.GFP_ATOMIC;
import static dev.pagealloc.gfp.Gfp2632.GFP_HIGHUSER_MOVABLE;
import static dev.pagealloc.gfp.Gfp2632.GFP_NOFS;
import static dev.pagealloc.gfp.Gfp2632.GFP_NOIO;
import static dev.pagealloc.gfp.Gfp2632.GFP_NOWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.vmscan.PageUse;
import dev.pagealloc.vmscan.Vmscan;
import dev.pagealloc.vmstat.ZoneStatItem;
import org.junit.jupiter.api.Test;

/**
 * GFP semantics under pressure (2.6.32, spec §1.7 and §7.1): requests that cannot sleep never
 * reclaim — GFP_ATOMIC (ALLOC_HIGH|ALLOC_HARDER) dips deeper below min than GFP_NOWAIT
 * (ALLOC_HARDER only in 2.6.32: three quarters of min); GFP_NOIO reclaims without swapping,
 * GFP_NOFS without writing back dirty page cache.
 */
class GfpReclaimSemanticsTest {
    static Machine machine() {
        return Kernels.byName("2.6.32").boot(Machines.synthesize("g", Arch.X86_64, 256L << 20, 1));
    }

    static void fill(Vmscan v, Machine m, boolean dirty, PageUse use, int owner) {
        while (m.zone("DMA32").freePages() > m.zone("DMA32").lowWmark() + 64) {
            assertTrue(v.allocUserPage(GFP_HIGHUSER_MOVABLE, 0, use, owner, dirty) >= 0);
        }
    }

    @Test
    void atomicRequestsNeverReclaimAndAtomicDipsDeeperThanNowait() {
        long nowaitFloor;
        long atomicFloor;
        try (Machine m = machine()) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            fill(v, m, false, PageUse.FILE, 0);
            while (m.allocator.allocPages(GFP_NOWAIT, 0, 0) >= 0) { }
            assertEquals(0, v.allocstall(), "GFP_NOWAIT cannot enter direct reclaim");
            nowaitFloor = m.zone("DMA32").freePages();
        }
        try (Machine m = machine()) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            fill(v, m, false, PageUse.FILE, 0);
            while (m.allocator.allocPages(GFP_ATOMIC, 0, 0) >= 0) { }
            assertEquals(0, v.allocstall(), "GFP_ATOMIC cannot enter direct reclaim");
            atomicFloor = m.zone("DMA32").freePages();
            long min = m.zone("DMA32").minWmark();
            assertTrue(nowaitFloor <= min - min / 4 && nowaitFloor > min - min / 4 - 32, "NOWAIT stops near 3/4 min: " + nowaitFloor);
            long atomicMin = min - min / 2;
            atomicMin -= atomicMin / 4;
            assertTrue(atomicFloor <= atomicMin, "ATOMIC goes down to 3/8 min: " + atomicFloor + " vs " + atomicMin);
            assertTrue(atomicFloor < nowaitFloor);
        }
    }

    @Test
    void gfpNoioDoesNotSwapAndGfpNofsDoesNotWriteBack() {
        try (Machine m = machine()) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            v.setSwap(1 << 16);
            v.task(9, "anon", 0);
            fill(v, m, false, PageUse.ANON, 9);
            long anon = v.global(ZoneStatItem.NR_ANON_PAGES);
            // 6000 pages: more than DMA32 has above its min and DMA above its lowmem_reserve
            for (int i = 0; i < 6000 && m.allocator.allocPages(GFP_NOIO, 0, 0) >= 0; i++) { }
            assertTrue(v.allocstall() > 0, "GFP_NOIO does enter direct reclaim");
            assertEquals(0, v.pswpout(), "GFP_NOIO reclaim may not start swap I/O");
            assertEquals(anon, v.global(ZoneStatItem.NR_ANON_PAGES));
        }
        try (Machine m = machine()) {
            Vmscan v = m.kernel.newVmscan(m.allocator);
            fill(v, m, true, PageUse.FILE, 0);
            long dirty = v.global(ZoneStatItem.NR_FILE_DIRTY);
            for (int i = 0; i < 6000 && m.allocator.allocPages(GFP_NOFS, 0, 0) >= 0; i++) { }
            assertTrue(v.allocstall() > 0, "GFP_NOFS does enter direct reclaim");
            assertEquals(0, v.global(ZoneStatItem.NR_WRITEBACK), "but starts no filesystem writeback");
            assertEquals(dirty, v.global(ZoneStatItem.NR_FILE_DIRTY));
        }
    }
}
