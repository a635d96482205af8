package dev.pagealloc.workloads.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.layout.Machine;
import dev.pagealloc.mmzone.Zone;
import dev.pagealloc.profile.Arch;
import dev.pagealloc.workloads.Machines;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The replay engine's rules: pfn identity, the kernel's double free traces, ratelimited reports, determinism. */
class ReplayerTest {
    private static final long MS = 1_000_000L;

    private static Machine boot(long mib) {
        return Kernels.byName("2.6.32").boot(Machines.synthesize("t", Arch.X86_64, mib << 20, 2));
    }

    private static Replayer replayer(Machine m) {
        return new Replayer(m, new Replayer.Options(MS, 0, 0, 3, 0, 0, null));
    }

    @Test
    void aFreeMatchesTheLiveAllocationOfItsPfnAndDoubleTracesChangeNothing() {
        try (Machine m = boot(256)) {
            Replayer r = replayer(m);
            r.symbol(0, "GFP_KERNEL");
            assertTrue(r.alloc(1000, 0, 1155800, 0, 0, 1567, -1));
            // 2.6.32's __free_pages() and free_hot_page() both trace mm_page_free_direct (spec §9, fixture T05).
            r.free(2000, 0, 1155800, 0);
            r.free(2000, 0, 1155800, 0);
            r.free(3000, 0, 42, 0); // allocated before the recording began
            ReplaySummary s = r.finish();
            assertEquals(1, s.allocs());
            assertEquals(1, s.frees());
            assertEquals(2, s.unmatchedFrees());
            assertEquals(0, s.stillHeld());
        }
    }

    @Test
    void anAllocationOfALiveIdMeansTheRecordingLostItsFree() {
        try (Machine m = boot(256)) {
            Replayer r = replayer(m);
            r.symbol(0, "GFP_KERNEL");
            r.alloc(0, 0, 7, 2, 0, 0, -1);
            long free = m.zones[1].vmStat[0] + m.zones[0].vmStat[0];
            r.alloc(10, 0, 7, 2, 0, 0, -1);
            ReplaySummary s = r.finish();
            assertEquals(1, s.lostFrees());
            assertEquals(1, s.stillHeld());
            assertTrue(s.finalFree() >= free - 4, "the old block went back: only one order-2 block is held");
        }
    }

    @Test
    void aRecordedFailureIsTriedAndReleased() {
        try (Machine m = boot(256)) {
            Replayer r = replayer(m);
            r.symbol(3, "GFP_NOWAIT|__GFP_HIGHMEM|__GFP_MOVABLE"); // fixture T01's failed kswapd0 allocation
            assertTrue(r.alloc(0, 1, -1, 0, 3, 0, -1));
            ReplaySummary s = r.finish();
            assertEquals(1, s.recordedFailures());
            assertEquals(0, s.stillHeld());
        }
    }

    /**
     * The frag module's scenario (shared/oracle/module/frag.c): take every order-0 page the
     * allocator gives, free every other pfn. No freed page has a free buddy, so order-3 requests
     * can only be served from blocks of order >= 3 that were free before, and at most
     * (pages in those blocks) / 8 succeed before GFP_ATOMIC fails. The report's first line is
     * 2.6.32's printk in __alloc_pages_slowpath: "%s: page allocation failure. order:%d, mode:0x%x".
     */
    @Test
    void order3AtomicFailsWhenOnlySinglePagesAreFreeAndTheReportIsTheKernels() {
        try (Machine m = boot(128)) {
            Replayer r = replayer(m);
            r.symbol(0, "GFP_NOWAIT|__GFP_NOWARN"); // no reclaim, no OOM, no report
            r.symbol(1, "GFP_ATOMIC|__GFP_COMP");
            long n = 0;
            while (r.alloc(0, 0, n, 0, 0, 0, -1)) {
                n++;
            }
            assertTrue(n > 20_000, "allocated " + n);
            for (long i = 0; i < n; i++) {
                if ((r.pfnOf(i) & 1) == 1) {
                    r.free(1000, 0, i, 0);
                }
            }
            m.allocator.drainAllPages();
            long higher = 0;
            for (Zone z : m.populatedZones()) {
                for (int o = 3; o < Zone.MAX_ORDER; o++) {
                    higher += (long) z.nrFree[o] << o;
                }
            }
            long ok = 0;
            long id = n;
            while (r.alloc(2000, 0, id++, 3, 1, 0, -1)) {
                ok++;
            }
            assertTrue(ok <= higher / 8, ok + " order-3 blocks out of " + higher + " pages in blocks of order >= 3");
            ReplaySummary s = r.finish();
            assertEquals(1, s.failures(3, "GFP_ATOMIC"));
            assertEquals(1, s.reports().size());
            String first = s.reports().get(0).text().lines().findFirst().orElseThrow();
            assertTrue(first.endsWith("page allocation failure. order:3, mode:0x4020"), first);
            assertEquals("0x4020", s.reports().get(0).mode());
        }
    }

