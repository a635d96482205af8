package dev.pagealloc.workloads.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import dev.pagealloc.profile.Arch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event streams: determinism, ordering, alloc/free matching, and how generators react to refusals. */
class GenSourceTest {
    static GenContext ctx(Arch arch, RecordingSink sink) {
        return new GenContext(arch, Kernels.byName("2.6.32"), 1_000_000, 2, sink::filePages);
    }

    /** Runs {@code job} into {@code sink}; the generator counters at the end. */
    static Map<String, Long> run(GenJob job, Arch arch, RecordingSink sink) {
        GenSource src = job.open(ctx(arch, sink));
        long advances = 0;
        while (src.advance(sink)) {
            advances++;
        }
        assertEquals(sink.events, advances, "one event per advance");
        assertFalse(src.advance(sink));
        return src.counters();
    }

    static GenJob job(String text, String... overrides) {
        return GenJob.parse(text, "t.toml", "t", List.of(overrides));
    }

    static final String MIX = """
            [global]
            seed = 3
            duration_ms = 400
            [background]
            kind = "pagecache-stream"
            rate_mb_s = 500
            until_percent = 100
            dirty_percent = 10
            drop_every_ms = 100
            drop_pages = 50
            [nic]
            kind = "nic-jumbo-nosg"
            start_ms = 20
            pps = 5000
            burst_pps = 20000
            burst_every_ms = 100
            burst_ms = 20
            [sg]
            kind = "nic-sg"
            ring = 64
            pps = 3000
            [slab]
            kind = "slab-churn"
            rate = 2000
            orders = [0, 1, 2, 3]
            lifetime_ms = 30
            live = 600
            [forks]
            kind = "fork-storm"
            rate = 500
            lifetime_ms = 20
            [db]
            kind = "anon-growth"
            mb = 20
            exit_ms = 300
            [thp]
            kind = "thp-faults"
            mb = 64
            start_ms = 100
            exit_ms = 350
            """;

    @Test
    void deterministicAndWellFormed() {
        for (Arch arch : Arch.values()) {
            RecordingSink a = RecordingSink.granting();
            RecordingSink b = RecordingSink.granting();
            GenJob j = job(MIX);
            Map<String, Long> ca = run(j, arch, a);
            Map<String, Long> cb = run(j, arch, b);
            assertEquals(a.lines, b.lines, arch.toString());
            assertEquals(ca, cb);
            assertTrue(a.frees > 1000 && a.allocs > a.frees, a.allocs + " " + a.frees);
            // a parse of the same text gives the same stream too
            RecordingSink c = RecordingSink.granting();
            run(job(MIX), arch, c);
            assertEquals(a.lines, c.lines);
        }
        // a different seed changes the random parts (slab orders and lifetimes)
        RecordingSink a = RecordingSink.granting();
        RecordingSink d = RecordingSink.granting();
        run(job(MIX), Arch.X86_64, a);
        run(job(MIX, "seed=4"), Arch.X86_64, d);
        assertFalse(a.lines.equals(d.lines));
    }

    @Test
    void phaseMarkersAndSymbolsOnce() {
        RecordingSink s = RecordingSink.granting();
        run(job(MIX), Arch.X86_64, s);
        List<String> markers = new ArrayList<>();
        for (String l : s.lines) {
            if (l.contains(" marker ")) {
                markers.add(l.substring(l.indexOf("marker ")));
            }
        }
        // time order, ties in section order
        assertEquals(List.of("marker 1 background:pagecache-stream", "marker 1 sg:nic-sg", "marker 1 slab:slab-churn",
                "marker 1 forks:fork-storm", "marker 1 db:anon-growth", "marker 1 nic:nic-jumbo-nosg",
                "marker 1 thp:thp-faults"), markers);
        // symbols are numbered 0, 1, 2, ... and each defined once (RecordingSink checks "once")
        for (int i = 0; i < s.symbols.size(); i++) {
            assertTrue(s.symbols.containsKey(i));
        }
    }

