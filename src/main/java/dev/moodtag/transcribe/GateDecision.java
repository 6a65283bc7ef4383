package dev.moodtag.transcribe;

/**
 * The {@link TranscriptGate}'s verdict on one recognised transcript.
 *
 * @param feature   what decided it (for a rejection, the first test that failed)
 * @param figure    that feature's value for this transcript (the mean confidence when accepted)
 * @param threshold the configured limit it was compared with (NaN when accepted)
 * @param reason    why the text is missing, with the figure, e.g. "speech not recognised as English with enough
 *                  confidence (mean word confidence 0.61 < 0.9 over 7 words)"; null when accepted
 */
public record GateDecision(boolean accepted, Feature feature, double figure, double threshold, String reason) {

    public enum Feature { WORDS, MEAN_CONFIDENCE, VOICED_COVERAGE }

    static GateDecision accepted(double meanConfidence) {
        return new GateDecision(true, Feature.MEAN_CONFIDENCE, meanConfidence, Double.NaN, null);
    }

    static GateDecision rejected(Feature feature, double figure, double threshold, String reason) {
        return new GateDecision(false, feature, figure, threshold, reason);
    }
}
