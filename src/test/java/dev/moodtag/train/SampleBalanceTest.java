package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.classify.SvmParams;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.media.Modality;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleBalanceTest {

    @Test
    void everyCorpusClassCellIsToppedUpToTheLargestAndEveryRowStays() {
        Random r = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(120);
            int[] labels = new int[n];
            String[] groups = new String[n];
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextInt(1 + r.nextInt(4));
                groups[i] = "c" + r.nextInt(1 + r.nextInt(3)) + ":s" + r.nextInt(5);
            }
            int[] rows = IntStream.range(0, n).filter(i -> r.nextInt(4) > 0).toArray();
            int[] out = SampleBalance.CORPUS_CLASS.apply(rows, labels, groups, trial);
            Map<String, Integer> before = cells(rows, labels, groups), after = cells(out, labels, groups);
            assertEquals(before.keySet(), after.keySet());
            int largest = before.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            after.values().forEach(c -> assertEquals(largest, c, "every cell as large as the largest before"));
            Map<Integer, Integer> copies = new HashMap<>();
            for (int i : out) copies.merge(i, 1, Integer::sum);
            for (int i : rows) assertTrue(copies.getOrDefault(i, 0) >= 1, "row " + i + " kept");
            assertEquals(Arrays.stream(rows).boxed().collect(java.util.stream.Collectors.toSet()), copies.keySet(),
                    "no row that was not given");
            assertArrayEquals(out, SampleBalance.CORPUS_CLASS.apply(rows, labels, groups, trial), "the same with the same seed");
            for (int k = 1; k < out.length; k++)
                assertTrue(indexOf(rows, out[k - 1]) <= indexOf(rows, out[k]), "copies side by side, in the given order");
        }
    }

    @Test
    void noneGivesTheRowsBackAndAGroupWithoutACorpusIsRefused() {
        int[] rows = {0, 1, 2};
        assertSame(rows, SampleBalance.NONE.apply(rows, new int[]{0, 1, 1}, new String[]{"a", "b", "c"}, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleBalance.CORPUS_CLASS.apply(rows, new int[]{0, 1, 1}, new String[]{"emodb:03", "spk7", "emodb:08"}, 1));
        assertTrue(e.getMessage().contains("spk7") && e.getMessage().contains("corpus:speaker"), e.getMessage());
        assertEquals(SampleBalance.CORPUS_CLASS, SampleBalance.parse("corpus-class"));
        assertThrows(IllegalArgumentException.class, () -> SampleBalance.parse("corpus"));
    }

    /**
     * Two corpora whose class boundary sits in different places on the one feature: the large one at -1, the small one
     * at +1. Pooled as they are, the large corpus places the boundary; balanced, the small one counts alike, and its
     * own held-out speakers are read better (the large corpus's a little worse). The per-corpus figures say which.
     */
    @Test
    void balancingMovesThePooledBoundaryTowardsTheSmallCorpusAndTheReportSaysPerCorpus() {
        FeatureTable t = shiftedCorpora();
        Experiment.SubsetResult plain = new Experiment(settings(SampleBalance.NONE)).run(t, new FoldScheme.GroupedKFold(4, 1)).full();
        Experiment.SubsetResult balanced = new Experiment(settings(SampleBalance.CORPUS_CLASS)).run(t, new FoldScheme.GroupedKFold(4, 1)).full();
        assertEquals(List.of("big", "small"), List.copyOf(plain.pooledByCorpus().keySet()));
        assertEquals(400, plain.pooledByCorpus().get("big").n());
        assertEquals(60, plain.pooledByCorpus().get("small").n());
        double smallPlain = plain.pooledByCorpus().get("small").ua(), smallBalanced = balanced.pooledByCorpus().get("small").ua();
        assertTrue(smallBalanced > smallPlain + 0.1, "small corpus UA " + smallPlain + " → " + smallBalanced);
        assertTrue(balanced.pooledByCorpus().get("big").ua() < plain.pooledByCorpus().get("big").ua(),
                "the large corpus gives up some of its own boundary");
        // groups that name no corpus: nothing per corpus, and balancing is refused rather than guessed
        FeatureTable plainGroups = Synthetic.table(6, 12, 5);
        assertTrue(new Experiment(settings(SampleBalance.NONE)).run(plainGroups, new FoldScheme.GroupedKFold(3, 1))
                .full().pooledByCorpus().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Experiment(settings(SampleBalance.CORPUS_CLASS))
                .run(plainGroups, new FoldScheme.GroupedKFold(3, 1)));
    }

    private static FeatureTable shiftedCorpora() {
        FeatureLayout layout = new FeatureLayout(List.of(new FeatureBlock("speech", Modality.SPEECH, 1, FeatureBlock.PRECOMPUTED)));
        Random r = new Random(11);
        List<String> ids = new ArrayList<>();
        List<float[][]> samples = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 460; i++) {
            boolean big = i < 400;
            double x = -3 + 6 * r.nextDouble();
            labels.add(x > (big ? -1 : 1) ? 1 : 0);
            groups.add(big ? "big:s" + (i % 8) : "small:s" + (i % 4));
            ids.add("u" + i);
            samples.add(new float[][]{{(float) x}});
        }
        String[] splits = new String[ids.size()];
        Arrays.fill(splits, "");
        return new FeatureTable(layout, List.of("low", "high"), ids, samples,
                labels.stream().mapToInt(Integer::intValue).toArray(), groups.toArray(String[]::new), splits, Map.of(),
                Map.of(), false);
    }

    private static ExperimentSettings settings(SampleBalance balance) {
        ExperimentSettings s = Synthetic.settings(FusionMode.EARLY);
        return new ExperimentSettings(s.mode(), new SvmParams(SvmParams.Kernel.LINEAR, 1, 0, false, SvmParams.ClassWeighting.BALANCED),
                new GridSearch(List.of(1.0), List.of(1.0), 1), s.innerFolds(), s.gridMaxSamples(), s.selectBy(),
                s.balanceBlocks(), ExperimentSettings.Ablation.NONE, s.seed(), s.classifier(), s.fusionWeights(),
                s.normalisation(), balance);
    }

    private static Map<String, Integer> cells(int[] rows, int[] labels, String[] groups) {
        Map<String, Integer> m = new HashMap<>();
        for (int i : rows) m.merge(FoldScheme.corpusOf(groups[i]) + "/" + labels[i], 1, Integer::sum);
        return m;
    }

    private static int indexOf(int[] rows, int row) {
        for (int k = 0; k < rows.length; k++) if (rows[k] == row) return k;
        return -1;
    }
}
