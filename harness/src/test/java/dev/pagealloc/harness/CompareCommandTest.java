package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** The short runs of both NIC jobs: the same page cache stream, order-3 or order-0 refills. */
    private static final String[] SHORT = {"--set", "duration_ms=1500", "--set", "nic.start_ms=1000"};

    @Test
    void workloadColumnsAreTheSingleReplays() {
        String[] cmd = concat(new String[] {"compare", "nic-jumbo-nosg", "nic-sg", "--machines", "x86_64-1g", "--json"},
                SHORT);
        assertEquals(0, run(cmd), () -> "stderr: " + err);
        JsonNode cmp = JSON.readTree(out.toString());
        assertEquals("2.6.32", cmp.get("kernel").asString());
        assertNull(cmp.get("inputs"), "two workloads share no inputs");
        JsonNode cols = cmp.get("machines");
        assertEquals(2, cols.size());
        String[] workloads = {"nic-jumbo-nosg", "nic-sg"};
        for (int i = 0; i < workloads.length; i++) {
            JsonNode c = cols.get(i);
            assertEquals(workloads[i], c.get("label").asString()); // only the workload varies
            assertEquals(workloads[i], c.get("input").asString());
            assertEquals("x86_64-1g", c.get("machine").asString());
            assertEquals("2.6.32", c.get("kernel").asString());
            assertEquals(replaySummary(workloads[i], "x86_64-1g", "2.6.32"), c.get("summary"), workloads[i]);
        }
        assertTrue(cols.get(0).get("summary").get("alloc_failures").asLong()
                > cols.get(1).get("summary").get("alloc_failures").asLong(), "order 3 fails where order 0 does not");
    }

    @Test
    void kernelColumnsAreTheSingleReplays() {
        assertEquals(0, run(args("compare", "--machines", "x86_64-1g", "--kernel", "2.6.32,6.1", "--json")),
                () -> "stderr: " + err);
        JsonNode cmp = JSON.readTree(out.toString());
        assertNull(cmp.get("kernel"), "two kernels share no kernel");
        assertEquals("nic-jumbo-nosg", cmp.get("inputs").get(0).get("name").asString());
        JsonNode cols = cmp.get("machines");
        String[] kernels = {"2.6.32", "6.1"};
        assertEquals(kernels.length, cols.size());
        for (int i = 0; i < kernels.length; i++) {
            JsonNode c = cols.get(i);
            assertEquals(kernels[i], c.get("label").asString());
            assertEquals(kernels[i], c.get("kernel").asString());
            assertEquals("nic-jumbo-nosg", c.get("input").asString());
            assertEquals(replaySummary("nic-jumbo-nosg", "x86_64-1g", kernels[i]), c.get("summary"), kernels[i]);
        }
    }

    /** The {@code summary} of {@code replay WORKLOAD --machine M --kernel K --json} with {@link #SHORT}. */
    private JsonNode replaySummary(String workload, String machine, String kernel) {
        String[] cmd = concat(new String[] {"replay", workload, "--machine", machine, "--kernel", kernel, "--json"},
                SHORT);
        assertEquals(0, run(cmd), () -> "stderr: " + err);
        return JSON.readTree(out.toString()).get("summary");
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }

    @Test
    void labelsNameWhatVariesInTheOrderWorkloadMachineKernel() {
        assertEquals("x86_64-4g", label(false, false, true));
        assertEquals("x86_64-4g", label(false, false, false)); // one column: named by its machine, as always
        assertEquals("nic-sg", label(true, false, false));
        assertEquals("6.1", label(false, true, false));
        assertEquals("nic-sg x86_64-4g", label(true, false, true));
        assertEquals("x86_64-4g 6.1", label(false, true, true));
        assertEquals("nic-sg x86_64-4g 6.1", label(true, true, true));
        assertEquals("nic-sg_x86_64-4g_6.1", CompareOutput.fileName("nic-sg x86_64-4g 6.1"));
    }

    private static String label(boolean workloads, boolean kernels, boolean machines) {
        return CompareOutput.label(new CompareOutput.Varies(workloads, kernels, machines), "nic-sg", "x86_64-4g", "6.1");
    }

    @Test
    void commandWordsAreQuotedOnlyWhenTheShellNeedsIt() {
        assertEquals("runs/cmp-1", CompareCommand.shellWord("runs/cmp-1"));
        assertEquals("nic.mtu=1500", CompareCommand.shellWord("nic.mtu=1500"));
        assertEquals("'my runs/a b'", CompareCommand.shellWord("my runs/a b"));
        assertEquals("'it'\\''s'", CompareCommand.shellWord("it's"));
        assertEquals("''", CompareCommand.shellWord(""));
    }

    @Test
    void repeatedColumnsAreStatus2() {
        assertEquals(2, run("compare", "nic-sg", "nic-jumbo-nosg", "nic-sg", "--machines", "x86_64-1g"));
        assertEquals("pagealloc: workload 'nic-sg' given twice", err.toString().strip());
        assertEquals(2, run("compare", "nic-sg", "--machines", "x86_64-1g", "--kernel", "6.1,2.6.32,6.1"));
        assertEquals("pagealloc: --kernel: kernel '6.1' given twice", err.toString().strip());
        assertEquals(2, run("compare", "nic-sg", "--machines", "x86_64-1g", "--kernel", "2.6.32,4.4"));
        assertTrue(err.toString().startsWith("pagealloc: unknown kernel '4.4'"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertEquals(2, run("compare", "nic-sg", "nope-job", "--machines", "x86_64-1g"));
        assertTrue(err.toString().startsWith("pagealloc: nope-job: no such file"), err.toString());
        assertEquals("", out.toString());
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
    void outWritesRenderableChartsAndAReadmeByteIdenticalFromRunToRun(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        String machines = "i386-1g,x86_64-1g";
        String[] cmd = args("compare", "--machines", machines, "--out", a.toString());
        assertEquals(0, run(cmd), () -> "stderr: " + err);
        String table = out.toString();
        Map<String, byte[]> first = snapshot(a);
        // README.md names the --out DIR as typed, so the second run writes the same DIR again
        assertEquals(0, run(cmd), () -> "stderr: " + err);
        List<String> names = list(a);
        assertEquals(List.copyOf(first.keySet()), names);
        for (String f : new String[] {"README.md", "compare.txt", "compare.json", "failures.svg", "failures.png",
                "free-Normal.svg", "free-HighMem.png", "free-DMA32.svg", "free-lowmem.svg", "free-total.png",
                "heatmap-i386-1g-HighMem.svg", "heatmap-x86_64-1g-DMA32.png"}) {
            assertTrue(names.contains(f), f + " in " + names);
        }
        assertFalse(names.stream().anyMatch(n -> n.startsWith(".")), names.toString());
        assertEquals(table, Files.readString(a.resolve("compare.txt")));
        JsonNode json = JSON.readTree(Files.readString(a.resolve("compare.json")));
        assertEquals(2, json.get("machines").size());
        String readme = Files.readString(a.resolve("README.md"));
        assertTrue(readme.startsWith("# compare nic-jumbo-nosg on i386-1g, x86_64-1g (Linux 2.6.32)\n"), readme);
        assertTrue(readme.contains("```sh\n./pagealloc compare nic-jumbo-nosg --machines i386-1g,x86_64-1g --kernel 2.6.32"
                + " --set duration_ms=1500 --set nic.start_ms=1000 --out " + CompareCommand.shellWord(a.toString())
                + "\n```\n"), readme);
        assertTrue(readme.contains("```text\n" + table + "```\n"), readme);
        assertImagesExist(a, readme);
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        for (String n : names) {
            Path f = a.resolve(n);
            assertArrayEquals(first.get(n), Files.readAllBytes(f), n + " differs between runs");
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

    @Test
    void outWithWorkloadsAndKernelsLabelsColumnsByWhatVaries(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("r");
        String[] cmd = {"compare", "nic-jumbo-nosg", "nic-sg", "--machines", "x86_64-1g", "--kernel", "2.6.32,6.1",
            "--set", "duration_ms=1500", "--set", "nic.start_ms=1000", "--out", dir.toString()};
        assertEquals(0, run(cmd), () -> "stderr: " + err);
        Map<String, byte[]> first = snapshot(dir);
        assertEquals(0, run(cmd), () -> "stderr: " + err);
        assertEquals(List.copyOf(first.keySet()), list(dir));
        for (String n : list(dir)) {
            assertArrayEquals(first.get(n), Files.readAllBytes(dir.resolve(n)), n + " differs between runs");
        }
        String table = out.toString();
        List<String> labels = List.of("nic-jumbo-nosg 2.6.32", "nic-jumbo-nosg 6.1", "nic-sg 2.6.32", "nic-sg 6.1");
        String header = table.lines().filter(l -> l.contains("nic-sg 6.1")).findFirst().orElseThrow();
        assertEquals(labels, List.of(header.strip().split("\\s{2,}")), header);
        assertTrue(table.startsWith("compare nic-jumbo-nosg (job, sha256 "), table);
        assertTrue(table.lines().findFirst().orElseThrow().contains("), nic-sg (job, sha256 "), table);
        assertTrue(table.lines().findFirst().orElseThrow().endsWith(", Linux 2.6.32 / 6.1, seed 1"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("  nic-sg: ")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches(" +x86_64-1g +x86_64-1g +x86_64-1g +x86_64-1g")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches(" +Linux 2.6.32 +Linux 6.1 +Linux 2.6.32 +Linux 6.1")), table);
        for (String label : labels) {
            String f = "heatmap-" + label.replace(' ', '_') + "-DMA32.svg";
            assertTrue(Files.exists(dir.resolve(f)), f);
            assertTrue(Files.readString(dir.resolve("free-DMA32.svg")).contains(label), label + ": legend");
        }
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.startsWith("# compare nic-jumbo-nosg, nic-sg on x86_64-1g (Linux 2.6.32 / 6.1)\n"), readme);
        assertTrue(readme.contains("\n./pagealloc compare nic-jumbo-nosg nic-sg --machines x86_64-1g --kernel 2.6.32,6.1"
                + " --set duration_ms=1500 --set nic.start_ms=1000 --out " + CompareCommand.shellWord(dir.toString())
                + "\n"), readme);
        assertTrue(readme.contains("```text\n" + table + "```\n"), readme);
        assertImagesExist(dir, readme);
        JsonNode json = JSON.readTree(Files.readString(dir.resolve("compare.json")));
        assertNull(json.get("kernel"));
        assertNull(json.get("inputs"));
        assertEquals(1, json.get("seed").asLong());
    }

    /**
     * Every image README.md shows exists in {@code dir}, with its PNG link, the line charts before
     * the heatmaps.
     */
    private static void assertImagesExist(Path dir, String readme) {
        Matcher m = Pattern.compile("!\\[[^\\]]*\\]\\(([^)]+)\\.svg\\) \\(\\[PNG\\]\\(([^)]+)\\.png\\)\\)").matcher(readme);
        List<String> bases = new ArrayList<>();
        while (m.find()) {
            assertEquals(m.group(1), m.group(2));
            bases.add(m.group(1));
        }
        assertTrue(bases.size() >= 5, bases.toString());
        for (String b : bases) {
            assertTrue(Files.exists(dir.resolve(b + ".svg")), b + ".svg");
            assertTrue(Files.exists(dir.resolve(b + ".png")), b + ".png");
        }
        long svgs = list(dir).stream().filter(n -> n.endsWith(".svg")).count();
        assertEquals(svgs, bases.size(), "every chart in README.md");
        assertTrue(bases.indexOf("failures") < bases.size() - 1 && bases.getLast().startsWith("heatmap-"), bases.toString());
        assertTrue(bases.indexOf("free-lowmem") < bases.indexOf("failures"), bases.toString());
    }

    private static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        for (String n : list(dir)) {
            files.put(n, Files.readAllBytes(dir.resolve(n)));
        }
        return files;
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