    @Test
    void nicRefillsRetriesAndDrops() {
        String nic = """
                [global]
                duration_ms = 300
                [nic]
                kind = "nic-jumbo-nosg"
                ring = 16
                pps = 10000
                delay_us = 200
                """;
        // refuse every GFP_ATOMIC refill between 100 and 200 ms (the ifup fill is GFP_KERNEL)
        RecordingSink s = new RecordingSink(
                (t, order, gfp) -> !(gfp.startsWith("GFP_ATOMIC") && t >= 100_000_000 && t < 200_000_000),
                Long.MAX_VALUE, true);
        Map<String, Long> c = run(job(nic), Arch.X86_64, s);
        long packets = c.get("nic.packets");
        assertEquals(3000, packets); // 10000/s for 300 ms, the first at 0
        assertTrue(c.get("nic.rx_dropped") > 800, c.toString()); // the ring (16) runs dry early in the window
        assertEquals(packets, c.get("nic.rx_packets") + c.get("nic.rx_dropped"));
        // one failed refill per packet while refused: the driver breaks out and retries on the next packet
        long failedInWindow = s.lines.stream().filter(l -> l.contains("-> false")).count();
        assertEquals(c.get("nic.alloc_rx_buff_failed"), failedInWindow);
        assertTrue(failedInWindow >= 990 && failedInWindow <= 1000, "failed " + failedInWindow);
        // every buffer is order 3 (e1000 at MTU 9000) and the ring is full again after the window
        assertTrue(s.lines.stream().filter(l -> l.contains(" alloc ")).allMatch(l -> l.contains("order=3")));
        assertTrue(s.lines.stream().filter(l -> l.contains(" alloc ")).allMatch(l -> l.contains("cpu=0")));
        long lastDrop = -1;
        for (String l : s.lines) {
            if (l.contains("-> false")) {
                lastDrop = Long.parseLong(l.substring(0, l.indexOf(' ')));
            }
        }
        assertTrue(lastDrop < 200_000_000 && lastDrop >= 199_000_000, "last failure at " + lastDrop);
        // the 16 buffers in the ring at the end plus those freed later than 300 ms stay live
        assertTrue(s.liveCount() >= 16 && s.liveCount() <= 18, "live " + s.liveCount());
    }

    @Test
    void scatterGatherTakesThreePagesPerFrame() {
        RecordingSink s = RecordingSink.granting();
        Map<String, Long> c = run(job("[global]\nduration_ms = 100\n[nic]\nkind = \"nic-sg\"\npps = 1000\n"),
                Arch.X86_64, s);
        assertEquals(3, c.get("nic.pages_per_packet"));
        assertEquals(100, c.get("nic.rx_packets"));
        assertEquals(0, c.get("nic.rx_dropped"));
        // ring fill 256 + 3 per packet, all order 0 with GFP_ATOMIC after the GFP_KERNEL fill
        assertEquals(256 + 300, s.allocs);
        assertTrue(s.lines.stream().filter(l -> l.contains(" alloc ")).allMatch(l -> l.contains("order=0")));
        // packets at 0, 1, ..., 99 ms, each freed 200 us later: all before the end
        assertEquals(300, s.frees);
    }

    @Test
    void pagecacheStreamStopsAtItsLevel() {
        String text = """
                [global]
                duration_ms = 2000
                [pagecache-stream]
                rate_mb_s = 400
                until_percent = 50
                """;
        RecordingSink s = RecordingSink.granting();
        Map<String, Long> c = run(job(text), Arch.X86_64, s);
        // 50% of 1,000,000 present pages; at 400 MiB/s (102400 pages/s) that takes ~4.9 s > 2 s
        assertEquals(2000L * 102400 / 1000, s.filePages, 64);
        RecordingSink t = RecordingSink.granting();
        c = run(job(text, "duration_ms=6000"), Arch.X86_64, t);
        assertEquals(500_000, t.filePages);
        assertTrue(c.containsKey("pagecache-stream.target_reached_ms"));
        // with refill, reading resumes when the cache drops below the level
        RecordingSink u = RecordingSink.granting();
        run(job(text, "duration_ms=6000", "pagecache-stream.refill=true", "pagecache-stream.drop_every_ms=1000",
                "pagecache-stream.drop_pages=1000"), Arch.X86_64, u);
        assertEquals(500_000, u.filePages, 32);
        assertTrue(u.lines.stream().filter(l -> l.contains(" drop ")).count() == 5);
        // re-reads: 50% of each 32-page chunk, right after it
        RecordingSink r = RecordingSink.granting();
        c = run(job(text, "pagecache-stream.reread_percent=50", "pagecache-stream.total_mb=1"), Arch.X86_64, r);
        assertEquals(8 * 16, c.get("pagecache-stream.pages_reread")); // 1 MiB = 256 pages = 8 chunks
        assertEquals(8, r.lines.stream().filter(l -> l.contains(" access cpu=0 pages=16")).count());
        // total_mb caps the stream: 10 MiB = 2560 pages
        RecordingSink v = RecordingSink.granting();
        run(job(text, "pagecache-stream.total_mb=10"), Arch.X86_64, v);
        assertEquals(2560, v.filePages);
    }

