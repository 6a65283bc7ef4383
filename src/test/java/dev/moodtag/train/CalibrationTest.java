package dev.moodtag.train;

import dev.moodtag.classify.ClassifierKind;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.classify.SvmParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calibration figures of the training report, against hand-computed cases and synthetic predictions. */
class CalibrationTest {

    private static final double EPS = 1e-12;

    /**
     * Four rows, two classes, each in a bin of its own (15 × top = 13.5, 12, 10.5, 9.75):
     * <pre>
     *   p            truth  top right?  |acc − conf|  Brier            −ln p_truth
     *   (0.9, 0.1)    0     0   yes      0.1          0.01 + 0.01      −ln 0.9
     *   (0.8, 0.2)    1     0   no       0.8          0.64 + 0.64      −ln 0.2
     *   (0.3, 0.7)    1     1   yes      0.3          0.09 + 0.09      −ln 0.7
     *   (0.65, 0.35)  0     0   yes      0.35         0.1225 · 2       −ln 0.65
     * </pre>
     * ECE = 1.55/4, Brier = 1.725/4, mean confidence 3.05/4 against accuracy 3/4.
     */
    @Test
    void fourRowsByHand() {
        Calibration c = Calibration.of(new int[]{0, 1, 1, 0},
                new double[][]{{0.9, 0.1}, {0.8, 0.2}, {0.3, 0.7}, {0.65, 0.35}});
        assertEquals(4, c.n());
        assertEquals(0, c.unscored());
        assertEquals(1.55 / 4, c.ece(), EPS);
        assertEquals(1.725 / 4, c.brier(), EPS);
        assertEquals(-(Math.log(0.9) + Math.log(0.2) + Math.log(0.7) + Math.log(0.65)) / 4, c.logLoss(), EPS);
        assertEquals(3.05 / 4, c.meanConfidence(), EPS);
        assertEquals(0.75, c.accuracy(), EPS);
        int[] bins = new int[Calibration.BINS];
        bins[9] = bins[10] = bins[12] = bins[13] = 1;
        assertArrayEquals(bins, c.binCounts());
        assertEquals(0.8, c.binConfidence()[12], EPS);
        assertEquals(0.0, c.binAccuracy()[12], EPS);
        assertTrue(Double.isNaN(c.binConfidence()[0]) && Double.isNaN(c.binAccuracy()[14]), "empty bins have no figures");
    }

    /** Errors within one bin cancel (ECE compares the bin's means, not each row with its own outcome). */
    @Test
    void rowsInOneBinAreComparedByTheirMeans() {
        Calibration c = Calibration.of(new int[]{0, 1}, new double[][]{{0.55, 0.45}, {0.55, 0.45}});
        assertEquals(2, c.binCounts()[8]);
        assertEquals(0.05, c.ece(), EPS);
        assertEquals(0.5, c.accuracy(), EPS);
    }

    /** Always certain, right half the time: ECE 0.5, Brier 1 (0 and 2 alternately), log-loss half of −ln of the floor. */
    @Test
    void alwaysCertainAtHalfAccuracy() {
        for (int k : new int[]{2, 3, 7}) {
            int n = 1000;
            int[] truth = new int[n];
            double[][] p = new double[n][k];
            for (int i = 0; i < n; i++) {
                p[i][0] = 1.0;
                truth[i] = i % 2 == 0 ? 0 : 1 + i % (k - 1);
            }
            Calibration c = Calibration.of(truth, p);
            assertEquals(0.5, c.ece(), EPS, k + " classes");
            assertEquals(1.0, c.brier(), EPS);
            assertEquals(-0.5 * Math.log(Calibration.LOG_FLOOR), c.logLoss(), 1e-9);
            assertEquals(1.0, c.meanConfidence(), EPS);
            assertEquals(0.5, c.accuracy(), EPS);
            assertEquals(n, c.binCounts()[Calibration.BINS - 1], "1.0 is in the last bin");
        }
    }

    /** Uniform probabilities over k classes with balanced labels: ECE 0, Brier 1 − 1/k, log-loss ln k. */
    @Test
    void uniformProbabilitiesOverBalancedClasses() {
        for (int k : new int[]{2, 4, 5}) {
            int n = 100 * k;
            int[] truth = new int[n];
            double[][] p = new double[n][];
            for (int i = 0; i < n; i++) {
                truth[i] = i % k;
                p[i] = new double[k];
                Arrays.fill(p[i], 1.0 / k);
                p[i][0] += 1e-9; // the top class is class 0, right for 1/k of the rows
            }
            Calibration c = Calibration.of(truth, p);
            assertEquals(0, c.ece(), 1e-8, k + " classes");
            assertEquals(1 - 1.0 / k, c.brier(), 1e-8);
            assertEquals(Math.log(k), c.logLoss(), 1e-7);
        }
    }

