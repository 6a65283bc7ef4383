package dev.moodtag.train;

import dev.moodtag.classify.ClassifierKind;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.classify.SvmParams;
import dev.moodtag.support.SettingRange;

import java.util.Locale;

/**
 * How an experiment trains and scores.
 *
 * @param base           the classifier settings; C and gamma are replaced by the grid search's choice
 * @param innerFolds     validation folds built from each outer training set for the grid search (grouped when the
 *                       data has groups), unless the protocol gives a dev split
 * @param gridMaxSamples at most this many training rows per inner fit (stratified subsample; 0 = all): RBF SVM
 *                       training grows faster than linearly, and C/gamma chosen on a subsample carry over well
 * @param selectBy       what the grid search maximises
 * @param balanceBlocks  weigh each standardised block by 1/sqrt(dim) so blocks count equally in the kernel
 * @param ablation       which subsets to evaluate: every non-empty subset of the modalities present (the issue's
 *                       ablation), of the blocks (e.g. speech embedding vs acoustic functionals), or only all
 * @param classifier     what is fitted, in the grid search and for the final model
 * @param fusionWeights  late fusion: every part weighs 1, or weights learned from out-of-fold probabilities of the
 *                       training rows ({@link dev.moodtag.classify.LateFusionWeights})
 * @param normalisation  standardise each block per corpus or per speaker (group) before the experiment; an
 *                       evaluation device only: serving sees one utterance and has no such statistics
 * @param balance        how each fit's training rows are sampled across corpora and classes
 */
public record ExperimentSettings(FusionMode mode, SvmParams base, GridSearch grid, int innerFolds, int gridMaxSamples,
                                 SelectBy selectBy, boolean balanceBlocks, Ablation ablation, long seed,
                                 ClassifierKind classifier, FusionWeights fusionWeights,
                                 GroupNormalisation normalisation, SampleBalance balance) {

    /** The rows of every fit as they are. */
    public ExperimentSettings(FusionMode mode, SvmParams base, GridSearch grid, int innerFolds, int gridMaxSamples,
                              SelectBy selectBy, boolean balanceBlocks, Ablation ablation, long seed,
                              ClassifierKind classifier, FusionWeights fusionWeights, GroupNormalisation normalisation) {
        this(mode, base, grid, innerFolds, gridMaxSamples, selectBy, balanceBlocks, ablation, seed, classifier,
                fusionWeights, normalisation, SampleBalance.NONE);
    }

    /** With LIBSVM, equal late-fusion weights and no group normalisation: every experiment before those existed. */
    public ExperimentSettings(FusionMode mode, SvmParams base, GridSearch grid, int innerFolds, int gridMaxSamples,
                              SelectBy selectBy, boolean balanceBlocks, Ablation ablation, long seed) {
        this(mode, base, grid, innerFolds, gridMaxSamples, selectBy, balanceBlocks, ablation, seed, ClassifierKind.LIBSVM,
                FusionWeights.EQUAL, GroupNormalisation.NONE);
    }

    /** More inner folds than this leaves nearly all of them empty on any corpus here: a typo, not a setting. */
    public static final int MAX_INNER_FOLDS = 1000;

    public ExperimentSettings {
        java.util.Objects.requireNonNull(selectBy, "selectBy");
        java.util.Objects.requireNonNull(balance, "balance");
        // 0 divided by zero and 1 said "too few rows or groups", both only after every feature was extracted; 2^24 and
        // up looped over their empty folds past any wait, after the extraction
        SettingRange.within("inner folds (--inner-folds, moodtag.train.inner-folds)", innerFolds, 2, MAX_INNER_FOLDS)
                .ifPresent(w -> {
                    throw new IllegalArgumentException(w);
                });
        if (gridMaxSamples < 0)
            throw new IllegalArgumentException("moodtag.train.grid-max-samples must be at least 0 (0: all rows), not " + gridMaxSamples);
        if (!classifier.kernelised() && base.kernel() != SvmParams.Kernel.LINEAR)
            throw new IllegalArgumentException(classifier.name().toLowerCase(Locale.ROOT)
                    + " is linear; a kernel (" + base.kernel().name().toLowerCase(Locale.ROOT) + ") does not apply");
    }

    public enum Ablation { NONE, MODALITIES, BLOCKS }

    /** How late fusion weighs its parts. */
    public enum FusionWeights { EQUAL, LEARNED }

    public double score(int[] truth, int[] predicted, int numClasses) {
        return selectBy.score(Metrics.of(truth, predicted, numClasses));
    }
}
