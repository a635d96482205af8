package dev.pagealloc.harness.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The one look of every chart. Fonts are the logical "SansSerif" (never the JFreeChart default Tahoma, which Linux
 * lacks and SVG viewers would substitute), numbers use {@link Locale#ROOT}, and rendering hints are fixed, so that
 * output depends only on the data and the installed fonts.
 */
final class Style {
    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color TEXT = new Color(0x222222);
    private static final Color GRID = new Color(0xDDDDDD);
    private static final Color OUTLINE = new Color(0x999999);

    private Style() {}

    static JFreeChart chart(String title, XYPlot plot, boolean legend) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(OUTLINE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setNoDataMessage("no data");
        plot.setNoDataMessageFont(LABEL);
        plot.setNoDataMessagePaint(TEXT);
        axis(plot.getDomainAxis());
        axis(plot.getRangeAxis());

        JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
        chart.getTitle().setPaint(TEXT);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 8));
        chart.setRenderingHints(new RenderingHints(Map.of(
                RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON,
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON,
                RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON,
                RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE,
                RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY)));
        LegendTitle l = chart.getLegend();
        if (l != null) {
            l.setItemFont(LABEL);
            l.setItemPaint(TEXT);
            l.setFrame(BlockBorder.NONE);
            l.setBackgroundPaint(Color.WHITE);
        }
        return chart;
    }

    /** A number axis whose tick labels do not depend on the default locale. */
    static NumberAxis numberAxis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
        return a;
    }

    static void axis(Axis a) {
        a.setLabelFont(LABEL);
        a.setLabelPaint(TEXT);
        a.setTickLabelFont(TICK);
        a.setTickLabelPaint(TEXT);
        a.setAxisLinePaint(OUTLINE);
        a.setTickMarkPaint(OUTLINE);
    }
}
