package dev.moodtag.label;

import dev.moodtag.fuse.GroupStandardiser;

import java.util.ArrayList;
import java.util.List;

/**
 * The second pass of a recording whose classifier has parts trained on speech standardised per speaker: the segments
 * that have every standardised block, finite, are standardised over the recording ({@link GroupStandardiser}, the rule
 * training used per speaker) and labelled again, if the {@link RecordingGuard} lets the first pass's labels through.
 */
public final class RecordingRelabeller {
    private RecordingRelabeller() {
    }

    /**
     * @param verdict    the guard's verdict
     * @param labellings one per segment given, in order: the second pass's where the verdict allowed it and the
     *                   segment had the blocks, else the first pass's
     */
    public record Outcome(RecordingGuard.Verdict verdict, List<Labelling> labellings) {
    }

    /**
     * @param samples   each segment's classifier input ({@link Labeller.OverRecording#sample})
     * @param firstPass each segment's per-utterance labelling
     */
    public static Outcome relabel(Labeller.OverRecording over, RecordingGuard guard, List<String> classes,
                                  List<float[][]> samples, List<Labelling> firstPass) {
        if (samples.size() != firstPass.size()) throw new IllegalArgumentException("one first-pass labelling per sample");
        int[] blocks = over.blocks();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) if (usable(samples.get(i), blocks)) candidates.add(i);
        int[] first = candidates.stream().mapToInt(i -> firstPass.get(i).label() == null ? -1
                : classes.indexOf(firstPass.get(i).label())).toArray();
        RecordingGuard.Verdict verdict = guard.judge(first, null, classes);
        List<Labelling> out = new ArrayList<>(firstPass);
        if (verdict.standardised()) {
            List<float[][]> standardised = GroupStandardiser.standardise(candidates.stream().map(samples::get).toList(),
                    blocks, null);
            for (int k = 0; k < candidates.size(); k++) {
                int i = candidates.get(k);
                out.set(i, over.label(samples.get(i), standardised.get(k)));
            }
        }
        return new Outcome(verdict, out);
    }

    /**
     * A segment counts towards the recording when it has every standardised block, all finite: one segment with a
     * NaN or an infinity would otherwise make the recording's mean and spread, and so every segment's label, NaN.
     */
    public static boolean usable(float[][] sample, int[] blocks) {
        for (int b : blocks) {
            if (sample[b] == null) return false;
            for (float v : sample[b]) if (!Float.isFinite(v)) return false;
        }
        return true;
    }
}
