package dev.moodtag.train;

import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.FusionMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Late-fusion weights are learned from out-of-fold probabilities of the training rows: a modality that carries no
 * information counts less than one that does, and rows of the test fold never influence the weights.
 */
class LearnedFusionWeightsTest {

    private static ExperimentSettings learned() {
        ExperimentSettings s = Synthetic.settings(FusionMode.LATE);
        return new ExperimentSettings(s.mode(), s.base(), s.grid(), s.innerFolds(), s.gridMaxSamples(), s.selectBy(),
                s.balanceBlocks(), s.ablation(), s.seed(), s.classifier(), ExperimentSettings.FusionWeights.LEARNED,
                GroupNormalisation.NONE);
    }

    /** The synthetic table with the speech block replaced by Gaussian noise in the rows {@code noisy} selects. */
    private static FeatureTable speechNoiseWhere(FeatureTable t, java.util.function.IntPredicate noisy, long seed) {
        Random r = new Random(seed);
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            float[][] s = t.samples().get(i).clone();
            if (noisy.test(i)) s[0] = new float[]{(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
            out.add(s);
        }
        return new FeatureTable(t.layout(), t.classes(), t.ids(), out, t.labels(), t.groups(), t.splits(), t.skippedLabels(),
                t.skippedRows(), false);
    }

    /** Weight of the part made of layout block {@code block}. */
    private static double weightOf(EmotionClassifier clf, int block) {
        for (int k = 0; k < clf.parts().size(); k++)
            if (Arrays.stream(clf.parts().get(k).fusion().blocks()).anyMatch(b -> b == block)) return clf.weights()[k];
        throw new AssertionError("no part has block " + block);
    }

    @Test
    void aRandomNoiseModalityWeighsLessThanAnInformativeOne() {
        FeatureTable t = speechNoiseWhere(Synthetic.table(6, 30, 11), i -> true, 5);
        EmotionClassifier clf = new Experiment(learned()).fit(t, new int[]{0, 1}, IntStream.range(0, t.size()).toArray(), new int[0]);
        double noise = weightOf(clf, 0), video = weightOf(clf, 1);
        assertTrue(noise < video, "noise speech weight " + noise + " should be below the video weight " + video);
        assertEquals(2.0, noise + video, 1e-9, "weights sum to the number of parts");
        assertTrue(noise > 0, "a weak part keeps voting when it is the only one present");
    }

    /**
     * Rows that no part can score (their blocks all missing) do not make their class count for less: two parts, each
     * as good on one class as the other is on the other, get equal weights however many unscorable rows one class
     * has. Before, the class's loss was divided by all its rows and the weights leaned to the other class's part
     * (found by a review).
     */
    @Test
    void rowsNoPartScoresDoNotTiltTheWeights() {
        java.util.List<double[][]> probs = new java.util.ArrayList<>();
        java.util.List<Integer> labels = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            probs.add(new double[][]{{0.9, 0.1}, {0.5, 0.5}});
            labels.add(0);
            probs.add(new double[][]{{0.5, 0.5}, {0.1, 0.9}});
            labels.add(1);
        }
        for (int i = 0; i < 90; i++) {
            probs.add(new double[][]{null, null});
            labels.add(0);
        }
        double[] w = dev.moodtag.classify.LateFusionWeights.learn(probs, labels.stream().mapToInt(Integer::intValue).toArray(), 2, 2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{1.0, 1.0}, w, 1e-9);
    }

    @Test
    void equalWeightsUnlessLearningIsAskedFor() {
        FeatureTable t = speechNoiseWhere(Synthetic.table(6, 30, 11), i -> true, 5);
        EmotionClassifier clf = new Experiment(Synthetic.settings(FusionMode.LATE)).fit(t, new int[]{0, 1},
                IntStream.range(0, t.size()).toArray(), new int[0]);
        assertArrayEquals(new double[]{1, 1}, clf.weights());
    }

    /**
     * In the held-out speaker the roles are swapped (speech is informative, video is noise): weights that saw those
     * rows would move towards speech. The weights must be exactly those learned from a table without the test rows.
     */
    @Test
    void weightsAreLearnedFromTheTrainingRowsOnly() {
        FeatureTable base = Synthetic.table(6, 30, 3);
        Fold fold = new FoldScheme.LeaveOneGroupOut().folds(base.labels(), base.groups(), base.splits()).stream()
                .filter(f -> f.name().equals("group spk5")).findFirst().orElseThrow();
        FeatureTable t = base; // training rows: speech weakly informative, video strongly
        // in the test speaker, speech tells the class exactly and video is noise
        Random r = new Random(13);
        List<float[][]> swapped = new ArrayList<>(t.samples());
        for (int i : fold.test()) {
            int y = t.labels()[i];
            swapped.set(i, new float[][]{{10f * y, 0, 0}, {(float) r.nextGaussian(), (float) r.nextGaussian()}});
        }
        FeatureTable withTest = new FeatureTable(t.layout(), t.classes(), t.ids(), swapped, t.labels(), t.groups(), t.splits(),
                t.skippedLabels(), t.skippedRows(), false);
        EmotionClassifier fitted = new Experiment(learned()).fit(withTest, new int[]{0, 1}, fold.train(), fold.validation());

        int[] tr = fold.train();
        FeatureTable trainOnly = new FeatureTable(t.layout(), t.classes(),
                Arrays.stream(tr).mapToObj(i -> t.ids().get(i)).toList(), Arrays.stream(tr).mapToObj(swapped::get).toList(),
                Arrays.stream(tr).map(i -> t.labels()[i]).toArray(), Arrays.stream(tr).mapToObj(i -> t.groups()[i]).toArray(String[]::new),
                Arrays.stream(tr).mapToObj(i -> t.splits()[i]).toArray(String[]::new), t.skippedLabels(), t.skippedRows(), false);
        EmotionClassifier reference = new Experiment(learned()).fit(trainOnly, new int[]{0, 1},
                IntStream.range(0, trainOnly.size()).toArray(), new int[0]);

        assertArrayEquals(reference.weights(), fitted.weights(), 1e-12, "weights must not depend on the test rows");
        assertTrue(weightOf(fitted, 0) < weightOf(fitted, 1), "training rows: speech weak, video informative");
        // the test can fail: weights that do see the swapped speaker come out differently
        EmotionClassifier leaky = new Experiment(learned()).fit(withTest, new int[]{0, 1},
                IntStream.range(0, withTest.size()).toArray(), new int[0]);
        assertTrue(weightOf(leaky, 0) > weightOf(fitted, 0), "speech weight with the swapped speaker " + weightOf(leaky, 0)
                + " vs without " + weightOf(fitted, 0));
    }
}
