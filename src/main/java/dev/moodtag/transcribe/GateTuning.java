package dev.moodtag.transcribe;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Chooses the gate's threshold from recognitions of a tuning split. {@link #highestKeeping} is the rule the served
 * threshold was chosen by: the highest mean-confidence threshold that still keeps the wanted share of the clips in the
 * recogniser's language. {@link #widestMargin} chooses a {@link GateCandidate}'s threshold by the distance to both
 * goals at once. Thresholds are rounded down to three decimals, which keeps at least the same clips and is a figure a
 * user can write down.
 */
public final class GateTuning {

    private GateTuning() {
    }

    /**
     * The goals a gate is measured against: accept at least {@code minInLanguage} of the speech in the recogniser's
     * language (clips with a reference text) with a corpus WER of at most {@code maxWer}, and at most
     * {@code maxOther} of the speech in other languages (clips without one).
     */
    public record Goals(double minInLanguage, double maxOther, double maxWer) {
        public Goals {
            for (double v : new double[]{minInLanguage, maxOther, maxWer}) {
                if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("gate goals must lie in [0, 1]: " + v);
            }
        }
    }

    /**
     * A candidate at one threshold and what it gives on the clips it was measured on.
     *
     * @param margin the smaller of the two distances to the goals, {@code inLanguage - minInLanguage} and
     *               {@code maxOther - other}: positive where both goals are met
     */
    public record Tuned(GateCandidate candidate, double threshold, AsrSummary inLanguage, AsrSummary other,
                        double margin) {
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

    /**
     * The candidate's threshold with the widest margin to both goals on {@code tuning}, among those whose accepted
     * in-language clips keep the WER goal; ties as in {@link #BY_MARGIN}.
     * Tried thresholds: the in-language clips' scores, rounded down to three decimals.
     *
     * @return empty when no threshold keeps the WER goal (one that accepts no in-language clip has no WER and is not kept)
     */
    public static Optional<Tuned> widestMargin(GateCandidate candidate, List<AsrClip> tuning, Goals goals,
                                                         double minVoicedCoverage) {
        List<AsrClip> inLanguage = tuning.stream().filter(AsrClip::hasReference).toList();
        List<AsrClip> other = tuning.stream().filter(c -> !c.hasReference()).toList();
        if (inLanguage.isEmpty() || other.isEmpty()) {
            throw new IllegalArgumentException("choosing by both goals needs tuning clips with a reference text and "
                    + "without one, not " + inLanguage.size() + " and " + other.size());
        }
        return inLanguage.stream().mapToDouble(c -> candidate.score().of(c.statistics())).filter(Double::isFinite)
                .map(v -> Math.floor(v * 1000) / 1000).distinct()
                .mapToObj(t -> measure(candidate, t, inLanguage, other, goals, minVoicedCoverage))
                .filter(m -> m.inLanguage().acceptedWer() <= goals.maxWer()) // none accepted: no WER, not kept
                .max(BY_MARGIN);
    }

    /**
     * The order of preference fixed in TRAINING.md: wider margin, then fewer conditions, then higher in-language
     * acceptance, then the lower threshold (greatest last).
     */
    public static final Comparator<Tuned> BY_MARGIN = Comparator.comparingDouble(Tuned::margin)
            .thenComparing(Comparator.comparingInt((Tuned m) -> m.candidate().conditions().size()).reversed())
            .thenComparingDouble(m -> m.inLanguage().acceptedShare())
            .thenComparing(Comparator.comparingDouble(Tuned::threshold).reversed());

    /** {@code candidate} at {@code threshold} on the given clips. */
    public static Tuned measure(GateCandidate candidate, double threshold, List<AsrClip> inLanguage, List<AsrClip> other,
                                Goals goals, double minVoicedCoverage) {
        Function<AsrClip, AsrClip> decide = c -> c.withDecision(candidate.decide(c.statistics(), threshold,
                minVoicedCoverage));
        AsrSummary in = AsrSummary.of(inLanguage.stream().map(decide).toList());
        AsrSummary out = AsrSummary.of(other.stream().map(decide).toList());
        double margin = Math.min(in.acceptedShare() - goals.minInLanguage(), goals.maxOther() - out.acceptedShare());
        return new Tuned(candidate, threshold, in, out, margin);
    }
}