    /**
     * Labels drawn from the very probabilities given are calibrated: the ECE is within the sampling error of the bins
     * (three standard errors of each bin's accuracy, summed with the bins' weights), over a grid of class counts,
     * sizes and sharpness; the same rows with probabilities sharpened after drawing (overconfident) are far outside it.
     */
    @Test
    void labelsDrawnFromTheProbabilitiesAreCalibratedAndSharpenedOnesAreNot() {
        for (int k : new int[]{2, 3, 7}) {
            for (int n : new int[]{3_000, 30_000}) {
                for (double sharpness : new double[]{0.5, 2, 6}) {
                    Random r = new Random(31L * k + n + (long) (10 * sharpness));
                    int[] truth = new int[n];
                    double[][] p = new double[n][], sharpened = new double[n][];
                    for (int i = 0; i < n; i++) {
                        p[i] = random(k, sharpness, r);
                        truth[i] = draw(p[i], r);
                        sharpened[i] = tempered(p[i], 0.4);
                    }
                    Calibration honest = Calibration.of(truth, p), over = Calibration.of(truth, sharpened);
                    String where = k + " classes, " + n + " rows, sharpness " + sharpness;
                    assertTrue(honest.ece() < samplingError(honest), where + ": ECE " + honest.ece() + " vs " + samplingError(honest));
                    assertEquals(honest.accuracy(), honest.meanConfidence(), samplingError(honest), where);
                    assertTrue(over.ece() > samplingError(over) && over.ece() > honest.ece(),
                            where + ": sharpened ECE " + over.ece() + " vs " + samplingError(over));
                    assertTrue(over.meanConfidence() > over.accuracy() + 0.01, where + ": overconfident");
                    assertTrue(over.logLoss() > honest.logLoss() && over.brier() > honest.brier(),
                            where + ": proper scores punish overconfidence");
                }
            }
        }
    }

