package dev.pagealloc.workloads.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernel;
import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.workloads.Machines;
import dev.pagealloc.workloads.trace.TraceOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where page cache may live on a 32-bit layout, and what that does to the NIC job (issue 7's
 * must-hold). The rule is {@code gfp_zone()}: a regular file's mapping allocates with
 * GFP_HIGHUSER_MOVABLE, which on i386 starts at ZONE_HIGHMEM; a block device's mapping uses
 * GFP_USER ({@code bdget()}, fs/block_dev.c), which has no __GFP_HIGHMEM, so its highest zone is
 * ZONE_NORMAL. On x86_64 neither has a HighMem to go to: both fill DMA32 and Normal.
 */
class LowmemLayoutTest {
    private static ReplaySummary run(String job, String machine, Kernel k, String... set) {
        ReplayInput in = ReplayInput.resolve(job, List.of(set), new TraceOptions(false, null));
        return ReplayRun.run(in, Machines.resolve(machine, null), k, new Replayer.Options(0, 0, 0, 0, 0, 0, null), null)
                .summary();
    }

    private static ReplaySummary.ZoneStat zone(ReplaySummary s, String name) {
        return s.zones().stream().filter(z -> z.name().equals(name)).findFirst().orElseThrow();
    }

    /** One second of the stream (the NIC starts at 4 s): 300k pages, more than i386's ~225k lowmem pages. */
    @Test
    void blockDevicePageCacheNeverLeavesLowmemOnI386() {
        for (Kernel k : List.of(Kernels.byName("2.6.32"), Kernels.byName("6.1"))) {
            ReplaySummary bdev = run("nic-jumbo-nosg-bdev", "i386-pae-4g", k, "duration_ms=1000");
            assertEquals(0, zone(bdev, "HighMem").peakUsedPages(), k.name() + ": GFP_USER never reaches HighMem");
            assertTrue(zone(bdev, "Normal").peakUsedPages() > 150_000, k.name() + ": the cache fills Normal instead");
            assertEquals(0, bdev.allocFailures(), k.name() + ": reclaim keeps up within lowmem");

            ReplaySummary file = run("nic-jumbo-nosg", "i386-pae-4g", k, "duration_ms=1000");
            assertTrue(zone(file, "HighMem").peakUsedPages() > 250_000, k.name() + ": file cache goes to HighMem first");

            ReplaySummary x86 = run("nic-jumbo-nosg-bdev", "x86_64-4g", k, "duration_ms=1000");
            // zonelist Normal, DMA32, DMA: past Normal's 262144 pages the cache goes on into DMA32
            assertTrue(zone(x86, "DMA32").peakUsedPages() > 10_000, k.name() + ": on x86_64 DMA32 is lowmem too");
            assertTrue(x86.lowmemPeakUsedPages() > 250_000, k.name());
        }
    }

    /**
     * The must-hold of issue 7: at 4 GiB, with the page cache in lowmem, the NIC's GFP_ATOMIC order-3
     * refills fail sooner or more often on i386-PAE (about 870 MiB of lowmem) than on x86_64 (all of
     * DMA32 and Normal), on both kernel profiles.
     */
    @Test
    void atFourGibTheNicFailsMoreOftenOnI386PaeWhenThePageCacheIsLowmem() {
        for (Kernel k : List.of(Kernels.byName("2.6.32"), Kernels.byName("6.1"))) {
            ReplaySummary i386 = run("nic-jumbo-nosg-bdev", "i386-pae-4g", k);
            ReplaySummary x86 = run("nic-jumbo-nosg-bdev", "x86_64-4g", k);
            assertTrue(i386.allocFailures() > 0, k.name());
            boolean sooner = x86.firstFailureNs() < 0 || i386.firstFailureNs() < x86.firstFailureNs();
            assertTrue(sooner || i386.allocFailures() > x86.allocFailures(),
                    k.name() + ": i386-pae-4g " + i386.allocFailures() + " failures from " + i386.firstFailureNs()
                            + " ns, x86_64-4g " + x86.allocFailures() + " from " + x86.firstFailureNs() + " ns");
            assertTrue(i386.allocFailures() > 10 * Math.max(1, x86.allocFailures()), k.name() + ": by far");
            // the ring fill at ifup (GFP_KERNEL, order 3 <= PAGE_ALLOC_COSTLY_ORDER) is retried while
            // reclaim makes progress (should_alloc_retry / should_reclaim_retry): it never fails
            for (ReplaySummary.Attempts a : i386.attempts()) {
                if (a.gfp().startsWith("GFP_KERNEL")) {
                    assertEquals(256, a.attempts(), k.name() + " " + a.gfp());
                    assertEquals(0, a.failures(), k.name() + " " + a.gfp());
                }
            }
        }
    }

    /**
     * The same NIC load with a regular file's page cache: on i386 the cache lives in HighMem and
     * Normal's lowmem_reserve[HighMem] keeps the HighMem-capable allocations out of it, so lowmem
     * keeps room for the atomic refills. 32-bit is not worse here; the comparison has to say so.
     */
    @Test
    void withFilePageCacheLowmemReserveShieldsNormalOnI386() {
        ReplaySummary i386 = run("nic-jumbo-nosg", "i386-pae-4g", Kernels.byName("2.6.32"));
        ReplaySummary x86 = run("nic-jumbo-nosg", "x86_64-4g", Kernels.byName("2.6.32"));
        ReplaySummary.ZoneStat normal = zone(i386, "Normal");
        assertTrue(i386.allocFailures() <= x86.allocFailures(), i386.allocFailures() + " vs " + x86.allocFailures());
        assertTrue(normal.minFreePages() > normal.minWmark(), "Normal never went below min on i386-pae-4g");
    }
}
