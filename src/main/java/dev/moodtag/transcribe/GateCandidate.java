package dev.moodtag.transcribe;

import dev.moodtag.transcribe.GateDecision.Feature;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A gate rule tried against the served {@link TranscriptGate} (TRAINING.md, "A gate on more than the mean confidence"):
 * a score at or above a threshold chosen on a tuning split, plus fixed conditions. No words, and too little of the
 * voiced audio accounted for, are refused as by the served gate, so {@code MEAN_CONFIDENCE} without conditions is the
 * served gate itself.
 *
 * @param family     the candidate family's label in TRAINING.md (F0 ... F5)
 * @param score      the figure compared with the tuned threshold
 * @param conditions further fixed limits, all of which must hold
 */
public record GateCandidate(String family, Feature score, List<Condition> conditions) {

    public GateCandidate {
        if (score.needsVoicedTime()) throw new IllegalArgumentException(score + " is unknown without a VAD: not a score");
        conditions = List.copyOf(conditions);
    }

    /**
     * A fixed limit on one figure. A figure that needs the voiced time is not applied where it is unknown (no VAD, or
     * no voiced time found), as the served gate's coverage guard; any other figure that is NaN fails.
     */
    public record Condition(Feature feature, boolean atLeast, double limit) {

        boolean holds(SpeechStatistics speech) {
            double v = feature.of(speech);
            if (Double.isNaN(v)) return feature.needsVoicedTime();
            return atLeast ? v >= limit : v <= limit;
        }

        @Override
        public String toString() {
            return name(feature) + (atLeast ? " >= " : " <= ") + TranscriptGate.plain(limit);
        }
    }

    /**
     * The verdict at {@code threshold}: the served gate's tests first (at this threshold where the score is the mean
     * confidence, so its reasons are the served ones), then the score, then the conditions in order.
     */
    public GateDecision decide(SpeechStatistics speech, double threshold, double minVoicedCoverage) {
        boolean servedScore = score == Feature.MEAN_CONFIDENCE;
        GateDecision base = new TranscriptGate(servedScore ? threshold : 0, minVoicedCoverage).decide(speech);
        if (!base.accepted()) return base;
        double value = score.of(speech);
        if (!servedScore && !(value >= threshold)) {
            return GateDecision.rejected(score, value, threshold, String.format(Locale.ROOT, "%s %.3f < %s", name(score),
                    value, TranscriptGate.plain(threshold)));
        }
        for (Condition c : conditions) {
            if (!c.holds(speech)) {
                return GateDecision.rejected(c.feature(), c.feature().of(speech), c.limit(), String.format(Locale.ROOT,
                        "%s %.3f, not %s", name(c.feature()), c.feature().of(speech), c));
            }
        }
        return GateDecision.accepted(speech.meanConfidence());
    }

    /** e.g. {@code F2: mean_confidence >= t and low_confidence_share <= 0.1}. */
    public String describe() {
        return family + ": " + name(score) + " >= t" + conditions.stream().map(c -> " and " + c)
                .collect(Collectors.joining());
    }

    /**
     * The candidates fixed in TRAINING.md before any of them was scored: F0 the served rule, F1 a minimum word count,
     * F2 a maximum share of doubtful words, F3 a minimum lowest confidence, F4 the geometric mean in place of the
     * arithmetic one, F5 a limit on words per voiced second, either way.
     */
    public static List<GateCandidate> preRegistered() {
        List<GateCandidate> all = new ArrayList<>();
        all.add(new GateCandidate("F0", Feature.MEAN_CONFIDENCE, List.of()));
        for (int k = 2; k <= 5; k++) all.add(withCondition("F1", Feature.WORDS, true, k));
        for (double s : new double[]{0, 0.1, 0.2, 0.25, 0.34}) all.add(withCondition("F2", Feature.LOW_CONFIDENCE_SHARE, false, s));
        for (double m : new double[]{0.2, 0.3, 0.4, 0.5, 0.6}) all.add(withCondition("F3", Feature.MIN_CONFIDENCE, true, m));
        all.add(new GateCandidate("F4", Feature.GEOMETRIC_MEAN_CONFIDENCE, List.of()));
        for (boolean atLeast : new boolean[]{false, true}) {
            for (double r : new double[]{1, 1.5, 2, 2.5, 3, 3.5, 4}) {
                all.add(withCondition("F5", Feature.WORDS_PER_VOICED_SECOND, atLeast, r));
            }
        }
        return all;
    }

    private static GateCandidate withCondition(String family, Feature feature, boolean atLeast, double limit) {
        return new GateCandidate(family, Feature.MEAN_CONFIDENCE, List.of(new Condition(feature, atLeast, limit)));
    }

    static String name(Feature feature) {
        return feature.name().toLowerCase(Locale.ROOT);
    }
}
