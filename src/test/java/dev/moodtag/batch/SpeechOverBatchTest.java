package dev.moodtag.batch;

import dev.moodtag.fuse.StandardScaler;
import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.label.RecordingGuard;
import dev.moodtag.label.RecordingLabellingTest;
import dev.moodtag.label.RecordingRelabeller;
import dev.moodtag.label.SvmLabeller;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.moodtag.label.RecordingLabellingTest.CLASSES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a batch keeps of its clips between the passes: read back from its file and standardised over statistics
 * accumulated as the clips arrived, each clip gets exactly the labelling the recording path's
 * {@link RecordingRelabeller} gives the same samples held in memory, hostile ones (a missing or non-finite speech
 * block) left out alike; the file is gone once the batch closes it.
 */
class SpeechOverBatchTest {

    static final Labeller.OverRecording OVER = new SvmLabeller(RecordingLabellingTest.CLF, "test").overRecording().orElseThrow();

    @Test
    void clipsReadBackOverTheBatchAreLabelledAsTheRecordingRelabellerLabelsTheSameSamples() throws IOException {
        for (int seed = 0; seed < 6; seed++) {
            Random r = new Random(seed);
            List<float[][]> samples = new ArrayList<>();
            // Speakers far from the training ones, so standardising moves labels; some clips with no face.
            for (double offset : new double[]{4, -3, 0.5}) samples.addAll(RecordingLabellingTest.speaker(offset, 4 + r.nextInt(12), r.nextBoolean(), r));
            // Hostile clips: speech missing, NaN, infinity; each must be left out as the recording path leaves it out.
            samples.add(r.nextInt(samples.size()), new float[][]{null, {1f, 0f}});
            samples.add(r.nextInt(samples.size()), new float[][]{{Float.NaN, 0f}, null});
            samples.add(r.nextInt(samples.size()), new float[][]{{1f, Float.NEGATIVE_INFINITY}, {0f, 1f}});
            List<Labelling> firstPass = samples.stream().map(RecordingLabellingTest::firstPass).toList();
            RecordingGuard open = new RecordingGuard(10, 1.0);
            RecordingRelabeller.Outcome expected = RecordingRelabeller.relabel(OVER, open, CLASSES, samples, firstPass);

            Path spill = Files.createTempFile("moodtag-test-", ".batch-speech");
            List<Integer> keptSlots = new ArrayList<>();
            List<Labelling> got = new ArrayList<>();
            try (SpeechOverBatch kept = new SpeechOverBatch(OVER, CLASSES, open, spill)) {
                for (int i = 0; i < samples.size(); i++) {
                    // Only labelled clips reach the batch (the tagger keeps no others).
                    if (firstPass.get(i).label() == null) continue;
                    if (kept.keep(i, "clip-" + i, samples.get(i), firstPass.get(i).label())) keptSlots.add(i);
                }
                RecordingGuard.Verdict v = kept.verdict();
                assertEquals(expected.verdict().segments(), v.segments(), "seed " + seed);
                assertEquals(expected.verdict().dominant(), v.dominant());
                assertEquals(expected.verdict().dominantShare(), v.dominantShare(), 0.0);
                assertTrue(v.standardised());
                kept.each(true, (slot, label, relabelled) -> {
                    assertEquals(firstPass.get(slot).label(), label);
                    got.add(relabelled);
                    assertEquals(keptSlots.get(got.size() - 1), slot, "read back in the order kept");
                });
                // Each sample's floats are in the file (beyond the write buffer's 8 kB, memory holds none of them).
                assertTrue(Files.size(spill) >= keptSlots.size() * 2L * Float.BYTES, "spilled: " + Files.size(spill));
            }
            assertFalse(Files.exists(spill), "the spill file is deleted when the batch closes it");
            assertEquals(keptSlots.size(), got.size());
            int changed = 0;
            for (int k = 0; k < keptSlots.size(); k++) {
                Labelling want = expected.labellings().get(keptSlots.get(k));
                assertEquals(want, got.get(k), "seed " + seed + ", clip " + keptSlots.get(k));
                if (!want.label().equals(firstPass.get(keptSlots.get(k)).label())) changed++;
            }
            assertTrue(changed > 0, "the batch's statistics change labels here, so equality is not the first pass's: seed " + seed);
            for (int i = 0; i < samples.size(); i++)
                if (!keptSlots.contains(i)) assertEquals(firstPass.get(i), expected.labellings().get(i));
        }
    }

