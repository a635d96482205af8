package dev.pagealloc.harness.charts;

import java.util.List;
import java.util.Objects;

/**
 * A line chart of several series. Labels carry their units, e.g. "emulated time (s)". With {@code logY}, values
 * {@code <= 0} are drawn on the axis floor, labelled "0"; data spanning less than two decades keeps a linear axis.
 * {@code step} holds each value until the next x, as a counter does between samples.
 */
public record LineChart(String title, String xLabel, String yLabel, List<Series> series, boolean logY, boolean step) {
    public LineChart {
        title = Objects.requireNonNullElse(title, "");
        xLabel = Objects.requireNonNullElse(xLabel, "");
        yLabel = Objects.requireNonNullElse(yLabel, "");
        series = List.copyOf(series);
    }
}
