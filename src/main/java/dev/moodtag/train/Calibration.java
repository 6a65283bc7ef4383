package dev.moodtag.train;

import java.util.List;

/**
 * Whether published probabilities mean what they say, over held-out rows: users keep tags by thresholding them
 * ("only p ≥ 0.7"), which is honest only where a top probability of 0.7 is right about 70 % of the time.
 * <ul>
 *   <li>{@code ece}: top-label expected calibration error over {@link #BINS} equal-width bins of the top
 *       probability (bin b holds [b/15, (b+1)/15), the last also 1.0): Σ n_b/n · |accuracy_b − confidence_b|;</li>
 *   <li>{@code brier}: the multiclass Brier score, Σ_c (p_c − [c = truth])² averaged over rows (0 best, 2 worst);</li>
 *   <li>{@code logLoss}: −ln p_truth averaged over rows, p clipped at {@link #LOG_FLOOR} (a certain wrong answer
 *       would otherwise be infinite);</li>
 *   <li>{@code meanConfidence} vs {@code accuracy}: the mean top probability and the share of rows whose top class
 *       is the truth; confidence above accuracy is overconfidence.</li>
 * </ul>
 * The figures cover the {@code n} rows that have probabilities; {@code unscored} rows were labelled without any
 * (no block present, or a classifier without probability estimates such as linear-svm), so when n is 0 every
 * figure is NaN. Bins keep their count, mean confidence and accuracy, so that summaries over folds pool exactly.
 */
public record Calibration(int n, int unscored, double ece, double brier, double logLoss, double meanConfidence,
                          double accuracy, int[] binCounts, double[] binConfidence, double[] binAccuracy) {

    public static final int BINS = 15;
    static final double LOG_FLOOR = 1e-15;

    /**
     * @param probabilities per row its class probabilities as served, or null where the row got none
     */
    public static Calibration of(int[] truth, double[][] probabilities) {
        if (truth.length != probabilities.length) throw new IllegalArgumentException("truth and probabilities differ in length");
        int[] counts = new int[BINS];
        double[] confSum = new double[BINS], correctSum = new double[BINS];
        double brier = 0, logLoss = 0;
        int n = 0, unscored = 0;
        for (int i = 0; i < truth.length; i++) {
            double[] p = probabilities[i];
            if (p == null) {
                unscored++;
                continue;
            }
            int top = 0;
            for (int c = 1; c < p.length; c++) if (p[c] > p[top]) top = c;
            int b = bin(p[top]);
            counts[b]++;
            confSum[b] += p[top];
            if (top == truth[i]) correctSum[b]++;
            for (int c = 0; c < p.length; c++) brier += (p[c] - (c == truth[i] ? 1 : 0)) * (p[c] - (c == truth[i] ? 1 : 0));
            logLoss -= Math.log(Math.max(p[truth[i]], LOG_FLOOR));
            n++;
        }
        return fromSums(n, unscored, counts, confSum, correctSum, brier, logLoss);
    }

    /** The figures over several sets of rows (folds, or a corpus's rows over folds), as if computed over their union. */
    public static Calibration pooled(List<Calibration> parts) {
        int[] counts = new int[BINS];
        double[] confSum = new double[BINS], correctSum = new double[BINS];
        double brier = 0, logLoss = 0;
        int n = 0, unscored = 0;
        for (Calibration c : parts) {
            unscored += c.unscored;
            if (c.n == 0) continue;
            n += c.n;
            brier += c.brier * c.n;
            logLoss += c.logLoss * c.n;
            for (int b = 0; b < BINS; b++) {
                counts[b] += c.binCounts[b];
                if (c.binCounts[b] == 0) continue;
                confSum[b] += c.binConfidence[b] * c.binCounts[b];
                correctSum[b] += c.binAccuracy[b] * c.binCounts[b];
            }
        }
        return fromSums(n, unscored, counts, confSum, correctSum, brier, logLoss);
    }

    static int bin(double confidence) {
        return Math.min(BINS - 1, Math.max(0, (int) Math.floor(confidence * BINS)));
    }

    private static Calibration fromSums(int n, int unscored, int[] counts, double[] confSum, double[] correctSum,
                                        double brier, double logLoss) {
        double[] conf = new double[BINS], acc = new double[BINS];
        double ece = 0, confAll = 0, correctAll = 0;
        for (int b = 0; b < BINS; b++) {
            conf[b] = counts[b] == 0 ? Double.NaN : confSum[b] / counts[b];
            acc[b] = counts[b] == 0 ? Double.NaN : correctSum[b] / counts[b];
            ece += Math.abs(correctSum[b] - confSum[b]); // n_b · |acc_b − conf_b|
            confAll += confSum[b];
            correctAll += correctSum[b];
        }
        if (n == 0) return new Calibration(0, unscored, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                counts, conf, acc);
        return new Calibration(n, unscored, ece / n, brier / n, logLoss / n, confAll / n, correctAll / n,
                counts, conf, acc);
    }

    /** Whether any row had probabilities (a classifier without probability estimates gives none). */
    public boolean scored() {
        return n > 0;
    }
}