    @Test
    void aBatchHeldInOneMoodOrTooSmallKeepsItsFirstPassWithTheGuardsReasonAndLabelsNothingAgain() throws IOException {
        Random r = new Random(13);
        List<float[][]> sad = new ArrayList<>();
        for (int i = 0; i < 20; i++) sad.add(new float[][]{{(float) (3 + 0.3 * r.nextGaussian()), (float) r.nextGaussian()}, null});
        Path spill = Files.createTempFile("moodtag-test-", ".batch-speech");
        try (SpeechOverBatch kept = new SpeechOverBatch(OVER, CLASSES, RecordingGuard.DEFAULT, spill)) {
            for (int i = 0; i < sad.size(); i++) kept.keep(i, "clip-" + i, sad.get(i), RecordingLabellingTest.firstPass(sad.get(i)).label());
            RecordingGuard.Verdict v = kept.verdict();
            assertFalse(v.standardised());
            assertEquals("sad", v.dominant());
            assertTrue(v.reason().matches("\\d+ % of the first pass's labels are sad, above the guard's 65 %"), v.reason());
            int[] seen = {0};
            kept.each(false, (slot, label, relabelled) -> {
                assertNull(relabelled);
                seen[0]++;
            });
            assertEquals(20, seen[0]);
        }
        spill = Files.createTempFile("moodtag-test-", ".batch-speech");
        try (SpeechOverBatch kept = new SpeechOverBatch(OVER, CLASSES, RecordingGuard.DEFAULT, spill)) {
            List<float[][]> few = RecordingLabellingTest.speaker(0, 9, false, r);
            for (int i = 0; i < few.size(); i++) kept.keep(i, "clip-" + i, few.get(i), RecordingLabellingTest.firstPass(few.get(i)).label());
            assertEquals("9 clip(s) with speech; standardising over a batch needs 10", kept.verdict().reason());
        }
    }

