package dev.pagealloc.harness.charts;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;
import org.jfree.svg.util.DoubleConverter;

/**
 * Writes charts as SVG and PNG, {@value Style#WIDTH}x{@value Style#HEIGHT}. The same input gives byte-identical files
 * on the same machine (fonts come from the system, so another machine may differ). Either path may be null to skip
 * that format. Files appear complete or not at all.
 */
public final class Charts {
    static {
        // Before any AWT class asks: a CLI that writes files must not need a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // JFreeChart otherwise draws rotated labels (the y axis) as glyph outlines: no text in the SVG to search.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private Charts() {}

    public static void write(LineChart c, Path svg, Path png) {
        write(LineCharts.build(c), svg, png);
    }

    public static void write(Heatmap h, Path svg, Path png) {
        write(Heatmaps.build(h), svg, png);
    }

    private static void write(JFreeChart chart, Path svg, Path png) {
        try {
            if (svg != null) {
                AtomicFiles.write(svg, svg(chart).getBytes(StandardCharsets.UTF_8));
            }
            if (png != null) {
                AtomicFiles.write(png, png(chart));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String svg(JFreeChart chart) {
        SVGGraphics2D g = new SVGGraphics2D(Style.WIDTH, Style.HEIGHT);
        // The default prefix is System.nanoTime(): clip-path ids would change on every run.
        g.setDefsKeyPrefix("pagealloc-");
        // Two decimals are finer than any screen and keep the file small.
        g.setGeomDoubleConverter(new DoubleConverter(2));
        g.setTransformDoubleConverter(new DoubleConverter(4));
        chart.draw(g, new Rectangle2D.Double(0, 0, Style.WIDTH, Style.HEIGHT));
        g.dispose();
        // Not getSVGDocument(): its SVG 1.0 DOCTYPE makes XML parsers fetch a DTD from w3.org. The viewBox lets
        // browsers scale the chart.
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + g.getSVGElement(null, true, new ViewBox(0, 0, Style.WIDTH, Style.HEIGHT), null, null) + "\n";
    }

    /** ImageIO's PNG writer adds no tIME or text chunks, so the bytes depend on the pixels only. */
    static byte[] png(JFreeChart chart) throws IOException {
        BufferedImage image = new BufferedImage(Style.WIDTH, Style.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        chart.draw(g, new Rectangle2D.Double(0, 0, Style.WIDTH, Style.HEIGHT));
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this JDK");
        }
        return out.toByteArray();
    }
}
