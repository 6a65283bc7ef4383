package dev.moodtag.train;

import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.fuse.StandardScaler;
import dev.moodtag.media.Modality;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupNormalisationTest {

    /** The synthetic table with groups renamed corpus:speaker (spk0–2 in corpus a, spk3–5 in b, b shifted by +50). */
    private static FeatureTable twoCorpora() {
        FeatureTable t = Synthetic.table(6, 30, 21);
        String[] groups = new String[t.size()];
        List<float[][]> samples = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            int spk = Integer.parseInt(t.groups()[i].substring(3));
            String corpus = spk < 3 ? "a" : "b";
            groups[i] = FoldScheme.corpusGroup(corpus, t.groups()[i]);
            float[][] s = t.samples().get(i).clone();
            if (corpus.equals("b")) {
                s[0] = s[0].clone();
                for (int j = 0; j < s[0].length; j++) s[0][j] += 50;
            }
            if (i == 0) s[1] = null; // a missing block stays missing
            samples.add(s);
        }
        return new FeatureTable(t.layout(), t.classes(), t.ids(), samples, t.labels(), groups, t.splits(), t.skippedLabels(),
                t.skippedRows(), false);
    }

    private static double mean(FeatureTable t, int block, int dim, String corpusOrGroup, boolean byCorpus) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < t.size(); i++) {
            String key = byCorpus ? FoldScheme.corpusOf(t.groups()[i]) : t.groups()[i];
            if (!key.equals(corpusOrGroup) || t.samples().get(i)[block] == null) continue;
            sum += t.samples().get(i)[block][dim];
            n++;
        }
        return sum / n;
    }

    @Test
    void eachCorpusOrSpeakerIsStandardisedWithItsOwnStatistics() {
        FeatureTable t = twoCorpora();
        FeatureTable byCorpus = GroupNormalisation.CORPUS.apply(t);
        for (String c : List.of("a", "b")) assertEquals(0, mean(byCorpus, 0, 2, c, true), 1e-5, "corpus " + c);
        FeatureTable bySpeaker = GroupNormalisation.SPEAKER.apply(t);
        assertEquals(0, mean(bySpeaker, 1, 0, "a:spk0", false), 1e-5);
        assertEquals(0, mean(bySpeaker, 0, 0, "b:spk4", false), 1e-5);
        assertNull(byCorpus.samples().get(0)[1]);
        assertEquals(55.0, t.samples().get(t.size() - 1)[0][2], 5.0, "the input table is not changed");
        assertSame(t, GroupNormalisation.NONE.apply(t));
    }

    /**
     * Two speakers, two classes, one value per row: class 0 reads 0, class 1 reads 10, two rows each. Balanced, each
     * speaker's mean is 5 and spread 5. Skewed, the first speaker (name order) has class 0 carry 80 % of the weight:
     * mean (0.8 x 0 + 0.2 x 10) = 2, spread sqrt(0.8 x 4 + 0.2 x 64) = 4; the second speaker has class 1 dominant:
     * mean 8, spread 4.
     */
    @Test
    void skewedStatisticsLetOneEmotionCarryEightyPercentOfEachTestSpeakersWeight() {
        FeatureLayout one = new FeatureLayout(List.of(new FeatureBlock("speech", Modality.SPEECH, 1, FeatureBlock.PRECOMPUTED)));
        int[] labels = {0, 0, 1, 1, 0, 0, 1, 1};
        String[] groups = {"b", "b", "b", "b", "a", "a", "a", "a"};
        List<float[][]> samples = new ArrayList<>();
        for (int y : labels) samples.add(new float[][]{{y * 10f}});
        String[] ids = {"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"};
        FeatureTable t = new FeatureTable(one, List.of("neutral", "sad"), List.of(ids), samples, labels, groups,
                new String[8], Map.of(), Map.of(), false);

        FeatureTable trained = GroupNormalisation.SPEAKER_SKEWED.apply(t);
        for (int i = 0; i < 8; i++) assertEquals(labels[i] == 0 ? -1 : 1, trained.samples().get(i)[0][0], 1e-6);
        FeatureTable tested = GroupNormalisation.SPEAKER_SKEWED.forTesting(t, trained);
        for (int i = 0; i < 8; i++) {
            double expected = groups[i].equals("a") ? (labels[i] == 0 ? -0.5 : 2.0) : (labels[i] == 0 ? -2.0 : 0.5);
            assertEquals(expected, tested.samples().get(i)[0][0], 1e-6, "row " + i);
        }
        assertSame(trained, GroupNormalisation.SPEAKER.forTesting(t, trained), "only the skewed variant tests apart");
        assertEquals(GroupNormalisation.SPEAKER_SKEWED, GroupNormalisation.parse("speaker-skewed"));
    }

    /** The option as a user types it, with the wrong spellings a user types too. */
    @Test
    void theOptionParsesEverySpellingItDocumentsAndNamesTheChoicesOtherwise() {
        for (GroupNormalisation g : GroupNormalisation.values()) {
            assertEquals(g, GroupNormalisation.parse(g.option()));
            assertEquals(g, GroupNormalisation.parse(" " + g.option().toUpperCase() + " "));
        }
        for (String bad : List.of("", "speaker_skewed", "speakers", "skewed", "speaker-skewed-0.9", "\u0000", "corpus,speaker")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupNormalisation.parse(bad));
            assertTrue(e.getMessage().contains("none, corpus, speaker, speaker-skewed, speaker-guarded or speaker-skewed-guarded"),
                    e.getMessage());
        }
    }

    @Test
    void aWeightedFitIsTheFitOfRepeatedRows() {
        List<float[]> rows = List.of(new float[]{1, 7}, new float[]{4, -2}, new float[]{0, 3});
        StandardScaler weighted = StandardScaler.fitWeighted(rows, new double[]{3, 1, 2}, 2);
        List<float[]> repeated = List.of(rows.get(0), rows.get(0), rows.get(0), rows.get(1), rows.get(2), rows.get(2));
        StandardScaler plain = StandardScaler.fit(repeated, 2);
        for (int j = 0; j < 2; j++) {
            assertEquals(plain.mean()[j], weighted.mean()[j], 1e-9);
            assertEquals(plain.scale()[j], weighted.scale()[j], 1e-9);
        }
    }

    @Test
    void corpusNormalisationNeedsCorpusGroups() {
        FeatureTable plain = Synthetic.table(3, 6, 1);
        assertThrows(IllegalArgumentException.class, () -> GroupNormalisation.CORPUS.apply(plain));
        GroupNormalisation.SPEAKER.apply(plain);
    }
}
