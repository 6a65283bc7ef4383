package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14: report.md names what was done: which outer folds, and where C and gamma were chosen. */
class ReportWordingTest {

    @TempDir
    Path dir;

    @Test
    void aGivenSplitSaysTheDevSplitChoseOnlyWhenItHasDevRows() throws Exception {
        String dev = report(withSplits(Synthetic.table(6, 24, 11), "train", "dev", "test"), new FoldScheme.GivenSplit(), settings(3));
        assertTrue(dev.contains("* evaluated once on the official test split (48 rows); trained on its train split (48 rows)"), dev);
        assertTrue(dev.contains("* C and gamma chosen by UA on the dev split (48 rows)"), dev);
        assertFalse(dev.contains("inner"), dev);

        String noDev = report(withSplits(Synthetic.table(6, 24, 11), "train", "train", "test"), new FoldScheme.GivenSplit(), settings(3));
        assertTrue(noDev.contains("trained on its train split (96 rows)"), noDev);
        assertTrue(noDev.contains("* C and gamma chosen by UA on 3 inner grouped folds of each outer training set"), noDev);
        assertFalse(noDev.contains("dev split"), noDev);
    }

    @Test
    void groupedAndLeaveOneGroupOutFoldsAreNamedWithTheirCount() throws Exception {
        String grouped = report(Synthetic.table(6, 24, 11), new FoldScheme.GroupedKFold(3, 1), settings(3));
        assertTrue(grouped.contains("* outer folds: 3-fold grouped (no group on both sides; seed 1), 3 folds"), grouped);
        assertTrue(grouped.contains("* C and gamma chosen by UA on 3 inner grouped folds of each outer training set"), grouped);
        String logo = report(Synthetic.table(6, 24, 11), new FoldScheme.LeaveOneGroupOut(), settings(2));
        assertTrue(logo.contains("* outer folds: leave-one-group-out, 6 folds"), logo);
        assertTrue(logo.contains("on 2 inner grouped folds of each outer training set"), logo);
    }

    @Test
    void withoutGroupsTheInnerFoldsAreStratifiedAndSaySo() throws Exception {
        FeatureTable t = Synthetic.table(6, 24, 11);
        String[] none = new String[t.size()];
        java.util.Arrays.fill(none, "");
        FeatureTable ungrouped = new FeatureTable(t.layout(), t.classes(), t.ids(), t.samples(), t.labels(), none, t.splits(),
                Map.of(), Map.of(), false);
        String md = report(ungrouped, new FoldScheme.StratifiedKFold(4, 1), settings(3));
        assertTrue(md.contains("* outer folds: 4-fold stratified (seed 1), 4 folds"), md);
        assertTrue(md.contains("* C and gamma chosen by UA on 3 inner stratified folds of each outer training set"), md);
    }

    @Test
    void theOneStandardErrorRuleIsNamedWhereItChose() throws Exception {
        ExperimentSettings oneSe = Synthetic.settings(FusionMode.EARLY, ExperimentSettings.Ablation.NONE, 3,
                new GridSearch(List.of(0.1, 1.0, 10.0), List.of(0.5, 1.0), 1, GridSearch.Rule.ONE_SE));
        String md = report(Synthetic.table(6, 24, 11), new FoldScheme.GroupedKFold(3, 1), oneSe);
        assertTrue(md.contains("* C and gamma chosen by UA (one-standard-error rule: the smallest gamma, then C, within one "
                + "standard error of the best) on 3 inner grouped folds of each outer training set"), md);
        assertFalse(report(Synthetic.table(6, 24, 11), new FoldScheme.GroupedKFold(3, 1), settings(3)).contains("one-standard-error"));
    }

    @Test
    void aOnePointGridSaysNothingWasChosen() throws Exception {
        ExperimentSettings fixed = Synthetic.settings(FusionMode.EARLY, ExperimentSettings.Ablation.NONE, 3,
                new GridSearch(List.of(1.0), List.of(1.0), 1));
        String md = report(Synthetic.table(6, 24, 11), new FoldScheme.GroupedKFold(3, 1), fixed);
        assertTrue(md.contains("* C and gamma fixed: one grid point, no search"), md);
        assertFalse(md.contains("chosen by"), md);
    }

    @Test
    void rowsWithoutFeaturesAreListedByIdWithTheirReason() throws Exception {
        FeatureTable t = Synthetic.table(6, 24, 11);
        Experiment.Result r = new Experiment(settings(3)).run(t, new FoldScheme.GroupedKFold(3, 1));
        Map<String, String> featureless = new TreeMap<>(Map.of("img-0007", "no face found in any frame",
                "clip|9", "clip|9.mp4: invalid data\nfound when processing input"));
        Path out = dir.resolve("listed");
        ReportWriter.write(out, new ReportWriter.Context("synthetic", dir.resolve("s.csv"), "0".repeat(64), "identity",
                settings(3), Map.of(), featureless, true, Map.of()), t, r);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("2 rows without any features (scored: they count as the training majority class, listed below)"), md);
        assertTrue(md.contains("## Rows without features (2, scored: they count as the training majority class)"), md);
        assertTrue(md.contains("| img-0007 | no face found in any frame |"), md);
        assertTrue(md.contains("| clip\\|9 | clip\\|9.mp4: invalid data found when processing input |"), "a cell cannot break the table: " + md);
        String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("\"img-0007\" : \"no face found in any frame\""), json);
    }

    private static ExperimentSettings settings(int innerFolds) {
        return Synthetic.settings(FusionMode.EARLY, ExperimentSettings.Ablation.NONE, innerFolds, Synthetic.settings(FusionMode.EARLY).grid());
    }

    /** Groups 0–1 get the first split name, 2–3 the second, 4–5 the third. */
    private static FeatureTable withSplits(FeatureTable t, String first, String second, String third) {
        String[] splits = new String[t.size()];
        for (int i = 0; i < t.size(); i++) {
            int g = Integer.parseInt(t.groups()[i].substring(3));
            splits[i] = g < 2 ? first : g < 4 ? second : third;
        }
        return new FeatureTable(t.layout(), t.classes(), t.ids(), t.samples(), t.labels(), t.groups(), splits, Map.of(), Map.of(), false);
    }

    private String report(FeatureTable t, FoldScheme scheme, ExperimentSettings s) throws Exception {
        Experiment.Result r = new Experiment(s).run(t, scheme);
        Path out = Files.createTempDirectory(dir, "report");
        ReportWriter.write(out, new ReportWriter.Context("synthetic", dir.resolve("s.csv"), "0".repeat(64), "identity", s,
                Map.of(), Map.of(), false, Map.of()), t, r);
        return Files.readString(out.resolve("report.md"));
    }
}
