package dev.moodtag.classify;

import dev.moodtag.fuse.EarlyFusion;
import dev.moodtag.fuse.FeatureLayout;

import java.util.List;

/**
 * One classifier over the early fusion of some blocks: the whole classifier in early fusion, one modality's part in
 * late fusion. Trained by LIBSVM ({@link #train}); {@code model} may be any {@link Classifier} type.
 *
 * @param params the LIBSVM settings it was trained with (recorded with the classifier and in reports)
 */
public record FusedSvm(EarlyFusion fusion, Classifier model, SvmParams params) {

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
        return new FusedSvm(fusion, ClassifierTypes.LIBSVM.fit(fusion.transform(samples, usable), yy, numClasses, params), params);
    }

    public boolean accepts(float[][] sample) {
        return fusion.anyPresent(sample);
    }
}
