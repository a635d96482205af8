package dev.pagealloc.harness.charts;

import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/** A linear viridis scale from {@code lower} to {@code upper}, never empty (all-zero data gets [0, 1]). */
record HeatScale(double lower, double upper) implements PaintScale {
    static HeatScale of(double[][] values) {
        double min = 0;
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return new HeatScale(min, max > min ? max : min + 1);
    }

    @Override
    public double getLowerBound() {
        return lower;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        return Palette.heat((value - lower) / (upper - lower));
    }
}
