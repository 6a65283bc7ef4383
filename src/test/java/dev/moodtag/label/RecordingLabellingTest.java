package dev.moodtag.label;

import dev.moodtag.classify.EmotionClassifier;
import dev.moodtag.classify.FusedSvm;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.StandardisedOver;
import dev.moodtag.classify.SvmParams;
import dev.moodtag.fuse.FeatureBlock;
import dev.moodtag.fuse.FeatureLayout;
import dev.moodtag.fuse.GroupStandardiser;
import dev.moodtag.media.Modality;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A classifier with a part trained on speech standardised per speaker: which parts vote on a lone utterance and on a
 * recording's segment, what the guard lets through, and that standardising over a recording removes a speaker's
 * offset that the per-utterance part cannot (so these tests fail if the second pass did not standardise).
 */
public class RecordingLabellingTest {

    public static final List<String> CLASSES = List.of("neutral", "happy", "sad");
    static final FeatureLayout LAYOUT = new FeatureLayout(List.of(
            new FeatureBlock("speech", Modality.SPEECH, 2, FeatureBlock.PRECOMPUTED),
            new FeatureBlock("video", Modality.VIDEO, 2, FeatureBlock.PRECOMPUTED)));
    static final SvmParams PARAMS = new SvmParams(SvmParams.Kernel.RBF, 1, 0.5, true, SvmParams.ClassWeighting.BALANCED);
    public static final EmotionClassifier CLF = classifier();

