package dev.pagealloc.harness.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.w3c.dom.NodeList;

/** {@link Charts}: readable PNG and well-formed SVG with the labels as text, identical bytes on a second run. */
class ChartsTest {
    @TempDir Path dir;

    static LineChart threeSeries(boolean logY, boolean step) {
        double[] t = new double[200];
        double[][] y = new double[3][200];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 0.05;
            y[0][i] = 250_000 - 900 * i;
            y[1][i] = 40_000 + 30_000 * Math.sin(i / 15.0);
            y[2][i] = i % 50 == 0 ? 0 : 1_000 + 10 * i;
        }
        return new LineChart("Free pages per zone", "emulated time (s)", "free pages",
                List.of(new Series("DMA", t, y[0]), new Series("Normal", t, y[1]), new Series("HighMem", t, y[2])),
                logY, step);
    }

    static Heatmap buddyinfo() {
        int columns = 120;
        double[] t = new double[columns];
        String[] orders = new String[11];
        double[][] free = new double[11][columns];
        for (int c = 0; c < columns; c++) {
            t[c] = c * c * 0.001; // uneven snapshot times, as with a snapshot every N events
        }
        for (int o = 0; o < 11; o++) {
            orders[o] = "order " + o;
            for (int c = 0; c < columns; c++) {
                free[o][c] = Math.max(0, (11 - o) * 300 - o * c * 3 + 50 * Math.sin(c / 7.0 + o));
            }
        }
        return new Heatmap("Free blocks per order", "emulated time (s)", "order", t, orders, free, "free blocks");
    }

    @Test
    void lineChartHasItsSizeTitleLabelsAndLegend() throws Exception {
        Path svg = dir.resolve("free.svg");
        Path png = dir.resolve("free.png");
        Charts.write(threeSeries(false, false), svg, png);
        assertPng(png);
        List<String> text = assertSvg(svg);
        for (String s : List.of("Free pages per zone", "emulated time (s)", "free pages", "DMA", "Normal", "HighMem")) {
            assertTrue(text.contains(s), () -> s + " not among the SVG's text elements " + text);
        }
    }

    @Test
    void logAxisLabelsWholeDecadesAndZero() throws Exception {
        Path svg = dir.resolve("log.svg");
        Charts.write(threeSeries(true, true), svg, null);
        List<String> text = assertSvg(svg);
        for (String s : List.of("0", "1,000", "10,000", "100,000")) {
            assertTrue(text.contains(s), () -> s + " not among the SVG's text elements " + text);
        }
        assertFalse(text.stream().anyMatch(t -> t.matches("[0-9,]+\\.[0-9]+")), () -> "fractional tick in " + text);
    }

    @Test
    void heatmapHasItsSizeTitleLabelsRowsAndColorScale() throws Exception {
        Path svg = dir.resolve("orders.svg");
        Path png = dir.resolve("orders.png");
        Charts.write(buddyinfo(), svg, png);
        assertPng(png);
        List<String> text = assertSvg(svg);
        for (String s : List.of("Free blocks per order", "emulated time (s)", "order", "order 0", "order 10",
                "free blocks")) {
            assertTrue(text.contains(s), () -> s + " not among the SVG's text elements " + text);
        }
    }

    @Test
    void secondRunWritesTheSameBytes() throws IOException {
        for (boolean logY : new boolean[] {false, true}) {
            Charts.write(threeSeries(logY, true), dir.resolve("a.svg"), dir.resolve("a.png"));
            Charts.write(threeSeries(logY, true), dir.resolve("b.svg"), dir.resolve("b.png"));
            assertSameBytes(dir.resolve("a.svg"), dir.resolve("b.svg"));
            assertSameBytes(dir.resolve("a.png"), dir.resolve("b.png"));
        }
        Charts.write(buddyinfo(), dir.resolve("c.svg"), dir.resolve("c.png"));
        Charts.write(buddyinfo(), dir.resolve("d.svg"), dir.resolve("d.png"));
        assertSameBytes(dir.resolve("c.svg"), dir.resolve("d.svg"));
        assertSameBytes(dir.resolve("c.png"), dir.resolve("d.png"));
    }

    @Test
    void pngCarriesNoTimestamp() throws IOException {
        Charts.write(buddyinfo(), null, dir.resolve("h.png"));
        for (String chunk : pngChunks(Files.readAllBytes(dir.resolve("h.png")))) {
            assertTrue(List.of("IHDR", "IDAT", "IEND").contains(chunk), "unexpected PNG chunk " + chunk);
        }
    }

    @Test
    void emptyAndZeroDataDoNotThrow() throws Exception {
        double[] none = {};
        double[] t = {0, 1, 2};
        double[] zeros = {0, 0, 0};
        List<LineChart> lines = List.of(
                new LineChart("no series", "t (s)", "pages", List.of(), false, false),
                new LineChart("no series, log", "t (s)", "pages", List.of(), true, true),
                new LineChart("empty series", "t (s)", "pages", List.of(new Series("e", none, none)), true, true),
                new LineChart("zeros, log", "t (s)", "pages", List.of(new Series("z", t, zeros)), true, false),
                new LineChart("one point", "t (s)", "pages", List.of(new Series("p", new double[] {1}, new double[] {5})),
                        true, true),
                new LineChart(null, null, null, List.of(new Series("same", t, zeros), new Series("same", t, t)),
                        false, false));
        int i = 0;
        for (LineChart c : lines) {
            Path svg = dir.resolve("l" + i + ".svg");
            Path png = dir.resolve("l" + i++ + ".png");
            assertDoesNotThrow(() -> Charts.write(c, svg, png), c.title());
            assertPng(png);
            assertSvg(svg);
        }
        List<Heatmap> maps = List.of(
                new Heatmap("no rows", "t (s)", "order", none, new String[0], new double[0][], "free"),
                new Heatmap("no columns", "t (s)", "order", none, new String[] {"0", "1"}, new double[2][0], "free"),
                new Heatmap("zeros", "t (s)", "order", t, new String[] {"0"}, new double[][] {zeros}, "free"),
                new Heatmap("one column", "t (s)", "order", new double[] {3}, new String[] {"0"},
                        new double[][] {{Double.NaN}}, "free"));
        for (Heatmap h : maps) {
            Path svg = dir.resolve("h" + i + ".svg");
            Path png = dir.resolve("h" + i++ + ".png");
            assertDoesNotThrow(() -> Charts.write(h, svg, png), h.title());
            assertPng(png);
            assertSvg(svg);
        }
    }

    @Test
    void mismatchedArraysAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Series("s", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> new Heatmap("h", "x", "y", new double[2], new String[] {"0"}, new double[][] {{1}}, "v"));
    }

    @Test
    void writingLeavesNoTemporaryFiles() throws IOException {
        Charts.write(threeSeries(false, false), dir.resolve("out/x.svg"), dir.resolve("out/x.png"));
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertEquals(List.of("x.png", "x.svg"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static void assertPng(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(500, image.getHeight());
    }

    /** Parses the SVG and returns the content of its text elements. */
    private static List<String> assertSvg(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // No DOCTYPE: a reader of the SVG must not need the network for a DTD.
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertTrue(doc.getElementsByTagNameNS("*", "path").getLength() > 0, "no <path>");
        assertTrue(doc.getElementsByTagNameNS("*", "rect").getLength() > 0, "no <rect>");
        NodeList texts = doc.getElementsByTagNameNS("*", "text");
        assertTrue(texts.getLength() > 0, "no <text>");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            out.add(texts.item(i).getTextContent());
        }
        return out;
    }

    private static void assertSameBytes(Path a, Path b) throws IOException {
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), a + " and " + b + " differ");
    }

    private static List<String> pngChunks(byte[] png) {
        List<String> chunks = new ArrayList<>();
        for (int p = 8; p + 8 <= png.length; ) {
            int length = ((png[p] & 0xFF) << 24) | ((png[p + 1] & 0xFF) << 16) | ((png[p + 2] & 0xFF) << 8) | (png[p + 3] & 0xFF);
            chunks.add(new String(png, p + 4, 4, StandardCharsets.US_ASCII));
            p += 12 + length;
        }
        assertFalse(chunks.isEmpty());
        return chunks;
    }
}
