package dev.moodtag.train;

import dev.moodtag.support.ShownText;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The report's PNG plots, drawn with JFreeChart (headless); dataset and class names as report.md shows them. */
public final class ReportCharts {
    private ReportCharts() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * A confusion matrix as a heatmap: rows = true class (top to bottom), columns = predicted class; the colour is
     * the row-normalised share (so rare classes are as readable as frequent ones), the text the count and share.
     */
    public static void confusion(Path png, String title, List<String> classes, int[][] cm) {
        int k = classes.size();
        save(png, confusionChart(title, classes, cm), 140 + 80 * k, 90 + 70 * k);
    }

    static JFreeChart confusionChart(String title, List<String> classes, int[][] cm) {
        int k = classes.size();
        double[] xs = new double[k * k], ys = new double[k * k], zs = new double[k * k];
        XYPlot plot = new XYPlot();
        int n = 0;
        for (int t = 0; t < k; t++) {
            int support = 0;
            for (int p = 0; p < k; p++) support += cm[t][p];
            for (int p = 0; p < k; p++) {
                double share = support == 0 ? 0 : cm[t][p] / (double) support;
                xs[n] = p;
                ys[n] = k - 1 - t;
                zs[n++] = share;
                XYTextAnnotation a = new XYTextAnnotation(support == 0 ? "–"
                        : String.format(Locale.ROOT, "%d (%.0f%%)", cm[t][p], 100 * share), p, k - 1 - t);
                a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, k > 8 ? 10 : 13));
                a.setPaint(share > 0.55 ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(a);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share", new double[][]{xs, ys, zs});
        LookupPaintScale scale = new LookupPaintScale(0, 1.0001, Color.WHITE);
        for (int i = 0; i <= 20; i++) {
            float v = i / 20f;
            scale.add(v, new Color(1 - 0.85f * v, 1 - 0.6f * v, 1 - 0.25f * v));
        }
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(scale);
        SymbolAxis xAxis = new SymbolAxis("predicted", classes.stream().map(ReportCharts::shown).toArray(String[]::new));
        String[] rev = new String[k];
        for (int t = 0; t < k; t++) rev[t] = shown(classes.get(k - 1 - t));
        SymbolAxis yAxis = new SymbolAxis("true", rev);
        xAxis.setGridBandsVisible(false);
        yAxis.setGridBandsVisible(false);
        xAxis.setVerticalTickLabels(k > 5);
        plot.setDataset(data);
        plot.setRenderer(r);
        plot.setDomainAxis(xAxis);
        plot.setRangeAxis(yAxis);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(shown(title), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        NumberAxis legendAxis = new NumberAxis("share of the true class");
        legendAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Ablation bars: WA and UA (mean over folds) per modality subset, with ± 1 standard deviation whiskers. */
    public static void ablation(Path png, String title, List<Experiment.SubsetResult> subsets) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (Experiment.SubsetResult s : subsets) {
            String label = s.subset().replace("+", " + ").replace(",", ", "); // spaces let JFreeChart wrap long names
            data.add(100 * s.wa().mean(), 100 * s.wa().std(), "WA (accuracy)", label);
            data.add(100 * s.ua().mean(), 100 * s.ua().std(), "UA (mean recall)", label);
            data.add(100 * s.macroF1().mean(), 100 * s.macroF1().std(), "macro-F1", label);
        }
        CategoryAxis x = new CategoryAxis("modalities");
        x.setMaximumCategoryLabelLines(4);
        if (subsets.size() > 4) x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        else x.setMaximumCategoryLabelWidthRatio(1.0f);
        NumberAxis y = new NumberAxis("% (mean ± std over folds)");
        y.setRange(0, 100);
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        r.setErrorIndicatorPaint(Color.DARK_GRAY);
        r.setSeriesPaint(0, new Color(0x4C72B0));
        r.setSeriesPaint(1, new Color(0xDD8452));
        r.setSeriesPaint(2, new Color(0x55A868));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator("{2}",
                new java.text.DecimalFormat("0.0")));
        r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(shown(title), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        save(png, chart, Math.max(560, 150 + 130 * subsets.size()), 440);
    }

    /**
     * A reliability diagram: for each bin of the top probability that holds rows, the share of those rows whose top
     * class was right against their mean top probability, one series per set of rows (pooled, then each corpus); a
     * point under the diagonal is a bin where the published probability promised more than it delivered.
     */
    public static void reliability(Path png, String title, java.util.Map<String, Calibration> series) {
        save(png, reliabilityChart(title, series), 560, 500);
    }

    static JFreeChart reliabilityChart(String title, java.util.Map<String, Calibration> series) {
        org.jfree.data.xy.XYSeriesCollection data = new org.jfree.data.xy.XYSeriesCollection();
        org.jfree.data.xy.XYSeries diagonal = new org.jfree.data.xy.XYSeries("perfectly calibrated");
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        data.addSeries(diagonal);
        for (java.util.Map.Entry<String, Calibration> e : series.entrySet()) {
            Calibration c = e.getValue();
            org.jfree.data.xy.XYSeries s = new org.jfree.data.xy.XYSeries(String.format(Locale.ROOT,
                    "%s (ECE %.3f, %d rows)", shown(e.getKey()), c.ece(), c.n()), false, true);
            for (int b = 0; b < Calibration.BINS; b++)
                if (c.binCounts()[b] > 0) s.add(c.binConfidence()[b], c.binAccuracy()[b]);
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis("mean top probability in the bin (" + Calibration.BINS + " equal-width bins)");
        NumberAxis y = new NumberAxis("share of the bin's rows whose top class is right");
        x.setRange(0, 1);
        y.setRange(0, 1);
        org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true);
        Color[] palette = {new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52), new Color(0x8172B3)};
        r.setSeriesPaint(0, Color.GRAY);
        r.setSeriesShapesVisible(0, false);
        r.setSeriesStroke(0, new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                10f, new float[]{4f, 4f}, 0f));
        for (int k = 1; k < data.getSeriesCount(); k++) r.setSeriesPaint(k, palette[(k - 1) % palette.length]);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(shown(title), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** A dataset or class name (from the manifest) as report.md shows it: hidden characters as code points, shortened. */
    private static String shown(String name) {
        return ShownText.visible(ShownText.shortened(name, ShownText.NAME_CHARS));
    }

    private static void save(Path png, JFreeChart chart, int w, int h) {
        // Drawn in memory, then written whole: drawn into the file, a full disk left a PNG cut short and ImageIO's
        // stream, which had failed to close, threw again as the process ended
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(bytes, chart, w, h);
        } catch (IOException inMemory) {
            throw new UncheckedIOException("drawing " + png, inMemory);
        }
        ReportWriter.writeWhole(png, t -> java.nio.file.Files.write(t, bytes.toByteArray()));
    }
}