    /** Figures pooled from parts (folds, corpora) are those of the union of their rows, unscored rows counted apart. */
    @Test
    void pooledPartsEqualTheirUnion() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int k = 2 + r.nextInt(6), n = 1 + r.nextInt(400);
            int[] truth = new int[n];
            double[][] p = new double[n][];
            for (int i = 0; i < n; i++) {
                truth[i] = r.nextInt(k);
                p[i] = r.nextInt(10) == 0 ? null : random(k, r.nextDouble() * 5, r);
            }
            int parts = 1 + r.nextInt(4);
            List<Calibration> split = new ArrayList<>();
            int from = 0;
            for (int part = 0; part < parts; part++) {
                int to = part == parts - 1 ? n : from + r.nextInt(n - from + 1);
                split.add(Calibration.of(Arrays.copyOfRange(truth, from, to), Arrays.copyOfRange(p, from, to)));
                from = to;
            }
            Calibration whole = Calibration.of(truth, p), pooled = Calibration.pooled(split);
            assertEquals(whole.n(), pooled.n());
            assertEquals(whole.unscored(), pooled.unscored());
            assertArrayEquals(whole.binCounts(), pooled.binCounts());
            for (double[] pair : new double[][]{{whole.ece(), pooled.ece()}, {whole.brier(), pooled.brier()},
                    {whole.logLoss(), pooled.logLoss()}, {whole.meanConfidence(), pooled.meanConfidence()},
                    {whole.accuracy(), pooled.accuracy()}})
                assertEquals(pair[0], pair[1], 1e-9, "trial " + trial);
        }
    }

    /** Rows served without probabilities are counted apart; with none at all there is nothing to measure. */
    @Test
    void rowsWithoutProbabilitiesAreCountedApart() {
        Calibration some = Calibration.of(new int[]{0, 1, 1}, new double[][]{{0.9, 0.1}, null, {0.2, 0.8}});
        assertEquals(2, some.n());
        assertEquals(1, some.unscored());
        assertEquals(0.15, some.ece(), EPS);
        Calibration none = Calibration.of(new int[]{0, 1}, new double[][]{null, null});
        assertFalse(none.scored());
        assertEquals(2, none.unscored());
        assertTrue(Double.isNaN(none.ece()) && Double.isNaN(none.brier()) && Double.isNaN(none.logLoss()));
        assertFalse(Calibration.pooled(List.of(none, none)).scored());
        assertEquals(2, Calibration.pooled(List.of(none, some)).n());
    }

    @Test
    void binsAreEqualWidthWithOneInTheLast() {
        assertEquals(0, Calibration.bin(0));
        assertEquals(0, Calibration.bin(1.0 / 15 - 1e-12));
        assertEquals(1, Calibration.bin(1.0 / 15 + 1e-12));
        assertEquals(7, Calibration.bin(0.5));
        assertEquals(14, Calibration.bin(14.0 / 15 + 1e-12));
        assertEquals(14, Calibration.bin(1.0));
    }

    /**
     * The experiment measures the probabilities as served for every test row: the top class is the served label, so
     * the calibration's accuracy is the pooled WA; per corpus where groups name corpora; a linear SVM serves none.
     */
    @Test
    void theExperimentMeasuresTheServedProbabilities() {
        FeatureTable t = withCorpora(Synthetic.table(6, 24, 11));
        ExperimentSettings late = Synthetic.settings(FusionMode.LATE);
        Experiment.Result r = new Experiment(late).run(t, new FoldScheme.GroupedKFold(3, 1));
        for (Experiment.SubsetResult s : r.subsets()) {
            assertEquals(t.size(), s.calibration().n(), s.subset());
            assertEquals(s.pooled().wa(), s.calibration().accuracy(), EPS, s.subset());
            assertEquals(List.of("a", "b"), List.copyOf(s.calibrationByCorpus().keySet()));
            assertEquals(t.size(), s.calibrationByCorpus().values().stream().mapToInt(Calibration::n).sum());
            s.calibrationByCorpus().forEach((corpus, c) ->
                    assertEquals(s.pooledByCorpus().get(corpus).wa(), c.accuracy(), EPS, corpus));
            assertEquals(s.folds().stream().mapToInt(f -> f.calibration().n()).sum(), s.calibration().n());
        }
        ExperimentSettings s = Synthetic.settings(FusionMode.EARLY);
        ExperimentSettings linear = new ExperimentSettings(FusionMode.EARLY,
                new SvmParams(SvmParams.Kernel.LINEAR, 1, 0, false, SvmParams.ClassWeighting.BALANCED),
                new GridSearch(List.of(1.0), List.of(1.0), 1), s.innerFolds(), 0, s.selectBy(), false,
                ExperimentSettings.Ablation.NONE, s.seed(), ClassifierKind.LINEAR_SVM, ExperimentSettings.FusionWeights.EQUAL,
                GroupNormalisation.NONE);
        Calibration none = new Experiment(linear).run(t, new FoldScheme.GroupedKFold(3, 1)).full().calibration();
        assertFalse(none.scored());
        assertEquals(t.size(), none.unscored());
    }

    /** The same table with its speakers split over corpora a and b (groups written corpus:speaker). */
    static FeatureTable withCorpora(FeatureTable t) {
        String[] groups = Arrays.stream(t.groups()).map(g -> (g.hashCode() % 2 == 0 ? "a:" : "b:") + g).toArray(String[]::new);
        return new FeatureTable(t.layout(), t.classes(), t.ids(), t.samples(), t.labels(), groups, t.splits(), Map.of(),
                Map.of(), false);
    }

    /** Three standard errors of each bin's accuracy at its confidence, weighted by the bin's share of rows. */
    private static double samplingError(Calibration c) {
        double e = 0;
        for (int b = 0; b < Calibration.BINS; b++) {
            if (c.binCounts()[b] == 0) continue;
            double q = c.binConfidence()[b];
            e += c.binCounts()[b] / (double) c.n() * 3 * Math.sqrt(Math.max(q * (1 - q), 0.01) / c.binCounts()[b]);
        }
        return e;
    }

    /** A random probability vector: softmax of Gaussian scores times {@code sharpness}. */
    private static double[] random(int k, double sharpness, Random r) {
        double[] s = new double[k];
        for (int c = 0; c < k; c++) s[c] = sharpness * r.nextGaussian();
        return tempered(softmax(s), 1);
    }

    private static double[] tempered(double[] p, double temperature) {
        double[] s = new double[p.length];
        for (int c = 0; c < p.length; c++) s[c] = Math.log(Math.max(p[c], 1e-300)) / temperature;
        return softmax(s);
    }

    private static double[] softmax(double[] s) {
        double max = Arrays.stream(s).max().orElse(0), z = 0;
        double[] p = new double[s.length];
        for (int c = 0; c < s.length; c++) z += p[c] = Math.exp(s[c] - max);
        for (int c = 0; c < s.length; c++) p[c] /= z;
        return p;
    }

    private static int draw(double[] p, Random r) {
        double u = r.nextDouble(), sum = 0;
        for (int c = 0; c < p.length; c++) if (u < (sum += p[c])) return c;
        return p.length - 1;
    }
}
