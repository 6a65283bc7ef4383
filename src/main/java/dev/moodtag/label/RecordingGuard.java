package dev.moodtag.label;

import dev.moodtag.support.SettingOutOfRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When standardising a recording's speech over the recording may replace per-utterance features. Standardising over
 * a recording pulls whatever dominates it towards the middle: measured with {@code --normalise speaker-skewed}
 * (TRAINING.md), the gain held while one emotion made up about two thirds of a speaker's statistics and turned into
 * a loss at 80 %. The recording's true composition is unknown when serving, so the guard reads it from the first
 * pass (per-utterance labels) and keeps those when one emotion looks too dominant, or when there are too few
 * segments to estimate a mean and spread from. Training's guarded evaluation and the timeline apply this one rule.
 *
 * @param minSegments      fewest segments with the standardised blocks that a recording needs
 * @param maxDominantShare largest share of those segments that one first-pass label may have
 */
public record RecordingGuard(int minSegments, double maxDominantShare) {

    /** The defaults of {@code moodtag.timeline.recording-min-segments} and {@code recording-max-dominant-share}. */
    public static final RecordingGuard DEFAULT = new RecordingGuard(10, 0.65);

    public RecordingGuard {
        List<String> wrong = problems("the fewest segments", minSegments, "the dominant share", maxDominantShare);
        if (!wrong.isEmpty()) throw new IllegalArgumentException(String.join("; ", wrong));
    }

    /**
     * The guard from two settings, each refused under its own key: the refusal named both keys whichever was wrong.
     *
     * @throws SettingOutOfRange naming each key out of its range, with its range and value
     */
    public static RecordingGuard ofSettings(String minSegmentsKey, int minSegments, String maxDominantShareKey,
                                            double maxDominantShare) {
        List<String> wrong = problems(minSegmentsKey, minSegments, maxDominantShareKey, maxDominantShare);
        if (!wrong.isEmpty()) throw new SettingOutOfRange(String.join("; ", wrong));
        return new RecordingGuard(minSegments, maxDominantShare);
    }

    private static List<String> problems(String minSegmentsName, int minSegments, String maxDominantShareName,
                                         double maxDominantShare) {
        List<String> wrong = new ArrayList<>();
        if (minSegments < 2)
            wrong.add(minSegmentsName + " must be at least 2 (a recording needs 2 segments to standardise over), not "
                    + minSegments);
        if (!(maxDominantShare > 0 && maxDominantShare <= 1))
            wrong.add(maxDominantShareName + " must be in (0, 1], not " + maxDominantShare);
        return wrong;
    }

    /**
     * @param standardised  whether the recording parts labelled the segments
     * @param segments      segments with the standardised blocks
     * @param dominant      the most frequent first-pass label among them (null when none had a label)
     * @param dominantShare its share (weighted when weights were given)
     * @param reason        why per-utterance labels were kept; null when standardised
     */
    public record Verdict(boolean standardised, int segments, String dominant, double dominantShare, String reason) {
    }

    /**
     * @param firstPass the first-pass class number of each segment that has the blocks (-1 for none)
     * @param weights   per segment, or null for one each (training's skewed simulation weights them)
     */
    public Verdict judge(int[] firstPass, double[] weights, List<String> classes) {
        if (weights != null && weights.length != firstPass.length) throw new IllegalArgumentException("one weight per segment");
        double[] perClass = new double[classes.size()];
        double total = 0;
        for (int i = 0; i < firstPass.length; i++) {
            if (firstPass[i] < 0) continue;
            double w = weights == null ? 1 : weights[i];
            perClass[firstPass[i]] += w;
            total += w;
        }
        return judge(perClass, total, firstPass.length, classes, Scope.RECORDING);
    }

    /**
     * What the guard is judging, for its reasons: a timeline's segments over the recording, or a batch's clips over the
     * batch.
     */
    public record Scope(String items, String whole) {
        public static final Scope RECORDING = new Scope("segment(s)", "a recording");
        public static final Scope BATCH = new Scope("clip(s)", "a batch");
    }

    /**
     * The rule on counts already summed: {@code perClass[c]} first-pass labels of class c, {@code total} of them
     * labelled, among {@code n} items with the blocks (unlabelled ones count in n only). A batch sums its clips as
     * they finish, without keeping them.
     */
    public Verdict judge(double[] perClass, double total, int n, List<String> classes, Scope scope) {
        if (perClass.length != classes.size()) throw new IllegalArgumentException("one count per class");
        int best = -1;
        for (int c = 0; c < perClass.length; c++) if (perClass[c] > 0 && (best < 0 || perClass[c] > perClass[best])) best = c;
        String dominant = best < 0 ? null : classes.get(best);
        double share = best < 0 ? 0 : perClass[best] / total;
        if (n < minSegments)
            return new Verdict(false, n, dominant, share, n + " " + scope.items() + " with speech; standardising over "
                    + scope.whole() + " needs " + minSegments);
        if (share > maxDominantShare)
            return new Verdict(false, n, dominant, share, String.format(Locale.ROOT,
                    "%.0f %% of the first pass's labels are %s, above the guard's %.0f %%", 100 * share, dominant,
                    100 * maxDominantShare));
        return new Verdict(true, n, dominant, share, null);
    }
}
