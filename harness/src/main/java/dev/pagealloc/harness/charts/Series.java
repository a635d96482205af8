package dev.pagealloc.harness.charts;

import java.util.Objects;

/** One line of a {@link LineChart}: points {@code (x[i], y[i])}, x ascending; NaN y leaves a gap. */
public record Series(String name, double[] x, double[] y) {
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        }
    }
}
