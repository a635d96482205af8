package dev.pagealloc.harness.charts;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/** Builds the JFreeChart of a {@link Heatmap}, with its color scale on the right. */
final class Heatmaps {
    private Heatmaps() {}

    static JFreeChart build(Heatmap h) {
        int rows = h.rows().length;
        int columns = h.x().length;
        DefaultXYZDataset data = new DefaultXYZDataset();
        double[][] xyz = new double[3][rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = r * columns + c;
                xyz[0][i] = h.x()[c];
                xyz[1][i] = r;
                xyz[2][i] = h.values()[r][c];
            }
        }
        data.addSeries(h.valueLabel(), xyz);
        double[] edges = edges(h.x());
        HeatScale scale = HeatScale.of(h.values());

        NumberAxis x = Style.numberAxis(h.xLabel());
        x.setAutoRangeIncludesZero(false);
        if (columns > 0 && edges[columns] > edges[0]) {
            x.setRange(edges[0], edges[columns]);
        }
        SymbolAxis y = new SymbolAxis(h.yLabel(), h.rows());
        y.setGridBandsVisible(false);
        y.setRange(-0.5, Math.max(rows, 1) - 0.5);
        XYPlot plot = new XYPlot(data, x, y, new HeatmapRenderer(edges, scale));
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = Style.chart(h.title(), plot, false);
        chart.addSubtitle(legend(scale, h.valueLabel()));
        return chart;
    }

    private static PaintScaleLegend legend(HeatScale scale, String label) {
        NumberAxis axis = Style.numberAxis(label);
        Style.axis(axis);
        axis.setRange(scale.lower(), scale.upper());
        PaintScaleLegend legend = new PaintScaleLegend(scale, axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
        legend.setStripWidth(14);
        legend.setSubdivisionCount(64);
        legend.setMargin(new RectangleInsets(8, 12, 8, 4));
        return legend;
    }

    /** Column boundaries: column c spans x[c]..x[c+1]; the last one as wide as the one before it (or 1). */
    static double[] edges(double[] x) {
        int n = x.length;
        double[] e = new double[n + 1];
        System.arraycopy(x, 0, e, 0, n);
        if (n > 0) {
            e[n] = x[n - 1] + (n > 1 && x[n - 1] > x[n - 2] ? x[n - 1] - x[n - 2] : 1);
        }
        return e;
    }
}
