package dev.moodtag.fuse;

import java.util.ArrayList;
import java.util.List;

/**
 * Early fusion, the paper's method: each block standardised with a scaler fitted on the training rows only,
 * then the blocks concatenated. A block missing from a sample is filled with zeros after standardisation,
 * i.e. with the training mean, so it pulls the decision neither way.
 *
 * <p>Optionally each standardised block is also multiplied by {@code 1/sqrt(dim)} ("balanced blocks"), so that
 * every block adds the same expected amount to a squared distance: without it a 259-d block outweighs a 35-d one
 * seven to one in an RBF kernel, whatever each is worth.
 */
public final class EarlyFusion {

    private final FeatureLayout layout;
    private final int[] blocks;
    private final List<StandardScaler> scalers;
    private final double[] blockWeights;
    private final int dim;

    /** @param blockWeights one factor per fused block, applied after standardisation */
    public EarlyFusion(FeatureLayout layout, int[] blocks, List<StandardScaler> scalers, double[] blockWeights) {
        if (blocks.length != scalers.size() || blocks.length != blockWeights.length)
            throw new IllegalArgumentException("one scaler and one weight per block");
        for (double w : blockWeights)
            if (!Double.isFinite(w) || w < 0) throw new IllegalArgumentException("block weight " + w + " (finite, not negative)");
        this.layout = layout;
        this.blocks = blocks.clone();
        this.scalers = List.copyOf(scalers);
        this.blockWeights = blockWeights.clone();
        int d = 0;
        for (int k = 0; k < blocks.length; k++) {
            if (scalers.get(k).dim() != layout.block(blocks[k]).dim())
                throw new IllegalArgumentException("scaler of block " + layout.block(blocks[k]).id() + " has the wrong size");
            d += layout.block(blocks[k]).dim();
        }
        this.dim = d;
    }

    /**
     * Fits one scaler per selected block on the given training samples.
     *
     * @param samples all samples (one {@code float[][]} per sample, indexed by layout position)
     * @param train   the positions in {@code samples} of the training rows: the only rows the scalers see
     * @param blocks  the layout positions to fuse, in order
     * @param balance weigh each block by 1/sqrt(dim) (see the class comment); all weights 1 otherwise
     */
    public static EarlyFusion fit(FeatureLayout layout, List<float[][]> samples, int[] train, int[] blocks,
                                  boolean balance) {
        List<StandardScaler> scalers = new ArrayList<>();
        for (int b : blocks) {
            List<float[]> rows = new ArrayList<>(train.length);
            for (int i : train) rows.add(samples.get(i)[b]);
            scalers.add(StandardScaler.fit(rows, layout.block(b).dim()));
        }
        double[] w = new double[blocks.length];
        for (int k = 0; k < blocks.length; k++) w[k] = balance ? 1 / Math.sqrt(layout.block(blocks[k]).dim()) : 1;
        return new EarlyFusion(layout, blocks, scalers, w);
    }

    public int dim() {
        return dim;
    }

    public int[] blocks() {
        return blocks.clone();
    }

    public List<StandardScaler> scalers() {
        return scalers;
    }

    public double[] blockWeights() {
        return blockWeights.clone();
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** True when at least one fused block is present in the sample. */
    public boolean anyPresent(float[][] sample) {
        for (int b : blocks) if (sample[b] != null) return true;
        return false;
    }

    public double[] transform(float[][] sample) {
        double[] out = new double[dim];
        int off = 0;
        for (int k = 0; k < blocks.length; k++) {
            float[] v = sample[blocks[k]];
            int d = scalers.get(k).dim();
            if (v != null) {
                scalers.get(k).transform(v, out, off);
                if (blockWeights[k] != 1) for (int j = off; j < off + d; j++) out[j] *= blockWeights[k];
            }
            off += d;
        }
        return out;
    }

    public double[][] transform(List<float[][]> samples, int[] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = transform(samples.get(rows[i]));
        return out;
    }
}
