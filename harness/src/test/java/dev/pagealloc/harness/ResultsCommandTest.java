package dev.pagealloc.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

/**
 * {@code pagealloc results} regenerates the committed {@code results/}: a regeneration here, on
 * another machine at another time than the committed one, must give byte-identical files (so the
 * committed reports are both reproducible and current), and every chart must render.
 */
class ResultsCommandTest {
    /** The repository's results/ (tests run in the harness module's folder). */
    private static final Path COMMITTED = Path.of("..", "results");

    private static int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(new StringWriter()));
        cmd.setErr(new PrintWriter(new StringWriter()));
        return cmd.execute(args);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void regeneratingGivesTheCommittedFilesByteForByte(@TempDir Path tmp) throws Exception {
        assertEquals(0, run("results", "--out", tmp.toString()));
        Path fresh = tmp.resolve("compare");
        Path committed = COMMITTED.resolve("compare");
        TreeSet<Path> names = new TreeSet<>(files(fresh));
        assertEquals(names, new TreeSet<>(files(committed)),
                "results/compare holds other files than ./pagealloc results writes: rerun it and commit");
        // Charts are drawn with the logical SansSerif font; the committed ones were drawn where it is
        // DejaVu Sans. Elsewhere glyph metrics differ, so only the numbers (text, JSON, README) are
        // held to the committed bytes, and the charts to a second regeneration on this machine.
        boolean sameFonts = committedFontsInstalled();
        List<Path> charts = new ArrayList<>();
        for (Path f : names) {
            if (!sameFonts && isChart(f)) {
                charts.add(f);
                continue;
            }
            assertArrayEquals(Files.readAllBytes(committed.resolve(f)), Files.readAllBytes(fresh.resolve(f)),
                    "results/compare/" + f + " is stale or not deterministic: rerun ./pagealloc results");
        }
        if (!charts.isEmpty()) {
            Path again = tmp.resolve("again");
            assertEquals(0, run("results", "--out", again.toString(), "--only", "nic-jumbo-vs-sg"));
            for (Path f : charts) {
                if (f.startsWith("nic-jumbo-vs-sg")) {
                    assertArrayEquals(Files.readAllBytes(fresh.resolve(f)),
                            Files.readAllBytes(again.resolve("compare").resolve(f)), f + " differs between two runs");
                }
            }
        }
        for (String f : List.of("qemu-4g-6.1.txt", "qemu-4g-6.1.json")) {
            assertEquals(Files.readString(COMMITTED.resolve("highalloc").resolve(f)),
                    Files.readString(tmp.resolve("highalloc").resolve(f)), "results/highalloc/" + f);
        }
        assertEquals(ResultsCommand.REPORTS.size(), (int) Files.list(fresh).filter(Files::isDirectory).count());
    }

    private static boolean isChart(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".png") || n.endsWith(".svg");
    }

    /** Whether SansSerif can be what the committed charts were drawn with (fontconfig's DejaVu Sans). */
    private static boolean committedFontsInstalled() {
        return List.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames())
                .contains("DejaVu Sans");
    }

    /** Every PNG decodes to its size, every SVG parses as XML with content, every README image exists. */
    @Test
    void everyCommittedChartRendersAndEveryReadmeImageExists() throws Exception {
        var xml = DocumentBuilderFactory.newInstance();
        xml.setNamespaceAware(true);
        int png = 0;
        int svg = 0;
        for (Path f : files(COMMITTED.resolve("compare"))) {
            Path p = COMMITTED.resolve("compare").resolve(f);
            String name = f.getFileName().toString();
            if (name.endsWith(".png")) {
                BufferedImage img = ImageIO.read(p.toFile());
                assertTrue(img != null && img.getWidth() >= 600 && img.getHeight() >= 300, f + " does not decode");
                png++;
            } else if (name.endsWith(".svg")) {
                Document d = xml.newDocumentBuilder().parse(p.toFile());
                assertEquals("svg", d.getDocumentElement().getLocalName(), f.toString());
                assertTrue(d.getElementsByTagNameNS("*", "text").getLength() > 3, f + ": no labels");
                assertTrue(d.getElementsByTagNameNS("*", "rect").getLength()
                        + d.getElementsByTagNameNS("*", "path").getLength() > 5, f + ": nothing drawn");
                svg++;
            } else if (name.equals("README.md")) {
                String md = Files.readString(p);
                Matcher m = Pattern.compile("\\]\\(([^)]+\\.(?:svg|png|md))\\)").matcher(md);
                List<String> missing = new ArrayList<>();
                while (m.find()) {
                    if (!Files.exists(p.getParent().resolve(m.group(1)))) {
                        missing.add(m.group(1));
                    }
                }
                assertTrue(missing.isEmpty(), f + " links to missing files " + missing);
            }
        }
        assertEquals(png, svg);
        assertTrue(png > 50, "only " + png + " charts");
    }

    /** The 4 GiB report's table is the must-hold: i386-PAE fails more often than x86_64 with lowmem page cache. */
    @Test
    void theFourGibReportShowsI386PaeFailingMoreWithBlockDevicePageCache() throws Exception {
        String txt = Files.readString(COMMITTED.resolve("compare/layouts-4g/compare.txt"));
        Matcher m = Pattern.compile("(?m)^Failed allocations +(\\d+) +(\\d+) +(\\d+) +(\\d+)$").matcher(txt);
        assertTrue(m.find(), txt);
        // columns: nic-jumbo-nosg x86_64-4g, i386-pae-4g, then nic-jumbo-nosg-bdev x86_64-4g, i386-pae-4g
        assertTrue(txt.contains("nic-jumbo-nosg-bdev x86_64-4g  nic-jumbo-nosg-bdev i386-pae-4g"), txt);
        long bdevX86 = Long.parseLong(m.group(3));
        long bdevI386 = Long.parseLong(m.group(4));
        assertTrue(bdevI386 > 10 * Math.max(1, bdevX86), bdevI386 + " vs " + bdevX86);
    }

    /**
     * With machines and kernels both varying, each column is measured against the first machine of
     * its own kernel: the ratio row is the failure row divided within each kernel's pair.
     */
    @Test
    void ratiosAreAgainstTheFirstMachineOfTheSameKernel() throws Exception {
        String txt = Files.readString(COMMITTED.resolve("compare/kernels-4g/compare.txt"));
        long[] f = cells(txt, "Failed allocations");
        String[] r = Pattern.compile(" {2,}").split(line(txt, "Failures vs first machine").strip());
        // x86_64-4g 2.6.32, i386-pae-4g 2.6.32, x86_64-4g 6.1, i386-pae-4g 6.1
        assertEquals(CompareOutput.ratio(f[0], f[0]), r[1]);
        assertEquals(CompareOutput.ratio(f[1], f[0]), r[2]);
        assertEquals(CompareOutput.ratio(f[2], f[2]), r[3]);
        assertEquals(CompareOutput.ratio(f[3], f[2]), r[4]);
        assertEquals("74.17x", CompareOutput.ratio(15057, 203));
        assertEquals("-", CompareOutput.ratio(4435, 0));
        assertEquals("-0.009923", CompareOutput.delta(4_001_846_000L, 4_011_769_000L));
        assertEquals("-", CompareOutput.delta(-1, 4_011_769_000L));
    }

    private static String line(String txt, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "  .*$").matcher(txt);
        assertTrue(m.find(), label + " not in\n" + txt);
        return m.group();
    }

    private static long[] cells(String txt, String label) {
        String[] c = Pattern.compile(" {2,}").split(line(txt, label).strip());
        long[] out = new long[c.length - 1];
        for (int i = 1; i < c.length; i++) {
            out[i - 1] = Long.parseLong(c[i]);
        }
        return out;
    }

    @Test
    void anUnknownReportIsAUsageError() {
        assertEquals(2, run("results", "--only", "no-such-report", "--out", "target/never"));
        assertTrue(!Files.exists(Path.of("target/never/compare/no-such-report")));
    }
}
