package dev.moodtag.train;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldSchemeTest {

    private static void assertPartition(List<Fold> folds, int n) {
        int[] seen = new int[n];
        for (Fold f : folds) {
            for (int i : f.test()) seen[i]++;
            Set<Integer> train = new HashSet<>();
            for (int i : f.train()) train.add(i);
            for (int i : f.test()) assertFalse(train.contains(i), "row " + i + " is in train and test of " + f.name());
            assertEquals(n, f.train().length + f.test().length, "every row is on one side of " + f.name());
        }
        for (int i = 0; i < n; i++) assertEquals(1, seen[i], "row " + i + " is tested exactly once");
    }

    private static void assertNoGroupSplit(List<Fold> folds, String[] groups) {
        for (Fold f : folds) {
            Set<String> trainGroups = new HashSet<>();
            for (int i : f.train()) trainGroups.add(groups[i]);
            for (int i : f.test())
                assertFalse(trainGroups.contains(groups[i]), "group " + groups[i] + " is on both sides of " + f.name());
        }
    }

    @Test
    void groupedKFoldNeverSplitsAGroupAndBalancesFolds() {
        int n = 1000;
        String[] g = new String[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            g[i] = "actor" + (i % 24 == 23 ? 5 : i % 24); // actor5 twice as big, actor23 absent
            y[i] = i % 8;
        }
        List<Fold> folds = new FoldScheme.GroupedKFold(6, 42).folds(y, g, new String[n]);
        assertEquals(6, folds.size());
        assertPartition(folds, n);
        assertNoGroupSplit(folds, g);
        int min = folds.stream().mapToInt(f -> f.test().length).min().orElseThrow();
        int max = folds.stream().mapToInt(f -> f.test().length).max().orElseThrow();
        assertTrue(max - min <= 2 * n / 23, "folds balanced by rows: " + min + ".." + max);
        // deterministic for a seed
        List<Fold> again = new FoldScheme.GroupedKFold(6, 42).folds(y, g, new String[n]);
        for (int f = 0; f < 6; f++) assertTrue(Arrays.equals(folds.get(f).test(), again.get(f).test()));
    }

    @Test
    void leaveOneGroupOutHoldsOutEachGroupOnce() {
        String[] g = {"03", "08", "03", "09", "08", "03"};
        List<Fold> folds = new FoldScheme.LeaveOneGroupOut().folds(new int[6], g, new String[6]);
        assertEquals(3, folds.size());
        assertPartition(folds, 6);
        assertNoGroupSplit(folds, g);
        assertTrue(Arrays.equals(new int[]{0, 2, 5}, folds.get(0).test()));
    }

    @Test
    void stratifiedKFoldSpreadsEachClass() {
        int n = 103;
        int[] y = IntStream.range(0, n).map(i -> i < 10 ? 2 : i % 2).toArray();
        List<Fold> folds = new FoldScheme.StratifiedKFold(5, 1).folds(y, new String[n], new String[n]);
        assertPartition(folds, n);
        for (Fold f : folds) {
            long rare = Arrays.stream(f.test()).filter(i -> y[i] == 2).count();
            assertEquals(2, rare, "10 rows of the rare class give 2 per fold");
        }
    }

    @Test
    void givenSplitUsesTheSplitColumnAndDevForSelection() {
        String[] s = {"train", "train", "dev", "test", "train", "test"};
        List<Fold> folds = FoldScheme.parse("split", 0, new String[6], s).folds(new int[6], new String[6], s);
        assertEquals(1, folds.size());
        assertTrue(Arrays.equals(new int[]{0, 1, 4}, folds.get(0).train()));
        assertTrue(Arrays.equals(new int[]{2}, folds.get(0).validation()));
        assertTrue(Arrays.equals(new int[]{3, 5}, folds.get(0).test()));
    }

    @Test
    void givenSplitRefusesRowsThatWouldBeNeitherTrainedNorTested() {
        String[] s = {"train", "val", "test", "", "train", "test"};
        var e = assertThrows(IllegalArgumentException.class,
                () -> new FoldScheme.GivenSplit().folds(new int[6], new String[6], s));
        assertTrue(e.getMessage().contains("2 row(s) are in none of them, the first (row 1) with split 'val'"), e.getMessage());
    }

    @Test
    void autoPicksTheProtocol() {
        String[] none = new String[4];
        Arrays.fill(none, "");
        assertInstanceOf(FoldScheme.GivenSplit.class, FoldScheme.parse("auto", 0, none, new String[]{"train", "test", "", ""}));
        assertInstanceOf(FoldScheme.LeaveOneGroupOut.class, FoldScheme.parse("auto", 0, new String[]{"a", "b", "a", "c"}, none));
        assertInstanceOf(FoldScheme.StratifiedKFold.class, FoldScheme.parse("auto", 0, none, none));
        assertThrows(IllegalArgumentException.class, () -> FoldScheme.parse("random:3", 0, none, none));
    }

    @Test
    void corpusFoldsHoldOutWholeCorporaAndKeepSpeakersApart() {
        String[] groups = {"emodb:03", "emodb:08", "ravdess:actor01", "emodb:03", "ravdess:actor02", "iemocap:s1"};
        int[] labels = new int[groups.length];
        String[] splits = new String[groups.length];
        List<Fold> folds = FoldScheme.parse("corpus", 0, groups, splits).folds(labels, groups, splits);
        assertEquals(List.of("test corpus emodb", "test corpus iemocap", "test corpus ravdess"), folds.stream().map(Fold::name).toList());
        assertPartition(folds, groups.length);
        assertNoGroupSplit(folds, groups);
        assertTrue(Arrays.equals(new int[]{0, 1, 3}, folds.get(0).test()));
        List<Fold> one = FoldScheme.parse("corpus:ravdess", 0, groups, splits).folds(labels, groups, splits);
        assertEquals(1, one.size());
        assertTrue(Arrays.equals(new int[]{2, 4}, one.get(0).test()));
        assertTrue(Arrays.equals(new int[]{0, 1, 3, 5}, one.get(0).train()));
    }

    @Test
    void corpusFoldsRefuseGroupsWithoutACorpusAndUnknownCorpora() {
        String[] splits = new String[3];
        int[] labels = new int[3];
        String[] plain = {"03", "08", "09"};
        assertThrows(IllegalArgumentException.class, () -> new FoldScheme.LeaveOneCorpusOut("").folds(labels, plain, splits));
        String[] oneCorpus = {"emodb:03", "emodb:08", "emodb:09"};
        assertThrows(IllegalArgumentException.class, () -> new FoldScheme.LeaveOneCorpusOut("").folds(labels, oneCorpus, splits));
        String[] two = {"emodb:03", ":08", "ravdess:actor01"};
        assertThrows(IllegalArgumentException.class, () -> new FoldScheme.LeaveOneCorpusOut("").folds(labels, two, splits));
        String[] ok = {"emodb:03", "emodb:08", "ravdess:actor01"};
        assertThrows(IllegalArgumentException.class, () -> new FoldScheme.LeaveOneCorpusOut("meld").folds(labels, ok, splits));
    }

    /**
     * Fewer than 2 inner folds are refused when the settings are made, before any feature is extracted: 0 divided by
     * zero and 1 said "too few rows or groups for the grid search" (found by a review of every setting).
     */
    @Test
    void fewerThanTwoInnerFoldsAreRefusedBeforeAnyWork() {
        for (int k : new int[]{1, 0, -2}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Synthetic.settings(dev.moodtag.classify.FusionMode.EARLY, ExperimentSettings.Ablation.NONE, k,
                            new dev.moodtag.classify.GridSearch(java.util.List.of(1.0), java.util.List.of(1.0), 1)));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("--inner-folds"), e.getMessage());
        }
    }

    /**
     * Every number of inner folds is either refused when the settings are made, naming the option and the key, or one
     * an experiment on a small table finishes with (found by a grid over every setting's extremes): 2147483647 was
     * accepted, and moodtag train then looped over its empty folds past any wait (still running after 230 s on 60 rows).
     */
    @Test
    void everyNumberOfInnerFoldsIsRefusedBeforeAnyWorkOrTheExperimentFinishes() throws Exception {
        FeatureTable table = Synthetic.table(5, 12, 3);
        dev.moodtag.classify.GridSearch grid = new dev.moodtag.classify.GridSearch(java.util.List.of(1.0), java.util.List.of(1.0), 1);
        java.util.List<String> bad = new java.util.ArrayList<>();
        int[] ks = {2, 3, 10, 1000, 1001, 100_000, 1 << 24, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        for (int k : ks) {
            ExperimentSettings settings;
            try {
                settings = Synthetic.settings(dev.moodtag.classify.FusionMode.EARLY, ExperimentSettings.Ablation.NONE, k, grid);
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().contains("--inner-folds, moodtag.train.inner-folds") || !e.getMessage().endsWith("not " + k))
                    bad.add(k + " refused as: " + e.getMessage());
                continue;
            }
            java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "inner-folds-" + k);
                t.setDaemon(true);
                return t;
            });
            java.util.concurrent.Future<?> run = one.submit(() -> new Experiment(settings).run(table, new FoldScheme.GroupedKFold(5, 1)));
            try {
                run.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                bad.add(k + " accepted, and the experiment on " + table.size() + " rows still ran after 30 s");
            } catch (java.util.concurrent.ExecutionException e) {
                bad.add(k + " accepted, then: " + e.getCause());
            } finally {
                run.cancel(true);
                one.shutdownNow();
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), bad, bad.size() + " of " + ks.length + " numbers of inner folds");
    }
}