    /** One speaker's rows: the class shows in speech relative to the speaker's own level, and in video. */
    public static List<float[][]> speaker(double offset, int rows, boolean video, Random r) {
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int y = i % 3;
            float[] a = {(float) (1.5 * y + offset + 0.3 * r.nextGaussian()), (float) (offset + r.nextGaussian())};
            float[] v = video ? new float[]{(float) (y == 1 ? 1 : 0), (float) (y == 2 ? 1 : 0)} : null;
            out.add(new float[][]{a, v});
        }
        return out;
    }

    /** Parts: speech per utterance, speech standardised per speaker (recording), video. */
    static EmotionClassifier classifier() {
        Random r = new Random(3);
        List<float[][]> raw = new ArrayList<>(), perSpeaker = new ArrayList<>();
        for (double offset : new double[]{-1, 0, 1}) {
            List<float[][]> rows = speaker(offset, 30, true, r);
            raw.addAll(rows);
            perSpeaker.addAll(GroupStandardiser.standardise(rows, new int[]{0}, null));
        }
        int[] y = IntStream.range(0, raw.size()).map(i -> i % 3).toArray();
        int[] all = IntStream.range(0, raw.size()).toArray();
        FusedSvm speech = FusedSvm.train(LAYOUT, raw, all, y, 3, new int[]{0}, false, PARAMS);
        FusedSvm overRecording = FusedSvm.train(LAYOUT, perSpeaker, all, y, 3, new int[]{0}, false, PARAMS)
                .standardisedOver(StandardisedOver.RECORDING);
        FusedSvm video = FusedSvm.train(LAYOUT, raw, all, y, 3, new int[]{1}, false, PARAMS);
        return new EmotionClassifier(FusionMode.LATE, CLASSES, LAYOUT, List.of(speech, overRecording, video),
                new double[]{1, 1, 0.5});
    }

    @Test
    void aLoneUtteranceNeverMeetsTheRecordingPartAndARecordingsSegmentMeetsItInsteadOfTheUtterancePart() {
        EmotionClassifier clf = CLF;
        assertTrue(clf.hasRecordingParts());
        assertArrayEquals(new int[]{0}, clf.recordingBlocks());
        assertEquals(List.of(0, 2), clf.utteranceParts());
        assertEquals(List.of(1, 2), clf.recordingParts());
        float[][] sample = {{3f, 1f}, {0f, 1f}};
        float[][] standardised = {{-1.2f, 0.3f}, {0f, 1f}};
        assertEquals(List.of(0, 2), clf.predict(sample).partsUsed());
        EmotionClassifier.Prediction p = clf.predictOverRecording(sample, standardised);
        assertEquals(List.of(1, 2), p.partsUsed());
        FusedSvm rec = clf.parts().get(1), video = clf.parts().get(2);
        double[] expected = EmotionClassifier.fuse(new double[][]{null,
                rec.model().probabilities(rec.fusion().transform(standardised)),
                video.model().probabilities(video.fusion().transform(sample))}, clf.weights());
        assertArrayEquals(expected, p.probabilities(), 1e-12);
        // Without the recording part the classifier is what it always was.
        EmotionClassifier plain = new EmotionClassifier(FusionMode.LATE, CLASSES, LAYOUT,
                List.of(clf.parts().get(0), clf.parts().get(2)), new double[]{1, 0.5});
        assertFalse(plain.hasRecordingParts());
        assertArrayEquals(plain.predict(sample).probabilities(), clf.predict(sample).probabilities(), 1e-12);
        assertTrue(new SvmLabeller(plain, "plain").overRecording().isEmpty());
    }

    @Test
    void standardisingOverTheRecordingRemovesTheOffsetThatTheUtterancePartReadsAsOneEmotion() {
        SvmLabeller labeller = new SvmLabeller(CLF, "test");
        Labeller.OverRecording over = labeller.overRecording().orElseThrow();
        // A new speaker far louder than any training speaker, speech only: per utterance it reads as happy and sad.
        List<float[][]> segments = speaker(4, 30, false, new Random(11));
        List<Labelling> firstPass = segments.stream().map(RecordingLabellingTest::firstPass).toList();
        double before = accuracy(firstPass);
        assertTrue(before < 0.5, "per utterance " + before);

        RecordingRelabeller.Outcome open = RecordingRelabeller.relabel(over, new RecordingGuard(10, 1.0), CLASSES, segments, firstPass);
        assertTrue(open.verdict().standardised());
        assertEquals(30, open.verdict().segments());
        assertNull(open.verdict().reason());
        double after = accuracy(open.labellings());
        assertTrue(after > 0.8, "over the recording " + after + " (per utterance " + before + ")");

    }

    @Test
    void theDefaultGuardKeepsTheFirstPassOfARecordingHeldInOneMoodAndSaysWhy() {
        SvmLabeller labeller = new SvmLabeller(CLF, "test");
        Labeller.OverRecording over = labeller.overRecording().orElseThrow();
        // A speaker like the training ones, 17 of every 20 utterances sad.
        Random r = new Random(13);
        List<float[][]> segments = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int y = i % 20 < 17 ? 2 : i % 2;
            segments.add(new float[][]{{(float) (1.5 * y + 0.3 * r.nextGaussian()), (float) r.nextGaussian()}, null});
        }
        List<Labelling> firstPass = segments.stream().map(RecordingLabellingTest::firstPass).toList();
        RecordingRelabeller.Outcome guarded = RecordingRelabeller.relabel(over, RecordingGuard.DEFAULT, CLASSES, segments, firstPass);
        assertFalse(guarded.verdict().standardised());
        assertEquals("sad", guarded.verdict().dominant());
        assertTrue(guarded.verdict().reason().matches("\\d+ % of the first pass's labels are sad, above the guard's 65 %"),
                guarded.verdict().reason());
        for (int i = 0; i < segments.size(); i++) assertSame(firstPass.get(i), guarded.labellings().get(i));
        // Unguarded, standardising pulls the sad majority towards the middle: the harm the guard is there for.
        RecordingRelabeller.Outcome open = RecordingRelabeller.relabel(over, new RecordingGuard(10, 1.0), CLASSES, segments, firstPass);
        long sadBefore = firstPass.stream().filter(l -> "sad".equals(l.label())).count();
        long sadAfter = open.labellings().stream().filter(l -> "sad".equals(l.label())).count();
        assertTrue(sadAfter < sadBefore, sadBefore + " sad per utterance, " + sadAfter + " over the recording");
    }

    @Test
    void aSegmentWithoutTheStandardisedBlocksKeepsItsFirstPassAndDoesNotCountTowardsTheRecording() {
        SvmLabeller labeller = new SvmLabeller(CLF, "test");
        Labeller.OverRecording over = labeller.overRecording().orElseThrow();
        List<float[][]> segments = new ArrayList<>(speaker(0, 12, true, new Random(5)));
        segments.add(new float[][]{null, {1f, 0f}}); // a face but no speech
        List<Labelling> firstPass = segments.stream().map(RecordingLabellingTest::firstPass).toList();
        RecordingRelabeller.Outcome o = RecordingRelabeller.relabel(over, new RecordingGuard(10, 1.0), CLASSES, segments, firstPass);
        assertTrue(o.verdict().standardised());
        assertEquals(12, o.verdict().segments());
        assertSame(firstPass.get(12), o.labellings().get(12));
        assertTrue(o.labellings().get(0).perModality().containsKey("speech"));

        RecordingRelabeller.Outcome few = RecordingRelabeller.relabel(over, new RecordingGuard(13, 1.0), CLASSES, segments, firstPass);
        assertFalse(few.verdict().standardised());
        assertEquals("12 segment(s) with speech; standardising over a recording needs 13", few.verdict().reason());
        assertEquals(firstPass, few.labellings());
    }

    @Test
    void theGuardReadsTheFirstPassShareWeightedAndIgnoresUnlabelledSegments() {
        RecordingGuard g = new RecordingGuard(4, 0.65);
        RecordingGuard.Verdict even = g.judge(new int[]{0, 1, 2, 0, 1, 2}, null, CLASSES);
        assertTrue(even.standardised());
        assertEquals(2 / 6.0, even.dominantShare(), 1e-12);
        RecordingGuard.Verdict twoThirds = g.judge(new int[]{0, 0, 0, 0, 1, 2}, null, CLASSES);
        assertFalse(twoThirds.standardised());
        assertEquals("neutral", twoThirds.dominant());
        assertEquals("67 % of the first pass's labels are neutral, above the guard's 65 %", twoThirds.reason());
        // Unlabelled segments (-1) count as segments but not in the shares.
        RecordingGuard.Verdict unlabelled = g.judge(new int[]{-1, -1, 1, 2}, null, CLASSES);
        assertTrue(unlabelled.standardised());
        assertEquals(0.5, unlabelled.dominantShare(), 1e-12);
        // Weights: the same labels, one of them standing for 4 segments.
        RecordingGuard.Verdict weighted = g.judge(new int[]{0, 1, 2, 1}, new double[]{4, 1, 1, 1}, CLASSES);
        assertEquals(4 / 7.0, weighted.dominantShare(), 1e-12);
        assertTrue(weighted.standardised());
        RecordingGuard.Verdict none = g.judge(new int[]{-1, -1, -1, -1}, null, CLASSES);
        assertTrue(none.standardised());
        assertNull(none.dominant());
        assertThrows(IllegalArgumentException.class, () -> new RecordingGuard(1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new RecordingGuard(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new RecordingGuard(10, 1.01));
        assertThrows(IllegalArgumentException.class, () -> new RecordingGuard(10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> g.judge(new int[]{0, 1}, new double[]{1}, CLASSES));
    }

    /** The per-utterance pass on a sample (what {@link SvmLabeller#label} gives the embeddings it is made from). */
    public static Labelling firstPass(float[][] sample) {
        EmotionClassifier.Prediction p = CLF.predict(sample);
        return p.label() < 0 ? Labelling.none("no block") : new Labelling(CLASSES.get(p.label()), java.util.Map.of(),
                java.util.Map.of(), null);
    }

    private static double accuracy(List<Labelling> labellings) {
        int right = 0;
        for (int i = 0; i < labellings.size(); i++) if (CLASSES.get(i % 3).equals(labellings.get(i).label())) right++;
        return right / (double) labellings.size();
    }

    /** A single utterance through the labeller: the utterance parts vote; a classifier of recording parts only says why it cannot. */
    @Test
    void aSingleUtteranceIsLabelledByTheUtterancePartsAndARecordingOnlyClassifierSaysWhyNot() {
        var speechInfo = new dev.moodtag.encode.EncoderInfo("speech", Modality.SPEECH, "k", 2, "fp32", "cpu", "",
                java.util.Map.of(), java.util.Map.of());
        var videoInfo = new dev.moodtag.encode.EncoderInfo("video", Modality.VIDEO, "k", 2, "fp32", "cpu", "",
                java.util.Map.of(), java.util.Map.of());
        var embeddings = new dev.moodtag.encode.UtteranceEmbeddings("u", List.of(
                new dev.moodtag.encode.EncoderResult(speechInfo, new float[]{3f, 0.5f}, null, 1),
                new dev.moodtag.encode.EncoderResult(videoInfo, new float[]{0f, 1f}, null, 1)), 1);
        Labelling l = new SvmLabeller(CLF, "test").label(embeddings);
        EmotionClassifier.Prediction p = CLF.predict(new float[][]{{3f, 0.5f}, {0f, 1f}});
        assertEquals(CLASSES.get(p.label()), l.label());
        assertEquals(java.util.Set.of("speech", "video"), l.perModality().keySet());
        FusedSvm speech = CLF.parts().get(0);
        assertArrayEquals(speech.model().probabilities(speech.fusion().transform(new float[][]{{3f, 0.5f}, null})),
                CLASSES.stream().mapToDouble(c -> l.perModality().get("speech").get(c)).toArray(), 1e-6,
                "the speech probabilities are the utterance part's");

        EmotionClassifier recordingOnly = new EmotionClassifier(FusionMode.LATE, CLASSES, LAYOUT, List.of(CLF.parts().get(1)),
                new double[]{1});
        Labelling none = new SvmLabeller(recordingOnly, "test").label(embeddings);
        assertNull(none.label());
        assertTrue(none.reason().contains("a single utterance gets no label from it"), none.reason());
    }

    /** Hostile vectors: a segment with NaN or an infinity keeps its first pass and does not poison the others. */
    @Test
    void aSegmentWithANonFiniteValueKeepsItsFirstPassAndLeavesTheOthersAsTheyWere() {
        Labeller.OverRecording over = new SvmLabeller(CLF, "test").overRecording().orElseThrow();
        List<float[][]> clean = speaker(4, 30, false, new Random(11));
        List<Labelling> cleanFirst = clean.stream().map(RecordingLabellingTest::firstPass).toList();
        RecordingGuard open = new RecordingGuard(10, 1.0);
        List<Labelling> expected = RecordingRelabeller.relabel(over, open, CLASSES, clean, cleanFirst).labellings();
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int at : new int[]{0, 1}) {
                List<float[][]> segments = new ArrayList<>(clean);
                segments.add(new float[][]{at == 0 ? new float[]{bad, 0f} : new float[]{1f, bad}, null});
                List<Labelling> first = new ArrayList<>(cleanFirst);
                first.add(Labelling.none("first pass of the hostile segment"));
                RecordingRelabeller.Outcome o = RecordingRelabeller.relabel(over, open, CLASSES, segments, first);
                assertEquals(30, o.verdict().segments(), bad + " at " + at);
                assertSame(first.get(30), o.labellings().get(30));
                for (int i = 0; i < 30; i++) {
                    assertEquals(expected.get(i).label(), o.labellings().get(i).label(), bad + " at " + at + ", segment " + i);
                    assertEquals(expected.get(i).probabilities(), o.labellings().get(i).probabilities());
                }
            }
        }
    }

    /**
     * The batch's streamed statistics and the guard on summed counts are the list rules exactly: over a fuzz grid of
     * sizes, offsets and spreads (large offsets, constant dimensions, missing rows), the accumulator's scaler is
     * {@link GroupStandardiser}'s to the last bit, and a sample standardised by it equals the list's.
     */
    @Test
    void theStreamedStatisticsAreTheListRuleToTheLastBitAndTheGuardOnCountsIsTheGuardOnLabels() {
        Random r = new Random(29);
        for (int n : new int[]{0, 1, 2, 7, 100}) {
            for (double offset : new double[]{0, -3, 1e4, 1e7}) {
                for (double spread : new double[]{0, 1e-9, 1, 1e3}) {
                    List<float[][]> samples = new ArrayList<>();
                    dev.moodtag.fuse.StandardScaler.Accumulator acc = new dev.moodtag.fuse.StandardScaler.Accumulator(3);
                    for (int i = 0; i < n; i++) {
                        float[] v = i % 5 == 4 ? null : new float[]{(float) (offset + spread * r.nextGaussian()),
                                (float) offset, (float) (spread * r.nextGaussian())};
                        samples.add(new float[][]{v});
                        acc.add(v);
                    }
                    dev.moodtag.fuse.StandardScaler scaler = acc.scaler();
                    dev.moodtag.fuse.StandardScaler fitted = dev.moodtag.fuse.StandardScaler.fit(
                            samples.stream().map(s -> s[0]).toList(), 3);
                    assertArrayEquals(fitted.mean(), scaler.mean(), 0.0, n + " " + offset + " " + spread);
                    assertArrayEquals(fitted.scale(), scaler.scale(), 0.0);
                    List<float[][]> listed = GroupStandardiser.standardise(samples, new int[]{0}, null);
                    for (int i = 0; i < n; i++) {
                        float[][] one = GroupStandardiser.standardise(samples.get(i), new int[]{0},
                                new dev.moodtag.fuse.StandardScaler[]{scaler});
                        assertArrayEquals(listed.get(i)[0], one[0], 0f);
                    }
                }
            }
        }
        RecordingGuard g = RecordingGuard.DEFAULT;
        for (int trial = 0; trial < 500; trial++) {
            int[] labels = r.ints(r.nextInt(25), -1, 3).toArray();
            double[] perClass = new double[3];
            double total = 0;
            for (int c : labels) if (c >= 0) { perClass[c]++; total++; }
            RecordingGuard.Verdict listed = g.judge(labels, null, CLASSES);
            RecordingGuard.Verdict counted = g.judge(perClass, total, labels.length, CLASSES, RecordingGuard.Scope.RECORDING);
            assertEquals(listed, counted, java.util.Arrays.toString(labels));
            RecordingGuard.Verdict batch = g.judge(perClass, total, labels.length, CLASSES, RecordingGuard.Scope.BATCH);
            assertEquals(listed.standardised(), batch.standardised());
            if (labels.length < 10) assertEquals(labels.length + " clip(s) with speech; standardising over a batch needs 10",
                    batch.reason());
        }
    }
}
