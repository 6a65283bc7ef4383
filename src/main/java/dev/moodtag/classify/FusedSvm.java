package dev.moodtag.classify;

import dev.moodtag.fuse.EarlyFusion;
import dev.moodtag.fuse.FeatureLayout;

import java.util.List;

/**
 * One classifier over the early fusion of some blocks: the whole classifier in early fusion, one modality's part in
 * late fusion. {@code model} may be any {@link Classifier} type.
 *
 * @param params the settings it was trained with (recorded with the classifier and in reports)
 * @param over   what its blocks are standardised over before {@code fusion}'s scalers
 * @param rows   the rows it was trained on, when its classifier ships them (a part a batch may train again); null
 *               otherwise
 */
public record FusedSvm(EarlyFusion fusion, Classifier model, SvmParams params, StandardisedOver over, TrainingRows rows) {

    public FusedSvm {
        java.util.Objects.requireNonNull(over, "over");
        if (!model.reads(fusion.dim()))
            throw new IllegalArgumentException("its " + model.type() + " model was trained on vectors of another size than "
                    + "the " + fusion.dim() + " values its blocks fuse to");
    }

    /** A part without its training rows. */
    public FusedSvm(EarlyFusion fusion, Classifier model, SvmParams params, StandardisedOver over) {
        this(fusion, model, params, over, null);
    }

    /** A part that reads one utterance's vectors as they are. */
    public FusedSvm(EarlyFusion fusion, Classifier model, SvmParams params) {
        this(fusion, model, params, StandardisedOver.UTTERANCE);
    }

    /** The same part, marked as reading vectors standardised over {@code over}. */
    public FusedSvm standardisedOver(StandardisedOver over) {
        return new FusedSvm(fusion, model, params, over, rows);
    }

    /** The same part, shipping the rows it was trained on. */
    public FusedSvm withRows(TrainingRows rows) {
        return new FusedSvm(fusion, model, params, over, rows);
    }

    /** {@link #train(FeatureLayout, List, int[], int[], int, int[], boolean, ClassifierType, SvmParams)} with LIBSVM. */
    public static FusedSvm train(FeatureLayout layout, List<float[][]> samples, int[] train, int[] y, int numClasses,
                                 int[] blocks, boolean balanceBlocks, SvmParams params) {
        return train(layout, samples, train, y, numClasses, blocks, balanceBlocks, ClassifierTypes.LIBSVM, params);
    }

    /**
     * Fits the scalers and the model on the training rows only. Rows that have none of the blocks are left out
     * (nothing to learn from them).
     */
    public static FusedSvm train(FeatureLayout layout, List<float[][]> samples, int[] train, int[] y, int numClasses,
                                 int[] blocks, boolean balanceBlocks, ClassifierType<SvmParams> type, SvmParams params) {
        EarlyFusion fusion = EarlyFusion.fit(layout, samples, train, blocks, balanceBlocks);
        int[] usable = java.util.Arrays.stream(train).filter(i -> fusion.anyPresent(samples.get(i))).toArray();
        if (usable.length == 0) throw new IllegalArgumentException("no training row has any of the blocks " + List.of(blocks));
        int[] yy = new int[usable.length];
        for (int k = 0; k < usable.length; k++) yy[k] = y[usable[k]];
        return new FusedSvm(fusion, type.fit(fusion.transform(samples, usable), yy, numClasses, params), params);
    }

    public boolean accepts(float[][] sample) {
        return fusion.anyPresent(sample);
    }
}
