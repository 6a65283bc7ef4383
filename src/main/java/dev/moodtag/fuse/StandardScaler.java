package dev.moodtag.fuse;

import java.util.Arrays;
import java.util.List;

/**
 * Per-dimension standardisation (z-score) of one feature block. Fitted on training rows only: fitting it on
 * anything that includes test rows leaks the test distribution into training.
 *
 * @param mean  per-dimension mean of the rows it was fitted on
 * @param scale per-dimension standard deviation (population); 1 where a dimension is constant, so constant
 *              dimensions become 0 instead of NaN
 */
public record StandardScaler(double[] mean, double[] scale) {

    public StandardScaler {
        if (mean.length != scale.length) throw new IllegalArgumentException("mean and scale differ in length");
        // Read back from a file, a zero or non-finite scale would turn every vector into NaN or infinity.
        for (int j = 0; j < mean.length; j++)
            if (!Double.isFinite(mean[j]) || !Double.isFinite(scale[j]) || scale[j] <= 0)
                throw new IllegalArgumentException("scaler dimension " + j + " has mean " + mean[j] + " and scale " + scale[j]
                        + " (a finite mean and a finite, positive scale needed)");
    }

    /** Fits on the non-null rows; with no rows at all, the identity (mean 0, scale 1). */
    public static StandardScaler fit(List<float[]> rows, int dim) {
        Accumulator a = new Accumulator(dim);
        for (float[] r : rows) a.add(r);
        return a.scaler();
    }

    /**
     * {@link #fit}'s statistics gathered one row at a time, for rows that are not kept together (a batch's clips, as
     * they finish): fitting a list adds its rows in order here, so both give the same scaler to the last bit.
     */
    public static final class Accumulator {
        private final double[] mean, m2;
        private int n;

        public Accumulator(int dim) {
            mean = new double[dim];
            m2 = new double[dim];
        }

        /** Adds a row; a null row (a block the sample lacks) is skipped. */
        public void add(float[] r) {
            if (r == null) return;
            int dim = mean.length;
            if (r.length != dim) throw new IllegalArgumentException("row has " + r.length + " values, expected " + dim);
            n++;
            for (int j = 0; j < dim; j++) { // Welford: stable for large offsets
                double d = r[j] - mean[j];
                mean[j] += d / n;
                m2[j] += d * (r[j] - mean[j]);
            }
        }

        /** The rows added so far. */
        public int rows() {
            return n;
        }

        public StandardScaler scaler() {
            int dim = mean.length;
            double[] scale = new double[dim];
            for (int j = 0; j < dim; j++) {
                double sd = n > 0 ? Math.sqrt(m2[j] / n) : 0;
                scale[j] = sd > 1e-12 ? sd : 1;
            }
            return new StandardScaler(mean.clone(), scale);
        }
    }

    /**
     * Fits with a weight per row (null rows skipped): the statistics of a population in which row i stands for
     * {@code weights[i]} rows. Used to ask what standardising over a recording of another composition would do.
     */
    public static StandardScaler fitWeighted(List<float[]> rows, double[] weights, int dim) {
        if (weights.length != rows.size()) throw new IllegalArgumentException("one weight per row");
        double[] mean = new double[dim];
        double total = 0;
        for (int i = 0; i < rows.size(); i++) {
            float[] r = rows.get(i);
            if (r == null || weights[i] <= 0) continue;
            if (r.length != dim) throw new IllegalArgumentException("row has " + r.length + " values, expected " + dim);
            total += weights[i];
            for (int j = 0; j < dim; j++) mean[j] += weights[i] * r[j];
        }
        double[] scale = new double[dim];
        if (total == 0) {
            Arrays.fill(scale, 1);
            return new StandardScaler(mean, scale);
        }
        for (int j = 0; j < dim; j++) mean[j] /= total;
        double[] var = new double[dim];
        for (int i = 0; i < rows.size(); i++) {
            float[] r = rows.get(i);
            if (r == null || weights[i] <= 0) continue;
            for (int j = 0; j < dim; j++) var[j] += weights[i] * (r[j] - mean[j]) * (r[j] - mean[j]);
        }
        for (int j = 0; j < dim; j++) {
            double sd = Math.sqrt(var[j] / total);
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        return new StandardScaler(mean, scale);
    }

    public int dim() {
        return mean.length;
    }

    /** Writes the standardised row into {@code out} at {@code offset}. */
    public void transform(float[] row, double[] out, int offset) {
        for (int j = 0; j < mean.length; j++) out[offset + j] = (row[j] - mean[j]) / scale[j];
    }
}
