package dev.moodtag.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Learns the per-part weights of late fusion from out-of-fold probabilities: the weights on a simplex grid that give
 * the lowest class-balanced negative log-likelihood of the fused probabilities ({@link EmotionClassifier#fuse}).
 * A part whose probabilities carry nothing about the class gets the smallest weight; every part keeps a weight of at
 * least {@link #MIN_SHARE} of the total, so that an utterance with only that modality still gets a label.
 *
 * <p>The probabilities must come from models that did not train on the rows they score (inner folds of a training
 * set): in-sample SVM probabilities are over-confident and would favour the part that memorises best.
 */
public final class LateFusionWeights {

    /** Grid step of a weight's share of the total, and the smallest share a part gets. */
    public static final double MIN_SHARE = 0.05;
    private static final int STEPS = (int) Math.round(1 / MIN_SHARE);

    private LateFusionWeights() {
    }

    /**
     * @param probabilities per row, per part: the part's class probabilities, or null where the row lacks its blocks
     * @param labels        the true class of each row
     * @return one weight per part, summing to the number of parts (equal weights are all 1)
     */
    public static double[] learn(List<double[][]> probabilities, int[] labels, int numClasses, int numParts) {
        if (probabilities.size() != labels.length) throw new IllegalArgumentException("one label per row");
        double[] equal = new double[numParts];
        Arrays.fill(equal, 1.0);
        if (numParts < 2 || probabilities.isEmpty()) return equal;
        // Only rows some part scores: a row no part can score is left out of every loss, and counting it would make
        // its class count for less than the others in choosing the weights.
        int[] count = new int[numClasses];
        for (int i = 0; i < labels.length; i++) if (scoredByAny(probabilities.get(i))) count[labels[i]]++;
        double[] best = equal;
        double bestLoss = loss(probabilities, labels, count, equal);
        for (int[] shares : compositions(numParts)) {
            double[] w = Arrays.stream(shares).mapToDouble(s -> s * (double) numParts / STEPS).toArray();
            double l = loss(probabilities, labels, count, w);
            if (l < bestLoss - 1e-12) {
                bestLoss = l;
                best = w;
            }
        }
        return best;
    }

    private static boolean scoredByAny(double[][] parts) {
        for (double[] p : parts) if (p != null) return true;
        return false;
    }

    /** Class-balanced mean negative log-likelihood of the true class (each class counts equally, as in UA). */
    static double loss(List<double[][]> probabilities, int[] labels, int[] classCount, double[] weights) {
        double sum = 0;
        int classesSeen = 0;
        double[] perClass = new double[classCount.length];
        for (int i = 0; i < labels.length; i++) {
            double[] fused = EmotionClassifier.fuse(probabilities.get(i), weights);
            if (fused == null) continue;
            perClass[labels[i]] += -Math.log(Math.max(fused[labels[i]], 1e-9)) / classCount[labels[i]];
        }
        for (int c = 0; c < classCount.length; c++) {
            if (classCount[c] == 0) continue;
            sum += perClass[c];
            classesSeen++;
        }
        return classesSeen == 0 ? 0 : sum / classesSeen;
    }

    /** Every way to give each of {@code parts} parts at least one of {@link #STEPS} shares, all shares used. */
    private static List<int[]> compositions(int parts) {
        List<int[]> out = new ArrayList<>();
        compose(new int[parts], 0, STEPS, out);
        return out;
    }

    private static void compose(int[] shares, int k, int left, List<int[]> out) {
        if (k == shares.length - 1) {
            if (left < 1) return;
            shares[k] = left;
            out.add(shares.clone());
            return;
        }
        for (int s = 1; s <= left - (shares.length - 1 - k); s++) {
            shares[k] = s;
            compose(shares, k + 1, left - s, out);
        }
    }
}
