package dev.moodtag.batch;

import dev.moodtag.support.SettingOutOfRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule k<i>q</i> of bench/self_train.py on synthetic probability tables: ties, a class never predicted, the caps. */
class SelfTrainingRuleTest {

    private static final SelfTraining DEFAULTS = new SelfTraining(0.25, 300, 100);

    private static SelfTraining.Scored s(int slot, int label, double p) {
        return new SelfTraining.Scored(slot, label, p);
    }

    private static List<Integer> slots(List<SelfTraining.Scored> picks) {
        return picks.stream().map(SelfTraining.Scored::slot).toList();
    }

    @Test
    void theMostConfidentGoFirstClassByClassTiesInTheBatchsOrderAndUnlabelledClipsNever() {
        List<SelfTraining.Scored> clips = List.of(s(0, 0, 0.5), s(1, 1, 0.9), s(2, 0, 0.8), s(3, 2, 0.7), s(4, 3, 0.6),
                s(5, 0, 0.8), s(6, 1, 0.9), s(7, 2, 0.7), s(8, 3, 0.6), s(9, -1, 0), s(10, 3, 0.99), s(11, 2, 0.4));
        // 12 clips, q = 1: round(1 × 12 / 4) = 3 per class, but class 1 was predicted twice: 2 each
        assertEquals(List.of(2, 5, 1, 6, 3, 7, 10, 4), slots(new SelfTraining(1, 2, 100).picks(clips, 4)));
        // q = 0.25: round(0.75) = 1 each, the first of each tie
        assertEquals(List.of(2, 1, 3, 10), slots(new SelfTraining(0.25, 2, 100).picks(clips, 4)));
    }

    @Test
    void aClassNeverPredictedAddsNoClipAtAll() {
        List<SelfTraining.Scored> clips = new ArrayList<>();
        for (int i = 0; i < 400; i++) clips.add(s(i, i % 3, 0.5 + i / 1000.0)); // class 3 never predicted
        assertEquals(List.of(), DEFAULTS.picks(clips, 4));
        clips.set(17, s(17, 3, 0.3)); // once: one clip per class
        assertEquals(4, DEFAULTS.picks(clips, 4).size());
    }

    @Test
    void theShareRoundsHalfToEvenAsPythonsRoundAndTheCapBoundsBigBatches() {
        // 40 clips, q = 0.25: 2.5 -> 2 (Python's round); 56 clips: 3.5 -> 4; 4 clips: 0.25 -> at least 1
        for (int[] nWant : new int[][]{{40, 2}, {56, 4}, {4, 1}, {339, 21}, {672, 42}}) {
            List<SelfTraining.Scored> clips = new ArrayList<>();
            for (int i = 0; i < nWant[0]; i++) clips.add(s(i, i % 4, 1 - i / 10000.0));
            assertEquals(4 * nWant[1], DEFAULTS.picks(clips, 4).size(), nWant[0] + " clips");
        }
        List<SelfTraining.Scored> big = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) big.add(s(i, i % 4, (i * 7919 % 10_000) / 10_000.0));
        assertEquals(400, DEFAULTS.picks(big, 4).size(), "round(0.25 x 10000 / 4) = 625 capped at 100 a class");
        assertEquals(4 * 625, new SelfTraining(0.25, 300, 1000).picks(big, 4).size());
    }

    /** A seeded grid of random tables: each class gets the same number, each class's picks are its most confident. */
    @Test
    void onRandomTablesEveryClassGetsTheSameNumberAndItsMostConfidentClips() {
        Random r = new Random(14);
        for (int t = 0; t < 500; t++) {
            int n = 1 + r.nextInt(900), k = 2 + r.nextInt(5);
            double q = 0.05 + r.nextDouble() * 0.95;
            int cap = 1 + r.nextInt(150);
            List<SelfTraining.Scored> clips = new ArrayList<>();
            for (int i = 0; i < n; i++)
                clips.add(s(i, r.nextInt(10) == 0 ? -1 : r.nextInt(k), r.nextInt(4) == 0 ? 0.5 : r.nextDouble()));
            List<SelfTraining.Scored> picks = new SelfTraining(q, 2, cap).picks(clips, k);
            var byClass = picks.stream().collect(Collectors.groupingBy(SelfTraining.Scored::label));
            int least = Integer.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                int cc = c;
                least = Math.min(least, (int) clips.stream().filter(x -> x.label() == cc).count());
            }
            int per = Math.min(least, Math.min(cap, Math.max(1, (int) Math.rint(q * n / k))));
            assertEquals(per * k, picks.size(), "table " + t);
            if (per == 0) continue;
            for (int c = 0; c < k; c++) {
                int cc = c;
                List<SelfTraining.Scored> mine = byClass.get(c);
                assertEquals(per, mine.size());
                double lowestPicked = mine.stream().mapToDouble(SelfTraining.Scored::probability).min().orElseThrow();
                assertTrue(clips.stream().filter(x -> x.label() == cc && !mine.contains(x))
                        .allMatch(x -> x.probability() <= lowestPicked), "table " + t + " class " + c);
                assertEquals(mine.stream().sorted(Comparator.comparingDouble(SelfTraining.Scored::probability).reversed()
                        .thenComparingInt(SelfTraining.Scored::slot)).toList(), mine, "most confident first, ties by slot");
            }
        }
    }

    @Test
    void settingsOutOfRangeAreRefusedNamingTheSetting() {
        assertTrue(assertThrows(SettingOutOfRange.class, () -> new SelfTraining(0, 300, 100)).getMessage()
                .contains("moodtag.batch.self-train-share"));
        assertThrows(SettingOutOfRange.class, () -> new SelfTraining(Double.NaN, 300, 100));
        assertThrows(SettingOutOfRange.class, () -> new SelfTraining(1.5, 300, 100));
        assertTrue(assertThrows(SettingOutOfRange.class, () -> new SelfTraining(0.25, 1, 100)).getMessage()
                .contains("moodtag.batch.self-train-min-clips"));
        assertTrue(assertThrows(SettingOutOfRange.class, () -> new SelfTraining(0.25, 300, 0)).getMessage()
                .contains("moodtag.batch.self-train-max-per-class"));
    }
}
