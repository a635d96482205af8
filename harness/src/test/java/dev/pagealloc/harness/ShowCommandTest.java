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

/** {@code pagealloc show}: the issue's command line, its JSON, and its bad inputs (one line, status 2, nothing on stdout). */
class ShowCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private void assertBadInput(String expectedPrefix, String... args) {
        assertEquals(2, run(args), () -> "stderr: " + err);
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith(expectedPrefix), e);
        assertEquals("", out.toString(), "nothing half-written on stdout");
    }

    @Test
    void theIssuesCommandPrintsTheSeedsZoneinfo() {
        assertEquals(0, run("show", "--machine", "seed-4g", "--kernel", "2.6.32", "--cpus", "2", "--view", "zoneinfo"));
        String z = out.toString();
        // The seed report's DMA32 line: min:7076kB low:8844kB high:10612kB present:3596192kB
        assertTrue(z.contains("Node 0, zone    DMA32\n  pages free     "), z);
        assertTrue(z.contains("        min      1769\n        low      2211\n        high     2653\n"), z);
        assertTrue(z.contains("        present  899048\n"), z);
        assertTrue(z.contains("        protection: (0, 3511, 4016, 4016)"), z);
        assertTrue(z.contains("              high:  186\n              batch: 31\n"), z);
    }

    @Test
    void jsonCarriesTheSameNumbers() {
        assertEquals(0, run("show", "--json"));
        JsonNode root = JsonMapper.builder().build().readTree(out.toString());
        JsonNode normal = root.get("zones").get(2);
        assertEquals("Normal", normal.get("name").asString());
        assertEquals(254, normal.get("min").asInt());
        assertEquals(317, normal.get("low").asInt());
        assertEquals(381, normal.get("high").asInt());
        assertEquals(129280, normal.get("present").asInt());
        assertEquals(186, normal.get("pcp").get(1).get("high").asInt());
        assertEquals(11, normal.get("free_area").size());
        assertEquals(5, normal.get("free_area_by_migratetype").size());
    }

    @Test
    void unknownMachine() {
        assertBadInput("pagealloc: unknown machine 'nope'", "show", "--machine", "nope");
    }

    @Test
    void malformedMachineFileNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, "name = \"bad\"\narch = \"x86_64\"\nram_mb = [1,\n");
        assertBadInput("pagealloc: " + f + ":", "show", "--machine", f.toString());
        assertTrue(err.toString().contains("malformed TOML"), err.toString());
    }

    @Test
    void ramTheArchCannotAddress() {
        assertBadInput("pagealloc: i386 cannot address 8192 MiB of RAM", "show", "--arch", "i386", "--ram", "8G");
    }

    @Test
    void unknownFlagValues() {
        assertBadInput("pagealloc show: Invalid value for option '--view'", "show", "--view", "slabinfo");
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertBadInput("pagealloc: unknown kernel '9.9'", "show", "--kernel", "9.9");
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertBadInput("pagealloc: unknown arch 'sparc'", "show", "--arch", "sparc");
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertBadInput("pagealloc: --ram: 'lots'", "show", "--ram", "lots");
    }
}
