package dev.moodtag.train;

import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.FusedSvm;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.fuse.StandardScaler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No information from a test fold may reach training. The held-out speaker's features carry a huge offset
 * (+1e6): a scaler fitted on anything that includes them has a mean near 1e5 and a scale near 1e6 instead of the
 * training rows' statistics, so these tests fail if the scalers (outer or inner, early or late fusion) see test rows.
 */
class LeakageTest {

    private static FeatureTable withOffsetSpeaker() {
        FeatureTable t = Synthetic.table(6, 30, 3);
        List<float[][]> shifted = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            float[][] s = t.samples().get(i);
            if (!t.groups()[i].equals("spk5")) {
                shifted.add(s);
                continue;
            }
            float[][] c = new float[s.length][];
            for (int b = 0; b < s.length; b++) {
                c[b] = s[b].clone();
                for (int j = 0; j < c[b].length; j++) c[b][j] += 1e6f;
            }
            shifted.add(c);
        }
        return new FeatureTable(t.layout(), t.classes(), t.ids(), shifted, t.labels(), t.groups(), t.splits(),
                t.skippedLabels(), t.skippedRows(), false);
    }

    private static Fold heldOut(FeatureTable t, String group) {
        return new FoldScheme.LeaveOneGroupOut().folds(t.labels(), t.groups(), t.splits()).stream()
                .filter(f -> f.name().equals("group " + group)).findFirst().orElseThrow();
    }

    @Test
    void scalersAreFittedOnTheTrainingFoldOnly() {
        FeatureTable t = withOffsetSpeaker();
        Fold fold = heldOut(t, "spk5");
        for (FusionMode mode : FusionMode.values()) {
            EmotionClassifier clf = new Experiment(Synthetic.settings(mode)).fit(t, new int[]{0, 1},
                    fold.train(), fold.validation());
            for (FusedSvm part : clf.parts()) {
                int[] blocks = part.fusion().blocks();
                for (int k = 0; k < blocks.length; k++) {
                    int block = blocks[k];
                    StandardScaler s = part.fusion().scalers().get(k);
                    StandardScaler expected = StandardScaler.fit(
                            java.util.Arrays.stream(fold.train()).mapToObj(i -> t.samples().get(i)[block]).toList(),
                            t.layout().block(block).dim());
                    for (int j = 0; j < s.dim(); j++) {
                        assertTrue(Math.abs(s.mean()[j]) < 100, mode + ": scaler mean " + s.mean()[j] + " saw the test fold");
                        assertEquals(expected.mean()[j], s.mean()[j], 1e-9, mode + ": mean of the training rows");
                        assertEquals(expected.scale()[j], s.scale()[j], 1e-9, mode + ": scale of the training rows");
                    }
                }
            }
        }
    }
}
