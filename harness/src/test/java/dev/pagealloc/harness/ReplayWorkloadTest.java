package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code pagealloc replay} of generator jobs, recorded traces and bad input, end to end through
 * the command line: the JSON contract of issue 5, byte-identical reruns, {@code --out}, and a
 * malformed trace line reported as file:line with status 2.
 */
class ReplayWorkloadTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    private StringWriter out;
    private StringWriter err;

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private JsonNode json(String... args) {
        assertEquals(0, run(args), () -> "stderr: " + err);
        return JsonMapper.builder().build().readTree(out.toString());
    }

    /**
     * With scatter/gather the same traffic needs only order-0 pages (skb_frag pages), which the
     * page-cache background's reclaim always provides: no GFP_ATOMIC failure at all.
     */
    @Test
    void nicWithScatterGatherNeverFails() {
        JsonNode root = json("replay", REPO.resolve("workloads/jobs/nic-sg.toml").toString(),
                "--machine", "seed-4g", "--kernel", "2.6.32", "--json");
        assertEquals("seed-4g", root.get("machine").asString());
        assertEquals("2.6.32", root.get("kernel").asString());
        JsonNode s = root.get("summary");
        assertEquals(0, s.get("failures").size(), s.get("failures").toString());
        long atomicOrder0 = 0;
        for (JsonNode a : root.get("attempts")) {
            assertEquals(0, a.get("order").asInt(), "scatter/gather asks for order 0 only: " + a);
            if (a.get("gfp").asString().equals("GFP_ATOMIC")) {
                atomicOrder0 += a.get("attempts").asLong();
            }
        }
        assertTrue(atomicOrder0 > 10_000, "RX refills " + atomicOrder0);
        assertTrue(s.get("kswapd_reclaimed").asLong() > 0, "the page cache went past RAM");
    }

    /**
     * The seed's scenario: jumbo frames without scatter/gather under a page cache stream, traffic
     * arriving for slow readers while kswapd is starved. Order-3 GFP_ATOMIC|__GFP_COMP refills
     * fail and print 2.6.32's report ("%s: page allocation failure. order:%d, mode:0x%x", comm
     * swapper from softirq), at most printk_ratelimit's burst of 10 in 5 s.
     */
    @Test
    void theJumboJobFailsAtOrder3AndPrintsTheKernelsReports() {
        JsonNode root = json("replay", REPO.resolve("workloads/jobs/nic-jumbo-nosg.toml").toString(),
                "--machine", "seed-4g", "--kernel", "2.6.32", "--json");
        JsonNode input = root.get("inputs").get(0);
        assertEquals(64, input.get("sha256").asString().length());
        JsonNode f = root.get("summary").get("failures");
        assertEquals(1, f.size(), f.toString());
        assertEquals(3, f.get(0).get("order").asInt());
        assertEquals("GFP_ATOMIC|GFP_COMP", f.get(0).get("gfp").asString());
        assertEquals("0x4020", f.get(0).get("mode").asString());
        assertTrue(f.get(0).get("count").asLong() > 0);
        JsonNode reports = root.get("failure_reports");
        assertTrue(reports.size() >= 1);
        assertTrue(reports.get(0).get("report").asString().startsWith("swapper: page allocation failure. order:3, mode:0x4020\n"),
                reports.get(0).get("report").asString());
        assertTrue(root.get("summary").get("warn_printed").asLong() <= 10);
        JsonNode s = root.get("summary");
        for (String k : new String[] {"allocs", "frees", "oom_kills", "kswapd_reclaimed", "direct_reclaimed"}) {
            assertTrue(s.get(k).isIntegralNumber(), k);
        }
        assertTrue(s.get("failures").isArray());
        assertTrue(s.has("first_failure_ns"));
        boolean order3Atomic = false;
        for (JsonNode a : root.get("attempts")) {
            // e1000 at MTU 9000: kmalloc_large(16384 + pad + skb_shared_info) -> order 3, mode 0x4020
            if (a.get("order").asInt() == 3 && a.get("gfp").asString().equals("GFP_ATOMIC|GFP_COMP")) {
                order3Atomic = true;
            }
        }
        assertTrue(order3Atomic, root.get("attempts").toString());
        assertFalse(out.toString().contains("wall"), "no wall-clock figure in --json");
    }

    @Test
    void twoReplaysOfTheSameJobAreByteIdentical() {
        String[] args = {"replay", REPO.resolve("workloads/jobs/nic-jumbo-nosg.toml").toString(), "--machine",
            "seed-4g", "--kernel", "2.6.32", "--set", "duration_ms=4200", "--snapshot-every", "1000", "--json"};
        assertEquals(0, run(args), () -> "stderr: " + err);
        String first = out.toString();
        assertTrue(first.contains("page allocation failure"), "the compared output holds failure reports");
        assertEquals(0, run(args), () -> "stderr: " + err);
        assertEquals(first, out.toString());
    }

    @Test
    void aRecordedTraceReplaysAndOutWritesEveryFile(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        assertEquals(0, run("replay", REPO.resolve("workloads/recorded/linux-6.1-x86_64-nic-order3.trace.gz").toString(),
                "--machine", "x86_64-4g", "--out", dir.toString()), () -> "stderr: " + err);
        for (String f : new String[] {"summary.txt", "result.json", "timeseries.csv", "failures.svg", "failures.png",
            "free-Normal.svg", "free-Normal.png", "free-DMA32.svg"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        JsonNode r = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("result.json")));
        assertEquals("trace", r.get("inputs").get(0).get("kind").asString());
        // the module's 10000 refills plus its ring of 256: order-3 GFP_ATOMIC|__GFP_COMP as 6.1 traced them
        long order3 = 0;
        for (JsonNode a : r.get("attempts")) {
            if (a.get("order").asInt() == 3) {
                order3 += a.get("attempts").asLong();
            }
        }
        assertTrue(order3 >= 10_000, "order-3 attempts " + order3);
        assertTrue(Files.readString(dir.resolve("timeseries.csv")).startsWith("time_ns,DMA_free,"));
        assertTrue(Files.readString(dir.resolve("summary.txt")).contains("wall"));
    }

    @Test
    void aMalformedTraceLineIsOneLineWithFileAndLineAndStatus2(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.trace");
        Files.writeString(bad, """
                # tracer: nop
                            init-1       [000] .....     5.609790: mm_page_alloc: page=00000000226c1a9f pfn=0x1dd6 order=1 migratetype=0 gfp_flags=GFP_KERNEL
                             cat-77      [001] .....   100.000001: mm_page_alloc: page=000000001 pfn=0x12 order=zz migratetype=0 gfp_flags=GFP_KERNEL
                """);
        Path outDir = tmp.resolve("out");
        assertEquals(2, run("replay", bad.toString(), "--machine", "x86_64-4g", "--out", outDir.toString()));
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("pagealloc: " + bad + ":3: expected order="), e);
        assertEquals("", out.toString());
        assertFalse(Files.exists(outDir), "nothing half-written");
    }
}
