package dev.moodtag.classify;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * {@link SvmParams.ClassWeighting#BALANCED} for one training set: class c weighs n / (k · n_c), where k counts only the
 * classes present (LIBSVM and LIBLINEAR both warn about, or misuse, weights for labels they do not see).
 *
 * @param classes the classes present, ascending
 * @param weights their weights, in the same order
 */
record BalancedWeights(int[] classes, double[] weights) {

    static BalancedWeights of(int[] y, int numClasses) {
        int[] counts = new int[numClasses];
        for (int c : y) counts[c]++;
        int[] present = IntStream.range(0, numClasses).filter(c -> counts[c] > 0).toArray();
        return new BalancedWeights(present,
                Arrays.stream(present).mapToDouble(c -> y.length / (double) (present.length * counts[c])).toArray());
    }
}
