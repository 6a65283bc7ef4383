package dev.moodtag.classify;

import dev.moodtag.fuse.EarlyFusion;
import dev.moodtag.fuse.FeatureLayout;

import java.util.List;

/**
 * One SVM over the early fusion of some blocks: the whole classifier in early fusion, one modality's part in late
 * fusion.
 */
public record FusedSvm(EarlyFusion fusion, SvmClassifier svm, SvmParams params) {

    /**
     * Fits the scalers and the SVM on the training rows only. Rows that have none of the blocks are left out
     * (nothing to learn from them).
     */
    public static FusedSvm train(FeatureLayout layout, List<float[][]> samples, int[] train, int[] y, int numClasses,
                                 int[] blocks, boolean balanceBlocks, SvmParams params) {
        EarlyFusion fusion = EarlyFusion.fit(layout, samples, train, blocks, balanceBlocks);
        int[] usable = java.util.Arrays.stream(train).filter(i -> fusion.anyPresent(samples.get(i))).toArray();
        if (usable.length == 0) throw new IllegalArgumentException("no training row has any of the blocks " + List.of(blocks));
        int[] yy = new int[usable.length];
        for (int k = 0; k < usable.length; k++) yy[k] = y[usable[k]];
        return new FusedSvm(fusion, SvmClassifier.train(fusion.transform(samples, usable), yy, numClasses, params), params);
    }

    public boolean accepts(float[][] sample) {
        return fusion.anyPresent(sample);
    }
}