    /**
     * The batch's workers finish their clips in an order the load decides; the statistics must not depend on it, or
     * the same batch gives other labels on another run (Welford's running mean, fed in finishing order, differed in
     * its last bits between two orders of the same 300 clips).
     */
    @Test
    void theBatchsStatisticsAndLabelsDoNotDependOnTheOrderItsClipsFinishIn() throws IOException {
        Random r = new Random(5);
        List<float[][]> samples = new ArrayList<>();
        for (int i = 0; i < 300; i++)
            samples.add(new float[][]{{(float) (1000 + 7 * r.nextGaussian()), (float) (-300 + r.nextGaussian())},
                    i % 3 == 0 ? null : new float[]{(float) r.nextGaussian(), (float) r.nextGaussian()}});
        List<Integer> finishing = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) finishing.add(i);
        List<List<Integer>> orders = List.of(List.copyOf(finishing), shuffled(finishing, 1), shuffled(finishing, 2));
        StandardScaler[] first = null;
        List<String> firstLabels = null;
        for (List<Integer> order : orders) {
            Path spill = Files.createTempFile("moodtag-test-", ".batch-speech");
            try (SpeechOverBatch kept = new SpeechOverBatch(OVER, CLASSES, new RecordingGuard(10, 1.0), spill)) {
                for (int i : order) kept.keep(i, "clip-" + i, samples.get(i), RecordingLabellingTest.firstPass(samples.get(i)).label());
                StandardScaler[] scalers = kept.scalers();
                List<String> labels = new ArrayList<>();
                List<Integer> slots = new ArrayList<>();
                kept.each(true, (slot, label, relabelled) -> {
                    slots.add(slot);
                    labels.add(relabelled.label() + " " + relabelled.probabilities());
                });
                assertEquals(finishing, slots, "read back in the batch's order, whatever the finishing order");
                if (first == null) {
                    first = scalers;
                    firstLabels = labels;
                    continue;
                }
                for (int k = 0; k < scalers.length; k++) {
                    assertArrayEquals(first[k].mean(), scalers[k].mean(), 0.0, "block " + k + ", order " + order.subList(0, 5));
                    assertArrayEquals(first[k].scale(), scalers[k].scale(), 0.0, "block " + k);
                }
                assertEquals(firstLabels, labels);
            }
        }
    }

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    /**
     * The batch's scratch folder failing, said as every other failure of it (LocalFailures.ofScratch): what the folder
     * is and the object under way. A full folder mid-batch was "the scratch space could not keep the clips' speech (No
     * space left on device)", naming neither the folder nor the clip, and a folder gone or a file in its place before
     * the first clip was the spill file's bare path. The batch still keeps its first pass, saying why.
     */
    @Test
    void aScratchFolderThatFailsIsSaidInWordsNamingTheFolderAndTheObject() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        // before the first clip: the folder the spill file was to be made in
        List<java.util.Map.Entry<String, Path>> before = List.of(
                java.util.Map.entry("does not exist", tmp.resolve("gone/x.batch-speech")),
                java.util.Map.entry("does not exist", tmp.resolve("gone/deeper/x.batch-speech")),
                java.util.Map.entry("is not a folder", file.resolve("x.batch-speech")));
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (var c : before) {
            cases++;
            try (SpeechOverBatch kept = new SpeechOverBatch(OVER, CLASSES, RecordingGuard.DEFAULT, c.getValue())) {
                wrong.add(c.getValue() + ": no failure");
            } catch (RuntimeException e) {
                String folder = c.getValue().getParent().toString();
                if (!e.getMessage().contains(SpeechOverBatch.WHAT) || !e.getMessage().contains("temporary folder " + folder
                        + " " + c.getKey()))
                    wrong.add(c.getValue() + ": " + e);
            }
        }
        // mid-batch: a small file system that fills, at three sizes
        for (long kb : new long[]{16, 64, 256}) {
            Path scratch = tmp.resolve("scratch-" + kb);
            org.junit.jupiter.api.Assumptions.assumeTrue(dev.moodtag.testing.Mounts.tmpfs(scratch, kb << 10),
                    "skipped: this process may not mount a tmpfs (needs root)");
            try {
                cases++;
                Random r = new Random(kb);
                try (SpeechOverBatch kept = new SpeechOverBatch(OVER, CLASSES, new RecordingGuard(10, 1.0),
                        scratch.resolve("x.batch-speech"))) {
                    float[][] big = {new float[4096], new float[4096]};
                    int i = 0, failedAt = -1;
                    for (; i < 4 * kb && failedAt < 0; i++) {
                        for (float[] b : big) for (int j = 0; j < b.length; j++) b[j] = (float) r.nextGaussian();
                        if (!kept.keep(i, "file:///batch/clip-" + i + ".wav", big, "sad")) failedAt = i;
                    }
                    String reason = kept.verdict().reason();
                    if (failedAt < 0 || kept.verdict().standardised() || !reason.contains("file:///batch/clip-" + failedAt
                            + ".wav") || !reason.contains("temporary folder " + scratch + " is full"))
                        wrong.add(kb + " kB, failed at clip " + failedAt + ": " + reason);
                }
            } finally {
                dev.moodtag.testing.Mounts.unmount(scratch);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cases + " wrong");
    }

    private static List<Integer> shuffled(List<Integer> in, long seed) {
        List<Integer> out = new ArrayList<>(in);
        java.util.Collections.shuffle(out, new Random(seed));
        return out;
    }
}
