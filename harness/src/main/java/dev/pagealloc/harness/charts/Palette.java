package dev.pagealloc.harness.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;

/** Fixed colors, so that the same series order gives the same colors in every chart and every run. */
final class Palette {
    /** Tableau 10: distinct on white and for most color-blind readers. */
    private static final Color[] SERIES = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC),
    };

    /** Dash patterns for the 2nd, 3rd... round of colors: 11 orders must not share a look with orders 0 and 1. */
    private static final float[][] DASHES = {null, {6f, 3f}, {2f, 2f}, {8f, 3f, 2f, 3f}};

    /** Viridis at 9 stops: perceptually uniform, readable in grey, no red/green confusion. */
    private static final Color[] HEAT = {
        new Color(0x440154), new Color(0x472C7A), new Color(0x3B518B), new Color(0x2C718E), new Color(0x21908D),
        new Color(0x27AD81), new Color(0x5CC863), new Color(0xAADC32), new Color(0xFDE725),
    };

    private Palette() {}

    static Color series(int i) {
        return SERIES[i % SERIES.length];
    }

    static Stroke seriesStroke(int i) {
        float[] dash = DASHES[(i / SERIES.length) % DASHES.length];
        return new BasicStroke(1.75f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
    }

    /** The heat color of {@code t} in [0, 1], interpolated between the stops. */
    static Color heat(double t) {
        double p = Math.clamp(t, 0.0, 1.0) * (HEAT.length - 1);
        int i = Math.min((int) p, HEAT.length - 2);
        double f = p - i;
        Color a = HEAT[i];
        Color b = HEAT[i + 1];
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
