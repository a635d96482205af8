package dev.pagealloc.harness.charts;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYDataset;

/** Builds the JFreeChart of a {@link LineChart}. */
final class LineCharts {
    private LineCharts() {}

    static JFreeChart build(LineChart c) {
        double floor = c.logY() ? logFloor(c) : 0;
        boolean log = floor > 0;
        DefaultXYDataset data = new DefaultXYDataset();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        // One <path> per series in SVG instead of one per segment, and proper line joins.
        renderer.setDrawSeriesLineAsPath(true);
        Set<String> keys = new HashSet<>();
        int i = 0;
        for (Series s : c.series()) {
            double[][] xy = c.step() ? steps(s.x(), s.y()) : new double[][] {s.x().clone(), s.y().clone()};
            if (log) {
                clampBelow(xy[1], floor);
            }
            // DefaultXYDataset silently replaces a series with an equal key; keep both lines.
            String key = s.name();
            for (int n = 2; !keys.add(key); n++) {
                key = s.name() + " #" + n;
            }
            data.addSeries(key, xy);
            renderer.setSeriesPaint(i, Palette.series(i));
            renderer.setSeriesStroke(i, Palette.seriesStroke(i));
            i++;
        }
        NumberAxis x = Style.numberAxis(c.xLabel());
        x.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, log ? logAxis(c.yLabel(), floor) : linearAxis(c.yLabel()), renderer);
        return Style.chart(c.title(), plot, true);
    }

    private static ValueAxis linearAxis(String label) {
        NumberAxis y = Style.numberAxis(label);
        y.setAutoRangeIncludesZero(true);
        return y;
    }

    private static ValueAxis logAxis(String label, double floor) {
        LogAxis y = new FloorLogAxis(label, floor);
        y.setSmallestValue(floor);
        // Whole decades only: labels like 251,188.643 (10^5.4) are noise. 9 minor ticks mark 2x..9x.
        TickUnits decades = new TickUnits();
        for (int d : new int[] {1, 2, 3, 5, 10, 20}) {
            decades.add(new NumberTickUnit(d, NumberFormat.getNumberInstance(Locale.ROOT), 9));
        }
        y.setStandardTickUnits(decades);
        y.setMinorTickMarksVisible(true);
        return y;
    }

    /**
     * Labels ticks with plain numbers ("1,000", and "0" at the floor where values {@code <= 0} are drawn). LogAxis
     * itself makes attributed labels (10 with a superscript 3), which JFreeSVG draws as glyph outlines, not text.
     */
    private static final class FloorLogAxis extends LogAxis {
        private final double floor;

        FloorLogAxis(String label, double floor) {
            super(label);
            this.floor = floor;
        }

        @Override
        @SuppressWarnings("rawtypes") // overrides a raw List
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            NumberFormat plain = NumberFormat.getNumberInstance(Locale.ROOT);
            List<ValueTick> ticks = new ArrayList<>();
            for (Object o : super.refreshTicks(g2, state, dataArea, edge)) {
                ValueTick t = (ValueTick) o;
                double v = t.getValue();
                String text = t.getTickType() == TickType.MINOR ? "" : v <= floor * (1 + 1e-9) ? "0" : plain.format(v);
                ticks.add(new NumberTick(t.getTickType(), v, text, t.getTextAnchor(), t.getRotationAnchor(), t.getAngle()));
            }
            return ticks;
        }
    }

    /**
     * Where values {@code <= 0} go on a log axis: one decade below the smallest positive value, so a zero stays
     * visibly apart from a one (the axis labels it "0"). 0, meaning a linear axis, when the positive values span less
     * than two decades: whole-decade ticks would leave such an axis with one label or none.
     */
    private static double logFloor(LineChart c) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Series s : c.series()) {
            for (double v : s.y()) {
                if (v > 0 && v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
        }
        return max >= 100 * min ? Math.pow(10, Math.floor(Math.log10(min)) - 1) : 0;
    }

    private static void clampBelow(double[] y, double floor) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] <= 0) {
                y[i] = floor;
            }
        }
    }

    /** The corners of a step line: each y holds until the next x. */
    static double[][] steps(double[] x, double[] y) {
        int n = x.length;
        double[][] out = new double[2][Math.max(0, 2 * n - 1)];
        for (int i = 0; i < n; i++) {
            out[0][2 * i] = x[i];
            out[1][2 * i] = y[i];
            if (i + 1 < n) {
                out[0][2 * i + 1] = x[i + 1];
                out[1][2 * i + 1] = y[i];
            }
        }
        return out;
    }
}
