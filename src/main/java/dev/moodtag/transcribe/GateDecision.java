package dev.moodtag.transcribe;

import java.util.function.ToDoubleFunction;

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

    /** The figures of one recognition a gate can compare with a limit. */
    public enum Feature {
        WORDS(SpeechStatistics::words, false),
        MEAN_CONFIDENCE(SpeechStatistics::meanConfidence, false),
        MIN_CONFIDENCE(SpeechStatistics::minConfidence, false),
        LOW_CONFIDENCE_SHARE(SpeechStatistics::lowConfidenceShare, false),
        GEOMETRIC_MEAN_CONFIDENCE(SpeechStatistics::geometricMeanConfidence, false),
        WORDS_PER_VOICED_SECOND(SpeechStatistics::wordsPerVoicedSecond, true),
        VOICED_COVERAGE(SpeechStatistics::voicedCoverage, true);

        private final ToDoubleFunction<SpeechStatistics> value;
        private final boolean needsVoicedTime;

        Feature(ToDoubleFunction<SpeechStatistics> value, boolean needsVoicedTime) {
            this.value = value;
            this.needsVoicedTime = needsVoicedTime;
        }

        public double of(SpeechStatistics speech) {
            return value.applyAsDouble(speech);
        }

        /** Whether the figure exists only where a voice-activity detector measured the voiced time (else it is NaN). */
        public boolean needsVoicedTime() {
            return needsVoicedTime;
        }
    }

    static GateDecision accepted(double meanConfidence) {
        return new GateDecision(true, Feature.MEAN_CONFIDENCE, meanConfidence, Double.NaN, null);
    }

    static GateDecision rejected(Feature feature, double figure, double threshold, String reason) {
        return new GateDecision(false, feature, figure, threshold, reason);
    }
}
