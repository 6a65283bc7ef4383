package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.classify.SvmParams;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.media.Modality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small synthetic feature tables for the train-stage tests. */
final class Synthetic {
    private Synthetic() {
    }

    static final FeatureLayout TWO_BLOCKS = new FeatureLayout(List.of(
            new FeatureBlock("speech", Modality.SPEECH, 3, FeatureBlock.PRECOMPUTED),
            new FeatureBlock("video", Modality.VIDEO, 2, FeatureBlock.PRECOMPUTED)));

    /**
     * {@code groups} groups of {@code perGroup} rows, 3 classes; the class shows in both blocks (strongly in
     * video, weakly in speech), plus Gaussian noise.
     */
    static FeatureTable table(int groups, int perGroup, long seed) {
        Random r = new Random(seed);
        List<String> ids = new ArrayList<>();
        List<float[][]> samples = new ArrayList<>();
        int n = groups * perGroup;
        int[] labels = new int[n];
        String[] g = new String[n], splits = new String[n];
        for (int i = 0; i < n; i++) {
            int y = i % 3;
            labels[i] = y;
            g[i] = "spk" + (i / perGroup);
            splits[i] = "";
            ids.add("u" + i);
            float[] a = {(float) (0.6 * y + r.nextGaussian()), (float) r.nextGaussian(), (float) (5 + r.nextGaussian())};
            float[] v = {(float) (2.0 * (y == 1 ? 1 : 0) + 0.5 * r.nextGaussian()), (float) (2.0 * (y == 2 ? 1 : 0) + 0.5 * r.nextGaussian())};
            samples.add(new float[][]{a, v});
        }
        return new FeatureTable(TWO_BLOCKS, List.of("neutral", "happy", "sad"), ids, samples, labels, g, splits, Map.of(), Map.of(), false);
    }

    /** {@link #settings(FusionMode)} with another ablation, number of inner folds and grid. */
    static ExperimentSettings settings(FusionMode mode, ExperimentSettings.Ablation ablation, int innerFolds, GridSearch grid) {
        ExperimentSettings s = settings(mode);
        return new ExperimentSettings(s.mode(), s.base(), grid, innerFolds, s.gridMaxSamples(), s.selectBy(), s.balanceBlocks(),
                ablation, s.seed());
    }

    static ExperimentSettings settings(FusionMode mode) {
        return new ExperimentSettings(mode, new SvmParams(SvmParams.Kernel.RBF, 1, 0, false, SvmParams.ClassWeighting.BALANCED),
                new GridSearch(List.of(0.1, 1.0, 10.0), List.of(0.5, 1.0), 1), 3, 0, SelectBy.UA, false, ExperimentSettings.Ablation.MODALITIES, 7);
    }
}
