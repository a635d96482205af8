package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code pagealloc compare}: its numbers are those of the single replays, its files render and are
 * byte-identical from run to run, and bad input is one line with status 2.
 */
class CompareCommandTest {
    /** A short NIC run that fills 1 GiB with page cache before the traffic starts. */
    private static final String[] JOB = {"nic-jumbo-nosg", "--set", "duration_ms=1500", "--set", "nic.start_ms=1000"};
    private static final String MACHINES = "i386-1g,i386-pae-1g,x86_64-1g";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static String[] args(String command, String... more) {
        List<String> l = new ArrayList<>();
        l.add(command);
        l.addAll(List.of(JOB));
        l.addAll(List.of(more));
        return l.toArray(String[]::new);
    }

    @Test
    void jsonSummariesEqualThoseOfTheSingleReplays() {
        assertEquals(0, run(args("compare", "--machines", MACHINES, "--json")), () -> "stderr: " + err);
        JsonNode cmp = JSON.readTree(out.toString());
        assertEquals("2.6.32", cmp.get("kernel").asString());
        JsonNode machines = cmp.get("machines");
        String[] names = MACHINES.split(",");
        assertEquals(names.length, machines.size());
        long failures = 0;
        for (int i = 0; i < names.length; i++) {
            JsonNode m = machines.get(i);
            assertEquals(names[i], m.get("machine").asString());
            assertEquals(0, run(args("replay", "--machine", names[i], "--json")), () -> "stderr: " + err);
            JsonNode replay = JSON.readTree(out.toString());
            assertEquals(replay.get("summary"), m.get("summary"), names[i]);
            JsonNode s = m.get("summary");
            failures += s.get("alloc_failures").asLong();
            long end = s.get("end_ns").asLong();
            for (JsonNode z : s.get("zones")) {
                long low = z.get("ns_below_low").asLong();
                long min = z.get("ns_below_min").asLong();
                assertTrue(0 <= min && min <= low && low <= end, z.toString());
                assertTrue(z.get("min_free_pages").asLong() <= z.get("boot_free_pages").asLong(), z.toString());
            }
            assertTrue(s.get("lowmem_peak_used_pages").asLong() > 0, names[i]);
            assertEquals(names[i].startsWith("i386"), s.get("highmem_present_pages").asLong() > 0, names[i]);
        }
        assertTrue(failures > 0, "the NIC should fail somewhere at 1 GiB");
    }

    @Test
    void tableHasAColumnPerMachineAndARowPerMetric() {
        assertEquals(0, run(args("compare", "--machines", MACHINES)), () -> "stderr: " + err);
        String t = out.toString();
        String header = t.lines().filter(l -> l.contains("i386-pae-1g")).findFirst().orElseThrow();
        assertTrue(header.indexOf("i386-1g") < header.indexOf("i386-pae-1g")
                && header.indexOf("i386-pae-1g") < header.indexOf("x86_64-1g"), header);
        for (String row : new String[] {"Fail o3 GFP_ATOMIC|GFP_COMP", "First failure", "Min free Normal",
                "Below low Normal", "Below min Normal", "Lowmem peak used", "HighMem peak used",
                "Kswapd pages reclaimed", "Direct pages scanned", "Allocstall", "OOM kills"}) {
            assertTrue(t.lines().anyMatch(l -> l.startsWith(row + " ")), row + " in\n" + t);
        }
        String dma32 = t.lines().filter(l -> l.startsWith("Min free DMA32 ")).findFirst().orElseThrow();
        assertEquals(List.of("-", "-"), List.of(dma32.split("\\s+")).subList(3, 5), dma32); // no DMA32 on i386
    }

    @Test
    void outWritesRenderableChartsByteIdenticalFromRunToRun(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String machines = "i386-1g,x86_64-1g";
        assertEquals(0, run(args("compare", "--machines", machines, "--out", a.toString())), () -> "stderr: " + err);
        String table = out.toString();
        assertEquals(0, run(args("compare", "--machines", machines, "--out", b.toString())), () -> "stderr: " + err);
        List<String> names = list(a);
        assertEquals(names, list(b));
        for (String f : new String[] {"compare.txt", "compare.json", "failures.svg", "failures.png", "free-Normal.svg",
                "free-HighMem.png", "free-DMA32.svg", "free-lowmem.svg", "free-total.png",
                "heatmap-i386-1g-HighMem.svg", "heatmap-x86_64-1g-DMA32.png"}) {
            assertTrue(names.contains(f), f + " in " + names);
        }
        assertFalse(names.stream().anyMatch(n -> n.startsWith(".")), names.toString());
        assertEquals(table, Files.readString(a.resolve("compare.txt")));
        JsonNode json = JSON.readTree(Files.readString(a.resolve("compare.json")));
        assertEquals(2, json.get("machines").size());
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        for (String n : names) {
            Path f = a.resolve(n);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(n)), n + " differs between runs");
            if (n.endsWith(".png")) {
                BufferedImage img = ImageIO.read(f.toFile());
                assertNotNull(img, n);
                assertEquals(900, img.getWidth(), n);
                assertEquals(500, img.getHeight(), n);
            } else if (n.endsWith(".svg")) {
                Document d = dbf.newDocumentBuilder().parse(f.toFile());
                assertEquals("svg", d.getDocumentElement().getLocalName() != null
                        ? d.getDocumentElement().getLocalName() : d.getDocumentElement().getTagName());
                assertTrue(d.getDocumentElement().getChildNodes().getLength() > 0, n);
                String text = Files.readString(f);
                assertTrue(text.contains("emulated time (s)"), n + ": x axis label");
                if (!n.startsWith("heatmap-")) {
                    assertTrue(text.contains("i386-1g") && text.contains("x86_64-1g"), n + ": legend");
                } else {
                    assertTrue(text.contains("order") && text.contains("log10"), n + ": y axis and scale");
                }
            }
        }
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void unknownMachineIsOneLineAndStatus2() {
        assertEquals(2, run("compare", "nic-jumbo-nosg", "--machines", "i386-1g,nope"));
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("pagealloc: unknown machine 'nope'"), e);
        assertEquals("", out.toString());
    }

    @Test
    void emptyOrRepeatedMachinesAreStatus2() {
        assertEquals(2, run("compare", "nic-jumbo-nosg", "--machines", "i386-1g,,x86_64-4g"));
        assertTrue(err.toString().startsWith("pagealloc: --machines i386-1g,,x86_64-4g: empty machine name"),
                err.toString());
        assertEquals(2, run("compare", "nic-jumbo-nosg", "--machines", "i386-1g,i386-1g"));
        assertEquals("pagealloc: --machines: machine 'i386-1g' given twice", err.toString().strip());
        assertEquals(2, run("compare", "nic-jumbo-nosg"));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--machines"), err.toString());
    }

    @Test
    void phaseJobIsStatus2() {
        assertEquals(2, run("compare", "pagecache-pressure", "--machines", "i386-1g"));
        assertEquals("pagealloc: pagecache-pressure is a [[phase]] job: compare needs a trace, .pgw or generator job",
                err.toString().strip());
    }
}
