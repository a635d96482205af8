package dev.pagealloc.harness.charts;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.AbstractXYItemRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;

/**
 * Draws item {@code row * columns + column} as the cell from {@code edges[column]} to {@code edges[column + 1]} and
 * {@code row - 0.5} to {@code row + 0.5}. JFreeChart's XYBlockRenderer has one width for all blocks; snapshots taken
 * every N events are not evenly spaced in emulated time. A run of cells of one color in a row is drawn as one
 * rectangle by its first cell, which keeps the SVG small.
 */
final class HeatmapRenderer extends AbstractXYItemRenderer {
    private static final double OVERLAP = 1.0;

    private final double[] edges;
    private final HeatScale scale;

    HeatmapRenderer(double[] edges, HeatScale scale) {
        this.edges = edges;
        this.scale = scale;
    }

    @Override
    public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea, PlotRenderingInfo info,
            XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset, int series, int item,
            CrosshairState crosshairState, int pass) {
        double z = ((XYZDataset) dataset).getZValue(series, item);
        if (Double.isNaN(z)) {
            return;
        }
        XYZDataset xyz = (XYZDataset) dataset;
        int columns = edges.length - 1;
        int row = item / columns;
        int column = item % columns;
        int level = scale.level(z);
        if (column > 0 && sameLevel(xyz, series, item - 1, level)) {
            return; // drawn with the run's first cell
        }
        int end = column;
        while (end + 1 < columns && sameLevel(xyz, series, row * columns + end + 1, level)) {
            end++;
        }
        double x0 = domainAxis.valueToJava2D(edges[column], dataArea, plot.getDomainAxisEdge());
        double x1 = domainAxis.valueToJava2D(edges[end + 1], dataArea, plot.getDomainAxisEdge());
        double y0 = rangeAxis.valueToJava2D(row - 0.5, dataArea, plot.getRangeAxisEdge());
        double y1 = rangeAxis.valueToJava2D(row + 0.5, dataArea, plot.getRangeAxisEdge());
        // Cells reach a pixel into their right and upper neighbours, which are drawn later (row by row from the
        // bottom, columns left to right): otherwise antialiasing SVG viewers show hairline seams between cells.
        Rectangle2D cell = new Rectangle2D.Double(Math.min(x0, x1), Math.min(y0, y1) - OVERLAP,
                Math.abs(x1 - x0) + OVERLAP, Math.abs(y1 - y0) + OVERLAP);
        // Crisp edges in the PNG.
        Object aa = g2.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g2.setPaint(scale.getPaint(z));
        g2.fill(cell);
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
    }

    private boolean sameLevel(XYZDataset d, int series, int item, int level) {
        double z = d.getZValue(series, item);
        return !Double.isNaN(z) && scale.level(z) == level;
    }
}
