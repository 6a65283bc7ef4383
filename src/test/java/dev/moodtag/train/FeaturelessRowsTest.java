package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A row whose pipeline produced nothing (no face found) is scored, not silently dropped from the test fold. */
class FeaturelessRowsTest {

    @Test
    void featurelessTestRowsCountAsTheTrainingMajority() {
        FeatureTable t = Synthetic.table(6, 30, 9);
        List<float[][]> samples = new ArrayList<>(t.samples());
        int[] labels = t.labels().clone();
        for (int i = 0; i < samples.size(); i++) {
            if (t.groups()[i].equals("spk0") && labels[i] == 2) samples.set(i, new float[2][]); // 10 rows, class "sad"
        }
        FeatureTable scored = new FeatureTable(t.layout(), t.classes(), t.ids(), samples, labels, t.groups(), t.splits(),
                Map.of(), Map.of(), true);
        Experiment.Result r = new Experiment(Synthetic.settings(FusionMode.EARLY)).run(scored, new FoldScheme.LeaveOneGroupOut());
        Experiment.FoldResult spk0 = r.full().folds().stream().filter(f -> f.fold().equals("group spk0")).findFirst().orElseThrow();
        assertEquals(30, spk0.testRows(), "all 30 rows of the speaker are tested");
        int[][] cm = spk0.metrics().confusion();
        assertEquals(10, cm[2][0] + cm[2][1] + cm[2][2]);
        assertEquals(10, cm[2][0], "no input: the training majority (class 0 on ties) is the answer, and it is wrong");
    }
}
