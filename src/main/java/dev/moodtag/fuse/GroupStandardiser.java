package dev.moodtag.fuse;

import java.util.ArrayList;
import java.util.List;

/**
 * Standardises chosen blocks of a group of samples over the group itself: each block with the mean and spread of
 * that block over the group's samples that have it. Training does this per speaker ({@code --normalise speaker}) and
 * a timeline per recording, with this one rule, so that what a recording part was trained on is what it is served.
 */
public final class GroupStandardiser {
    private GroupStandardiser() {
    }

    /**
     * @param samples the group, one sample (blocks, null where missing) per row; never written
     * @param blocks  the block positions to standardise; the others are passed on as they are
     * @param weights one per sample (the statistics of a population in which sample i stands for weights[i] rows), or
     *                null for equal weights
     * @return the samples with those blocks standardised, in order (a missing block stays null)
     */
    public static List<float[][]> standardise(List<float[][]> samples, int[] blocks, double[] weights) {
        if (weights != null && weights.length != samples.size()) throw new IllegalArgumentException("one weight per sample");
        List<float[][]> out = new ArrayList<>(samples.size());
        for (float[][] s : samples) out.add(s.clone());
        for (int b : blocks) {
            List<float[]> vectors = samples.stream().map(s -> s[b]).toList();
            int dim = vectors.stream().filter(v -> v != null).mapToInt(v -> v.length).findFirst().orElse(0);
            StandardScaler scaler = weights == null ? StandardScaler.fit(vectors, dim)
                    : StandardScaler.fitWeighted(vectors, weights, dim);
            double[] z = new double[dim];
            for (float[][] s : out) {
                float[] v = s[b];
                if (v == null) continue;
                scaler.transform(v, z, 0);
                float[] f = new float[dim];
                for (int j = 0; j < dim; j++) f[j] = (float) z[j];
                s[b] = f;
            }
        }
        return out;
    }
}
