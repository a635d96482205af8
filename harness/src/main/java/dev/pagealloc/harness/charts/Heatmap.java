package dev.pagealloc.harness.charts;

import java.util.Objects;

/**
 * A grid of colored cells: {@code values[row][column]}, one row per label in {@code rows} (bottom to top), one column
 * per {@code x} (ascending; a column spans to the next x). NaN cells stay blank. The color scale is labelled
 * {@code valueLabel}.
 */
public record Heatmap(
        String title, String xLabel, String yLabel, double[] x, String[] rows, double[][] values, String valueLabel) {
    public Heatmap {
        title = Objects.requireNonNullElse(title, "");
        xLabel = Objects.requireNonNullElse(xLabel, "");
        yLabel = Objects.requireNonNullElse(yLabel, "");
        valueLabel = Objects.requireNonNullElse(valueLabel, "");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(values, "values");
        if (values.length != rows.length) {
            throw new IllegalArgumentException(values.length + " value rows for " + rows.length + " row labels");
        }
        for (int r = 0; r < values.length; r++) {
            if (values[r].length != x.length) {
                throw new IllegalArgumentException(
                        "row " + rows[r] + ": " + values[r].length + " values for " + x.length + " x values");
            }
        }
    }
}
