package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** {@code pagealloc explain}: exit statuses 0/2/3, the JSON fields the issue lists, and --reprint. */
class ExplainCommandTest {
    static final Path SEED = Path.of("src/main/resources/dev/pagealloc/harness/bench/seed-001.txt");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void seedAsJson() {
        assertEquals(0, run("explain", "--json", SEED.toString()), err.toString());
        JsonNode e = JsonMapper.builder().build().readTree(out.toString()).get(0);
        assertEquals("2.6.32-41-server", e.get("kernel").asString());
        assertEquals(4, e.get("order").asInt());
        assertEquals("0xc0d0", e.get("gfp").get("mask").asString());
        assertEquals("GFP_KERNEL|__GFP_COMP|__GFP_ZERO", e.get("gfp").get("names").asString());
        assertEquals("Normal", e.get("gfp").get("zone").asString());
        assertEquals("Unmovable", e.get("gfp").get("migratetype").asString());
        JsonNode dma32 = e.get("zones").get(1);
        for (String f : new String[] {"node", "zone", "eligible", "free_pages", "free_by_order", "watermarks",
            "lowmem_reserve", "verdict", "failed_check", "margin_pages", "reason"}) {
            assertTrue(dma32.has(f), f);
        }
        assertEquals("refused", dma32.get("verdict").asString());
        assertEquals(-119, dma32.get("margin_pages").asInt());
        assertEquals(1769, dma32.get("watermarks").get("recomputed").get("min").asInt());
        assertEquals("fragmentation", e.get("diagnosis").get("kind").asString());
        assertTrue(e.get("what_if").get(0).get("would_succeed").asBoolean());
        assertTrue(e.has("warnings"));
        assertTrue(e.has("profile"));
    }

    @Test
    void reprintIsTheReportsOwnLines() throws IOException {
        assertEquals(0, run("explain", "--reprint", SEED.toString()), err.toString());
        var seed = Files.readAllLines(SEED);
        for (String line : out.toString().split("\n")) {
            assertTrue(seed.contains(line), line);
        }
    }

    @Test
    void unreadableInputIsStatus2(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("nothing.txt");
        Files.writeString(f, "just some dmesg\nwithout a report\n");
        assertEquals(2, run("explain", f.toString()));
        assertEquals(1, err.toString().strip().lines().count());
        assertTrue(err.toString().contains("no 'page allocation failure' header found"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void vmallocIsRecognisedButNotExplainable() {
        assertEquals(3, run("explain", "src/test/resources/024-EDGE-vmalloc-error-6.0-i386-highmem.txt"));
        assertEquals(1, err.toString().strip().lines().count());
        assertTrue(err.toString().contains("vmalloc"), err.toString());
    }

    @Test
    void badKernelOptionIsStatus2() {
        assertEquals(2, run("explain", "--kernel", "banana", SEED.toString()));
        assertTrue(err.toString().contains("not a kernel version"), err.toString());
    }
}
