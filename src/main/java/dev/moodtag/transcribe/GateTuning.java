package dev.moodtag.transcribe;

import java.util.List;

/**
 * Chooses the gate's mean-confidence threshold from recognitions of speech in the recogniser's language: the highest
 * threshold that still keeps the wanted share of those clips. Speech in other languages is rejected more the higher
 * the threshold, so that rule is also the one that lets the least of it through at the wanted recall. The threshold
 * is rounded down to three decimals, which keeps at least the same clips and is a figure a user can write down.
 */
public final class GateTuning {

    private GateTuning() {
    }

    /**
     * @param inLanguage clips of speech in the recogniser's language (their gate verdicts are ignored)
     * @param keepShare  the share of them that must be accepted, in (0, 1]
     * @param minVoicedCoverage the voiced-coverage threshold, kept as it is
     * @return the threshold, or 0 when even accepting every clip with words keeps less than {@code keepShare}
     */
    public static double highestKeeping(List<AsrClip> inLanguage, double keepShare, double minVoicedCoverage) {
        if (!(keepShare > 0 && keepShare <= 1)) throw new IllegalArgumentException("keep share must lie in (0, 1]: " + keepShare);
        if (inLanguage.isEmpty()) throw new IllegalArgumentException("no clips to choose a threshold on");
        double[] means = inLanguage.stream().mapToDouble(c -> c.statistics().meanConfidence()).sorted().toArray();
        // Accepting exactly the clips at or above means[i] keeps n - i of n (ties only keep more); walk down from the top
        for (int i = means.length - 1; i >= 0; i--) {
            double threshold = Math.floor(means[i] * 1000) / 1000;
            TranscriptGate gate = new TranscriptGate(threshold, minVoicedCoverage);
            long kept = inLanguage.stream().filter(c -> gate.decide(c.statistics()).accepted()).count();
            if (kept >= keepShare * inLanguage.size() - 1e-9) return threshold;
        }
        return 0;
    }
}
