package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code pagealloc replay}: the bundled job's JSON and text, and bad inputs (one line, status 2). */
class ReplayCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void jsonOfTheBundledJob() {
        assertEquals(0, run("replay", "pagecache-pressure", "--json"), () -> "stderr: " + err);
        JsonNode root = JsonMapper.builder().build().readTree(out.toString());
        assertEquals("pagecache-pressure", root.get("job").asString());
        assertEquals("seed-4g", root.get("machine").asString());
        assertEquals("2.6.32", root.get("kernel").asString());
        JsonNode s = root.get("summary");
        for (String k : new String[] {"oom_kills", "kswapd_reclaimed", "direct_reclaimed", "allocstall"}) {
            assertTrue(s.get(k).isIntegralNumber(), k);
        }
        assertTrue(s.get("kswapd_reclaimed").asLong() + s.get("direct_reclaimed").asLong() > 0);
        long kernelAttempts = 0;
        for (JsonNode a : s.get("attempts")) {
            assertTrue(a.get("order").isIntegralNumber() && a.get("gfp").isString() && a.get("count").isIntegralNumber());
            if (a.get("gfp").asString().equals("GFP_KERNEL")) {
                kernelAttempts += a.get("count").asLong();
            }
        }
        assertEquals(10_000, kernelAttempts);
        for (JsonNode f : s.get("failures")) {
            assertTrue(f.has("order") && f.has("gfp") && f.has("count"));
            if (f.get("gfp").asString().equals("GFP_KERNEL")) {
                assertEquals(0, f.get("count").asLong(), f.toString());
            }
        }
        JsonNode fin = root.get("final");
        assertTrue(fin.get("free_pages").asLong() > 0);
        assertTrue(fin.get("file_pages").asLong() > 0);
        assertEquals(0, fin.get("anon_pages").asLong());
        assertEquals("", err.toString());
    }

    @Test
    void unknownJobIsOneLineAndStatus2() {
        assertEquals(2, run("replay", "nope"));
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("pagealloc: nope: no such file (expected a trace, a .pgw file, a job .toml, or a bundled job: nic-jumbo-nosg,"), e);
        assertEquals("", out.toString());
    }

    @Test
    void unknownMachineIsOneLineAndStatus2() {
        assertEquals(2, run("replay", "pagecache-pressure", "--machine", "nope"));
        assertTrue(err.toString().startsWith("pagealloc: unknown machine 'nope'"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }
}
