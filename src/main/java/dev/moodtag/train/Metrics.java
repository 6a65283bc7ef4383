package dev.moodtag.train;

/**
 * Classification metrics of one evaluation, all derived from the confusion matrix.
 *
 * <ul>
 *   <li>{@code wa}: weighted accuracy, i.e. plain accuracy (correct / all);</li>
 *   <li>{@code ua}: unweighted accuracy, the mean recall over the classes that occur in the truth (a class
 *       absent from a test fold has no recall and is left out, as in UAR);</li>
 *   <li>{@code macroF1}: mean F1 over the classes that occur in the truth or the predictions (scikit-learn's
 *       default label set); a class never predicted has F1 0;</li>
 *   <li>{@code weightedF1}: F1 averaged with the true class counts as weights (the MELD convention).</li>
 * </ul>
 *
 * @param recall    per class; NaN where the class does not occur in the truth
 * @param confusion [true][predicted] counts
 */
public record Metrics(int n, double wa, double ua, double macroF1, double weightedF1, double[] recall,
                      int[][] confusion) {

    public static Metrics of(int[] truth, int[] predicted, int numClasses) {
        if (truth.length != predicted.length) throw new IllegalArgumentException("truth and predictions differ in length");
        int[][] cm = new int[numClasses][numClasses];
        for (int i = 0; i < truth.length; i++) cm[truth[i]][predicted[i]]++;
        return of(cm);
    }

    public static Metrics of(int[][] cm) {
        int k = cm.length;
        int n = 0, correct = 0;
        int[] support = new int[k], predictedCount = new int[k];
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                n += cm[t][p];
                support[t] += cm[t][p];
                predictedCount[p] += cm[t][p];
            }
            correct += cm[t][t];
        }
        double[] recall = new double[k];
        double recallSum = 0, f1Sum = 0, weightedF1 = 0;
        int present = 0, f1Classes = 0;
        for (int c = 0; c < k; c++) {
            recall[c] = support[c] > 0 ? cm[c][c] / (double) support[c] : Double.NaN;
            if (support[c] > 0) {
                recallSum += recall[c];
                present++;
            }
            if (support[c] > 0 || predictedCount[c] > 0) {
                double denom = support[c] + predictedCount[c];
                double f1 = denom == 0 ? 0 : 2.0 * cm[c][c] / denom; // = 2PR/(P+R)
                f1Sum += f1;
                f1Classes++;
                weightedF1 += f1 * support[c];
            }
        }
        int[][] copy = new int[k][];
        for (int t = 0; t < k; t++) copy[t] = cm[t].clone();
        return new Metrics(n, n == 0 ? Double.NaN : correct / (double) n, present == 0 ? Double.NaN : recallSum / present,
                f1Classes == 0 ? Double.NaN : f1Sum / f1Classes, n == 0 ? Double.NaN : weightedF1 / n, recall, copy);
    }

    /** The sum of several confusion matrices (the pooled result over folds). */
    public static int[][] sum(java.util.List<int[][]> matrices, int k) {
        int[][] out = new int[k][k];
        for (int[][] m : matrices) for (int t = 0; t < k; t++) for (int p = 0; p < k; p++) out[t][p] += m[t][p];
        return out;
    }
}
