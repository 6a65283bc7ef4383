package dev.moodtag.train;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's plots name the dataset and the classes, from the manifest: shown as report.md shows them. */
class ReportChartsTest {

    /**
     * A class named with U+202E RIGHT-TO-LEFT OVERRIDE or a control is drawn with its code point, as in report.md,
     * not reordered or as a box; a 100 KB dataset name is drawn by its beginning and end, not wrapped over the plot.
     */
    @Test
    void namesFromTheManifestAreDrawnAsTheReportShowsThem() {
        String dataset = "set evil\u202Ecod " + "x".repeat(100_000) + " end";
        JFreeChart confusion = ReportCharts.confusionChart(dataset, List.of("a\u202Eb", "c\u0000d"), new int[][]{{1, 0}, {0, 1}});
        String title = confusion.getTitle().getText();
        assertTrue(title.startsWith("set evil[U+202E]cod x") && title.endsWith("x end") && title.length() < 1_000,
                title.length() + ": " + title.substring(0, Math.min(80, title.length())));
        assertEquals(List.of("a[U+202E]b", "c[U+0000]d"),
                List.of(((SymbolAxis) confusion.getXYPlot().getDomainAxis()).getSymbols()));
        assertEquals(List.of("c[U+0000]d", "a[U+202E]b"),
                List.of(((SymbolAxis) confusion.getXYPlot().getRangeAxis()).getSymbols()));
    }

    /**
     * The reliability diagram has the diagonal, then one series per set of rows (pooled, each corpus) with a point per
     * bin that holds rows, at the bin's mean confidence and accuracy; a corpus name is shown as report.md shows it.
     */
    @Test
    void reliabilityDrawsOnePointPerFilledBinAndNamesCorporaAsTheReportShowsThem() {
        Calibration pooled = Calibration.of(new int[]{0, 1, 1, 0}, new double[][]{{0.9, 0.1}, {0.8, 0.2}, {0.3, 0.7}, {0.65, 0.35}});
        Calibration corpus = Calibration.of(new int[]{0, 1}, new double[][]{{0.9, 0.1}, {0.8, 0.2}});
        java.util.Map<String, Calibration> series = new java.util.LinkedHashMap<>();
        series.put("all test rows", pooled);
        series.put("evil\u202Ecod", corpus);
        JFreeChart chart = ReportCharts.reliabilityChart("set", series);
        org.jfree.data.xy.XYDataset data = chart.getXYPlot().getDataset();
        assertEquals(3, data.getSeriesCount());
        assertEquals(4, data.getItemCount(1));
        assertEquals(2, data.getItemCount(2));
        assertTrue(data.getSeriesKey(2).toString().startsWith("evil[U+202E]cod (ECE 0.450, 2 rows)"), data.getSeriesKey(2).toString());
        assertEquals(0.8, data.getXValue(2, 0), 1e-12);
        assertEquals(0.0, data.getYValue(2, 0), 1e-12);
    }
}
