package dev.moodtag.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    private static final double EPS = 1e-12;

    /**
     * 10 utterances, 3 classes. By hand:
     * <pre>
     *            pred 0  pred 1  pred 2
     * true 0 (5)    4       1       0
     * true 1 (3)    1       1       1
     * true 2 (2)    0       0       2
     * </pre>
     * WA = 7/10. Recall 4/5, 1/3, 2/2 → UA = (0.8 + 1/3 + 1)/3 = 32/45.
     * Precision 4/5, 1/2, 2/3. F1: class 0 = 2·4/(5+5) = 0.8; class 1 = 2·1/(3+2) = 0.4; class 2 = 2·2/(2+3) = 0.8.
     * macro-F1 = 2/3; weighted-F1 = (5·0.8 + 3·0.4 + 2·0.8)/10 = 0.68.
     */
    @Test
    void tinySetByHand() {
        int[] truth = {0, 0, 0, 0, 0, 1, 1, 1, 2, 2};
        int[] pred = {0, 0, 0, 0, 1, 0, 1, 2, 2, 2};
        Metrics m = Metrics.of(truth, pred, 3);
        assertEquals(10, m.n());
        assertEquals(0.7, m.wa(), EPS);
        assertEquals(32.0 / 45, m.ua(), EPS);
        assertEquals(2.0 / 3, m.macroF1(), EPS);
        assertEquals(0.68, m.weightedF1(), EPS);
        assertArrayEquals(new double[]{0.8, 1.0 / 3, 1.0}, m.recall(), EPS);
        assertArrayEquals(new int[]{4, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new int[]{1, 1, 1}, m.confusion()[1]);
        assertArrayEquals(new int[]{0, 0, 2}, m.confusion()[2]);
    }

    /** A class absent from a test fold (EmoDB speaker 08 has no disgust) has no recall and is left out of UA. */
    @Test
    void absentClassIsLeftOutOfUaButPredictionsOfItCountInMacroF1() {
        int[] truth = {0, 0, 1, 1};
        int[] pred = {0, 2, 1, 1};
        Metrics m = Metrics.of(truth, pred, 3);
        assertTrue(Double.isNaN(m.recall()[2]));
        assertEquals((0.5 + 1.0) / 2, m.ua(), EPS);
        // F1: class 0 = 2·1/(2+1) = 2/3, class 1 = 1, class 2 (predicted once, never true) = 0
        assertEquals((2.0 / 3 + 1 + 0) / 3, m.macroF1(), EPS);
        assertEquals((2 * 2.0 / 3 + 2 * 1) / 4, m.weightedF1(), EPS);
    }

    @Test
    void meanAndSampleStdOverFolds() {
        Metrics a = Metrics.of(new int[]{0, 1}, new int[]{0, 1}, 2); // WA 1
        Metrics b = Metrics.of(new int[]{0, 1}, new int[]{1, 1}, 2); // WA 0.5
        MetricSummary s = MetricSummary.over(List.of(a, b), Metrics::wa);
        assertEquals(0.75, s.mean(), EPS);
        assertEquals(Math.sqrt(0.125), s.std(), EPS);
        assertEquals("75.0 ± 35.4", s.percent());
        int[][] pooled = Metrics.sum(List.of(a.confusion(), b.confusion()), 2);
        assertEquals(0.75, Metrics.of(pooled).wa(), EPS);
    }
}