    /** mapping = "blockdev": the same pages as block device page cache (bdevRead), nothing as file reads. */
    @Test
    void pagecacheStreamThroughTheBlockDeviceMapping() {
        String text = """
                [global]
                duration_ms = 100
                [pagecache-stream]
                rate_mb_s = 400
                total_mb = 10
                """;
        RecordingSink file = RecordingSink.granting();
        run(job(text), Arch.I386, file);
        RecordingSink bdev = RecordingSink.granting();
        Map<String, Long> c = run(job(text, "pagecache-stream.mapping=blockdev"), Arch.I386, bdev);
        assertEquals(2560, bdev.filePages);
        assertEquals(2560, c.get("pagecache-stream.pages_read"));
        assertEquals(file.lines.size(), bdev.lines.size());
        assertTrue(bdev.lines.stream().noneMatch(l -> l.contains(" file ")));
        assertEquals(file.lines.stream().filter(l -> l.contains(" file ")).count(),
                bdev.lines.stream().filter(l -> l.contains(" bdev ")).count());
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> job(text, "pagecache-stream.mapping=swap"));
        assertTrue(e.getMessage().contains("mapping") && e.getMessage().contains("blockdev"), e.getMessage());
    }

    @Test
    void forkStormFreesWhatItTookEvenWhenForksFail() {
        String text = """
                [global]
                duration_ms = 200
                [forks]
                kind = "fork-storm"
                rate = 1000
                lifetime_ms = 10
                anon_pages = 8
                """;
        RecordingSink ok = RecordingSink.granting();
        Map<String, Long> c = run(job(text), Arch.X86_64, ok);
        assertEquals(200, c.get("forks.forks"));
        assertEquals(0, c.get("forks.fork_failed"));
        assertEquals(1, c.get("forks.stack_order")); // 2.6.32 x86_64: THREAD_ORDER 1
        assertTrue(ok.lines.stream().anyMatch(l -> l.contains("order=1 gfp=GFP_KERNEL pid=0")));
        assertTrue(ok.lines.contains("0 start pid=20000 comm=forks oom_adj=0"));
        // the pgd/pud/pmd/pte pages: x86_64 4 per child
        assertEquals(200 * (1 + 4), ok.allocs);
        // refuse order-1 allocations: every fork fails, the page tables are never taken, nothing starts
        RecordingSink no = new RecordingSink((t, order, gfp) -> order != 1, Long.MAX_VALUE, true);
        c = run(job(text), Arch.X86_64, no);
        assertEquals(200, c.get("forks.fork_failed"));
        assertTrue(no.lines.stream().noneMatch(l -> l.contains(" start ")));
        // refuse the 3rd page-table page: stack and two page-table pages are given back
        RecordingSink third = new RecordingSink(new RecordingSink.Policy() {
            int n;

            @Override
            public boolean grant(long t, int order, String gfp) {
                return order != 0 || ++n % 4 != 3;
            }
        }, Long.MAX_VALUE, true);
        c = run(job(text), Arch.X86_64, third);
        assertEquals(c.get("forks.forks"), c.get("forks.fork_failed"));
        assertEquals(0, third.liveCount());
        // i386 with 4K stacks: order 0, and 2 page-table pages
        RecordingSink i386 = RecordingSink.granting();
        c = run(job(text, "forks.four_k_stacks=true"), Arch.I386, i386);
        assertEquals(0, c.get("forks.stack_order"));
        assertEquals(200 * (1 + 2), i386.allocs);
    }

    @Test
    void vmapStacksAreCachedPerCpu() {
        String text = """
                [global]
                duration_ms = 200
                [forks]
                kind = "fork-storm"
                cpu = 1
                rate = 1000
                lifetime_ms = 10
                anon_pages = 0
                vmap_stack = true
                """;
        RecordingSink s = RecordingSink.granting();
        Map<String, Long> c = run(job(text), Arch.X86_64, s);
        assertEquals(-1, c.get("forks.stack_order"));
        assertEquals(2, c.get("forks.stack_pages")); // THREAD_SIZE 8 KiB on 2.6.32 x86_64: 2 vmalloc pages
        long hits = c.get("forks.stack_cache_hits");
        // child k exits at k + 10 ms, in the same nanosecond as fork k + 10, which runs between the
        // exit and the stack's release; so fork k + 11 finds child k's stack: forks 11 … 199 hit
        assertEquals(189, hits);
        long stackAllocs = s.lines.stream().filter(l -> l.contains(" alloc ") && l.contains("GFP_KERNEL|__GFP_ZERO|"
                + "__GFP_NOWARN|__GFP_HIGHMEM")).count();
        assertEquals((200 - hits) * 2, stackAllocs);
        assertTrue(s.lines.stream().filter(l -> l.contains(" alloc ")).allMatch(l -> l.contains("cpu=1 ")));
    }

    @Test
    void thpFallsBackToSmallPages() {
        String text = """
                [global]
                duration_ms = 1000
                [thp]
                kind = "thp-faults"
                mb = 64
                exit_ms = 900
                """;
        // refuse every other huge page
        RecordingSink s = new RecordingSink(new RecordingSink.Policy() {
            int n;

            @Override
            public boolean grant(long t, int order, String gfp) {
                return order != 9 || n++ % 2 == 0;
            }
        }, Long.MAX_VALUE, true);
        Map<String, Long> c = run(job(text), Arch.X86_64, s);
        assertEquals(16, c.get("thp.thp_fault_alloc")); // 64 MiB / 2 MiB = 32 steps
        assertEquals(16, c.get("thp.thp_fault_fallback"));
        assertEquals(16 * 512, s.anonPages);
        assertEquals(0, s.liveCount()); // all freed at exit
        assertTrue(s.lines.stream().anyMatch(l -> l.contains("gfp=GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_NOMEMALLOC|"
                + "__GFP_NORETRY|__GFP_NOWARN pid=1000")));
        // two-level i386: 4 MiB steps of order 10, 1024-page fallbacks
        RecordingSink i = new RecordingSink((t, order, gfp) -> false, Long.MAX_VALUE, true);
        c = run(job(text), Arch.I386, i);
        assertEquals(10, c.get("thp.thp_order"));
        assertEquals(16, c.get("thp.thp_fault_fallback"));
        assertEquals(16 * 1024, i.anonPages);
    }

    @Test
    void slabChurnRespectsItsLiveCap() {
        String text = """
                [global]
                duration_ms = 500
                [slab]
                kind = "slab-churn"
                rate = 10000
                orders = [0, 3]
                lifetime_ms = 50
                live = 1000
                """;
        RecordingSink s = new RecordingSink((t, o, g) -> true, Long.MAX_VALUE, true) {
            long livePages;
            long max;

            @Override
            public boolean alloc(long timeNs, int cpu, long id, int order, int gfpSym, int pid, int siteSym) {
                livePages += 1L << order;
                max = Math.max(max, livePages);
                assertTrue(max <= 1000, "live " + max);
                return super.alloc(timeNs, cpu, id, order, gfpSym, pid, siteSym);
            }

            @Override
            public void free(long timeNs, int cpu, long id, int order) {
                livePages -= 1L << order;
                super.free(timeNs, cpu, id, order);
            }
        };
        Map<String, Long> c = run(job(text), Arch.X86_64, s);
        assertTrue(c.get("slab.skipped_live") > 0, c.toString());
        // round-robin over the 2 CPUs
        assertTrue(s.lines.stream().anyMatch(l -> l.contains("alloc cpu=1")));
        assertTrue(s.lines.stream().anyMatch(l -> l.contains("alloc cpu=0")));
    }

    @Test
    void anonGrowthStartsFaultsAndExits() {
        RecordingSink s = RecordingSink.granting();
        run(job("[global]\nduration_ms = 1000\n[db]\nkind = \"anon-growth\"\npages = 100\nchunk_pages = 30\n"
                + "oom_adj = -17\nexit_ms = 500\n"), Arch.X86_64, s);
        assertEquals(100, s.anonPages);
        assertTrue(s.lines.contains("0 start pid=1000 comm=db oom_adj=-17"));
        assertTrue(s.lines.contains("500000000 exit pid=1000"));
    }
}
