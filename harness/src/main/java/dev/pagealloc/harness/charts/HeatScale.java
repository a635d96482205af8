package dev.pagealloc.harness.charts;

import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * A linear viridis scale from {@code lower} to {@code upper}, never empty (all-zero data gets [0, 1]), in
 * {@link #LEVELS} steps: as fine as the legend strip draws it, and coarse enough that runs of equal cells can be
 * drawn as one rectangle (a 600-sample heatmap was 680 KB of SVG cell by cell).
 */
record HeatScale(double lower, double upper) implements PaintScale {
    static final int LEVELS = 64;

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

    /** The step of {@code value}: 0 at or below {@code lower}, LEVELS - 1 at or above {@code upper}. */
    int level(double value) {
        double f = (value - lower) / (upper - lower);
        return (int) Math.max(0, Math.min(LEVELS - 1, Math.floor(f * LEVELS)));
    }

    @Override
    public Paint getPaint(double value) {
        return Palette.heat(level(value) / (double) (LEVELS - 1));
    }
}