    /** printk_ratelimit(): 10 messages per 5 s (DEFAULT_RATELIMIT_BURST, DEFAULT_RATELIMIT_INTERVAL). */
    @Test
    void failureReportsAreRatelimitedLikePrintk() {
        try (Machine m = boot(64)) {
            Replayer r = replayer(m);
            r.symbol(0, "GFP_NOWAIT|__GFP_NOWARN");
            r.symbol(1, "GFP_ATOMIC");
            r.symbol(2, "GFP_ATOMIC|__GFP_NOWARN");
            long id = 0;
            while (r.alloc(0, 0, id, 0, 0, 0, -1)) {
                id++;
            }
            long base = r.nowNs();
            for (int i = 0; i < 25; i++) {
                r.alloc(base + i * MS, 0, -2 - i, 10, 1, 0, -1);
            }
            for (int i = 0; i < 5; i++) {
                r.alloc(base + 30 * MS + i, 0, -100 - i, 10, 2, 0, -1); // __GFP_NOWARN: never printed
            }
            for (int i = 0; i < 3; i++) {
                r.alloc(base + 6_000 * MS + i * MS, 0, -200 - i, 10, 1, 0, -1);
            }
            ReplaySummary s = r.finish();
            assertEquals(34, s.allocFailures(), "the fill's last request, then order 10 on a full machine always fails");
            assertEquals(13, s.warnPrinted(), "10 in the first 5 s window, 3 in the next");
            assertEquals(15, s.warnSuppressed());
        }
    }

    @Test
    void theSameEventsGiveTheSameSummary() {
        String a = run();
        String b = run();
        assertEquals(a, b);
    }

    private static String run() {
        try (Machine m = boot(128)) {
            Replayer r = replayer(m);
            r.symbol(0, "GFP_KERNEL");
            r.symbol(1, "GFP_ATOMIC|__GFP_COMP");
            r.symbol(2, "p1");
            r.processStart(0, 100, 2, 0);
            SplittableRandom rnd = new SplittableRandom(42);
            long[] live = new long[4096];
            int n = 0;
            long id = 0;
            long t = 0;
            for (int i = 0; i < 200_000; i++) {
                t += rnd.nextInt(5000);
                int op = rnd.nextInt(10);
                if (op < 4 && n < live.length) {
                    int order = rnd.nextInt(4);
                    if (r.alloc(t, rnd.nextInt(4), id, order, rnd.nextInt(2), 0, -1)) {
                        live[n++] = id * 16 + order;
                    }
                    id++;
                } else if (op < 7 && n > 0) {
                    int k = rnd.nextInt(n);
                    r.free(t, rnd.nextInt(4), live[k] / 16, (int) (live[k] % 16));
                    live[k] = live[--n];
                } else if (op < 9) {
                    r.fileRead(t, rnd.nextInt(2), 8, rnd.nextBoolean());
                } else {
                    r.anonFault(t, 0, 100, 4);
                }
            }
            ReplaySummary s = r.finish();
            return s.attempts() + "|" + s.failures() + "|" + s.allocs() + "|" + s.frees() + "|" + s.kswapdReclaimed()
                    + "|" + s.directReclaimed() + "|" + s.oomKills() + "|" + s.minFreePages() + "|" + s.series().csv();
        }
    }
}
