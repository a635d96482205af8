package dev.pagealloc.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagealloc.kernel.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs: the bundled pagecache-pressure job on the seed machine, determinism, and bad job files. */
class JobRunnerTest {
    static ReplayResult runOnSeed(Job job) {
        return JobRunner.run(job, Machines.preset("seed-4g"), Kernels.byName("2.6.32"));
    }

    @Test
    void pagecachePressureOnTheSeedMachine() {
        Job job = Job.resolve("pagecache-pressure");
        assertEquals("pagecache-pressure", job.name());
        ReplayResult r = runOnSeed(job);
        for (int order = 0; order <= 3; order++) {
            ReplayResult.Count k = r.count("GFP_KERNEL", order);
            assertEquals(2500, k.attempts(), "GFP_KERNEL order " + order);
            assertEquals(0, k.failures(), "GFP_KERNEL reclaims page cache instead of failing, order " + order);
            assertEquals(2500 + 3000, r.count("GFP_ATOMIC", order).attempts(), "GFP_ATOMIC order " + order);
        }
        // the storm at the end: GFP_ATOMIC cannot reclaim and fails below its lowered minimum
        assertTrue(r.failures("GFP_ATOMIC") > 0, r.counts().toString());
        // the cache was filled, then reclaimed for the held requests (~75000 pages)
        assertEquals(0, r.count(JobRunner.USER_GFP, 0).failures());
        assertTrue(r.kswapdReclaimed() + r.directReclaimed() > 40_000,
                "reclaimed " + r.kswapdReclaimed() + " + " + r.directReclaimed());
        assertEquals(0, r.oomKills());
        assertEquals(0, r.finalAnon());
        // determinism: the same job on the same machine gives an equal result
        assertEquals(r, runOnSeed(job));
    }

    @Test
    void anInterruptStormKswapdCannotKeepUpWithFailsGfpAtomicButNotGfpKernel() {
        // alternating with GFP_KERNEL, GFP_ATOMIC lives on what the GFP_KERNEL requests' direct
        // reclaim frees; alone, with kswapd running only every 1024 requests, it drains the zones
        // to its lowered minimum (min - min/2 - min/8) and fails
        Job job = Job.parse("""
                name = "storm"
                seed = 7
                [[phase]]
                kind = "pagecache"
                until_percent = 95
                [[phase]]
                kind = "requests"
                count = 2000
                orders = [0, 1, 2, 3]
                gfp = ["GFP_KERNEL", "GFP_ATOMIC"]
                hold = true
                [[phase]]
                kind = "requests"
                count = 12000
                orders = [0, 1, 2, 3]
                gfp = ["GFP_ATOMIC"]
                hold = true
                kswapd_every = 1024
                """, "storm.toml", "storm");
        ReplayResult r = runOnSeed(job);
        assertEquals(0, r.failures("GFP_KERNEL"));
        assertTrue(r.failures("GFP_ATOMIC") > 0, r.counts().toString());
        ReplayResult.FailureText f = r.failureReports().get(0);
        assertEquals("GFP_ATOMIC", f.gfp());
        assertTrue(f.report().startsWith("replay: page allocation failure. order:" + f.order() + ", mode:0x20\n"),
                f.report());
        assertTrue(f.report().contains("comm: replay"), f.report());
    }

    @Test
    void cyclingCoversEveryOrderWithEveryMask() {
        Job.Requests rq = new Job.Requests(8, List.of(0, 1, 2, 3), List.of("GFP_KERNEL", "GFP_ATOMIC"), true, 0);
        StringBuilder sb = new StringBuilder();
        for (long i = 0; i < 8; i++) {
            sb.append(rq.gfp().get(rq.gfpOf(i)).charAt(4)).append(rq.orderOf(i)).append(' ');
        }
        assertEquals("K0 A0 K1 A1 K2 A2 K3 A3 ", sb.toString());
    }

    private static String error(Path dir, String text) throws IOException {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Job.resolve(f.toString()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
        return e.getMessage().substring(f.toString().length() + 1);
    }

    @Test
    void malformedJobFileNamesFileAndLine(@TempDir Path dir) throws IOException {
        String m = error(dir, "name = \"x\"\nseed = 1\n[[phase]]\nkind = \"requests\"\norders = [0, 1,\n");
        assertTrue(m.matches("[56]: malformed TOML: .*"), m);
    }

    @Test
    void badValuesNameTheirLine(@TempDir Path dir) throws IOException {
        String head = "name = \"x\"\n\n[[phase]]\nkind = \"pagecache\"\nuntil_percent = 50\n\n[[phase]]\nkind = \"requests\"\ncount = 10\n";
        assertEquals("10: unknown GFP flag 'GFP_KERNAL' (expected a 2.6.32 flag name such as GFP_KERNEL, __GFP_COMP "
                + "or GFP_COMP, or a number such as 0xc0d0 or 208)", error(dir, head + "gfp = [\"GFP_KERNAL\"]\n"));
        assertEquals("10: unknown key 'size' in a requests phase (expected kind, count, orders, gfp, hold, kswapd_every)",
                error(dir, head + "size = 3\n"));
        assertEquals("10: bad order 11 (expected 0 … 10)", error(dir, head + "orders = [0, 11]\n"));
        assertEquals("8: unknown phase kind 'requets' (expected pagecache, anon or requests)",
                error(dir, head.replace("\"requests\"", "\"requets\"")));
        assertEquals("1: unknown key 'nmae' (expected name, description, seed, swap_mb, kswapd_every or [[phase]] tables)",
                error(dir, "nmae = \"x\"\n" + head));
        assertEquals("5: 'until_percent' must be a number 0 … 100, got 150",
                error(dir, head.replace("= 50", "= 150")));
        assertTrue(error(dir, "name = \"x\"\n").startsWith(" no [[phase]] tables"));
    }

    @Test
    void unknownJob() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Job.resolve("nope"));
        assertEquals("unknown job 'nope' (expected a file name or one of pagecache-pressure)", e.getMessage());
    }
}
