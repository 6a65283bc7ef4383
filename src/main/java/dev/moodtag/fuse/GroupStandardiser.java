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
        StandardScaler[] scalers = new StandardScaler[blocks.length];
        for (int k = 0; k < blocks.length; k++) {
            int b = blocks[k];
            List<float[]> vectors = samples.stream().map(s -> s[b]).toList();
            int dim = vectors.stream().filter(v -> v != null).mapToInt(v -> v.length).findFirst().orElse(0);
            scalers[k] = weights == null ? StandardScaler.fit(vectors, dim) : StandardScaler.fitWeighted(vectors, weights, dim);
        }
        List<float[][]> out = new ArrayList<>(samples.size());
        for (float[][] s : samples) out.add(standardise(s, blocks, scalers));
        return out;
    }

    /**
     * One sample with block {@code blocks[k]} standardised by {@code scalers[k]}: the rule above with statistics
     * gathered elsewhere (a batch's, accumulated as its clips finish, {@link StandardScaler.Accumulator}).
     *
     * @param sample never written; a missing block stays null
     */
    public static float[][] standardise(float[][] sample, int[] blocks, StandardScaler[] scalers) {
        if (scalers.length != blocks.length) throw new IllegalArgumentException("one scaler per block");
        float[][] s = sample.clone();
        for (int k = 0; k < blocks.length; k++) {
            float[] v = s[blocks[k]];
            if (v == null) continue;
            int dim = scalers[k].dim();
            double[] z = new double[dim];
            scalers[k].transform(v, z, 0);
            float[] f = new float[dim];
            for (int j = 0; j < dim; j++) f[j] = (float) z[j];
            s[blocks[k]] = f;
        }
        return s;
    }
}
