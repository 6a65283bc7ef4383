package dev.moodtag.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void corpusNormalisationNeedsCorpusGroups() {
        FeatureTable plain = Synthetic.table(3, 6, 1);
        assertThrows(IllegalArgumentException.class, () -> GroupNormalisation.CORPUS.apply(plain));
        GroupNormalisation.SPEAKER.apply(plain);
    }
}
