package dev.moodtag.classify;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which grid point each rule picks from the same scores. */
class GridSearchRuleTest {

    private static GridSearch.Point p(double c, double gamma, double score, double se) {
        return new GridSearch.Point(c, gamma, score, se);
    }

    @Test
    void bestTakesTheHighestAndOneSeTheSmoothestWithinOneStandardErrorOfIt() {
        // The EmoDB training corpus's inner scores (TRAINING.md): the best is C=10, gamma=0.5 (84.7 ± 1.8).
        List<GridSearch.Point> points = List.of(p(0.1, 0.125, 0.458, 0.037), p(0.1, 0.5, 0.520, 0.047),
                p(1, 0.125, 0.829, 0.026), p(1, 0.5, 0.842, 0.022), p(10, 0.125, 0.817, 0.029), p(10, 0.5, 0.847, 0.018),
                p(100, 0.125, 0.802, 0.030), p(100, 0.5, 0.847, 0.018), p(100, 2, 0.349, 0.018));
        assertEquals(p(10, 0.5, 0.847, 0.018), GridSearch.choose(points, GridSearch.Rule.BEST), "first best: the smaller C");
        // within 84.7 - 1.8 = 82.9: (1, 0.125) at 82.9 is the smoothest
        assertEquals(p(1, 0.125, 0.829, 0.026), GridSearch.choose(points, GridSearch.Rule.ONE_SE));
    }

    /** An RBF model trained with gamma 0 would be refused when its classifier loads: refused before it trains. */
    @Test
    void aGammaScaleThatIsNotPositiveIsRefused() {
        for (double g : new double[]{0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new GridSearch(List.of(1.0), List.of(g), 1));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("gamma scale " + g), e.getMessage());
        }
    }

    /** A C the libraries refuse is refused where the grid is built, before any feature is extracted. */
    @Test
    void aCThatIsNotPositiveIsRefused() {
        for (double c : new double[]{0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new GridSearch(List.of(1.0, c), List.of(1.0), 1));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("C " + c), e.getMessage());
        }
    }

    /**
     * A thread count outside 1..ParallelWork.MAX_THREADS is refused where the search is made: below 1 it was raised to
     * one thread where the grid ran, and never looked at for a grid of one point (a caller's bug hidden).
     */
    @Test
    void aThreadCountOutsideTheRangeIsRefused() {
        List<String> wrong = new java.util.ArrayList<>();
        for (int threads : new int[]{Integer.MIN_VALUE, -1_000_000, -1, 0, 1001, 1_000_000, Integer.MAX_VALUE}) {
            for (List<Double> cs : List.of(List.of(1.0), List.of(0.1, 1.0, 10.0))) {
                String said;
                try {
                    new GridSearch(cs, List.of(1.0), threads);
                    said = "accepted";
                } catch (IllegalArgumentException e) {
                    said = e.getMessage();
                }
                if (!said.equals("grid search threads must be within 1..1000, not " + threads))
                    wrong.add(threads + " threads, C grid " + cs + " -> " + said);
            }
        }
        for (int threads : new int[]{1, 1000}) assertEquals(threads, new GridSearch(List.of(1.0), List.of(1.0), threads).threads());
        assertEquals(List.of(), wrong, wrong.size() + " of 14");
    }

    @Test
    void withoutAStandardErrorOneSeIsBestAndLinearGridsPreferTheSmallerC() {
        List<GridSearch.Point> dev = List.of(p(0.1, 0.125, 0.60, 0), p(0.1, 0.5, 0.75, 0), p(1, 0.125, 0.75, 0), p(10, 0, 0.71, 0));
        assertEquals(GridSearch.choose(dev, GridSearch.Rule.BEST), GridSearch.choose(dev, GridSearch.Rule.ONE_SE),
                "one dev split: no standard error, and ties go as for best (found by a review)");
        List<GridSearch.Point> linear = List.of(p(0.1, 0, 0.70, 0.02), p(1, 0, 0.72, 0.03), p(10, 0, 0.71, 0.01));
        assertEquals(0.1, GridSearch.choose(linear, GridSearch.Rule.ONE_SE).c());
        List<GridSearch.Point> nan = List.of(p(0.1, 0.5, Double.NaN, 0), p(1, 0.5, 0.6, 0.1), p(10, 0.1, 0.55, 0.1));
        assertEquals(0.6, GridSearch.choose(nan, GridSearch.Rule.BEST).score(), "a point without a score never wins");
        assertEquals(10, GridSearch.choose(nan, GridSearch.Rule.ONE_SE).c());
    }

    @Test
    void standardErrorIsTheSampleDeviationOverTheRootOfTheSplitCount() {
        assertEquals(0, GridSearch.standardError(new double[]{0.8}));
        assertEquals(Math.sqrt(0.0004) / Math.sqrt(3), GridSearch.standardError(new double[]{0.78, 0.80, 0.82}), 1e-12);
        assertEquals(GridSearch.Rule.ONE_SE, GridSearch.Rule.parse(" One-SE "));
        assertThrows(IllegalArgumentException.class, () -> GridSearch.Rule.parse("one_se_ish"));
    }
}
