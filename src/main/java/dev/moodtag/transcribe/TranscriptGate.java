package dev.moodtag.transcribe;

import dev.moodtag.support.SettingOutOfRange;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a recognised transcript is trustworthy enough to be the text modality: no transcript rather than a
 * wrong one. A model for one language turns speech in another into confident-looking nonsense, so the decision rests
 * on the mean word confidence and, when the voiced duration is known, on the share of it the words account for.
 */
public final class TranscriptGate {

    /** The reason's stem when the words are there but not trusted; the figure and the threshold follow it. */
    public static final String NOT_RECOGNISED = "speech not recognised as %s with enough confidence";
    public static final String NO_WORDS = "no speech recognised";

    private static final Map<String, String> LANGUAGE_NAMES = Map.of("en", "English", "de", "German", "fr", "French",
            "es", "Spanish", "it", "Italian", "pt", "Portuguese", "nl", "Dutch", "ru", "Russian");

    private final double minMeanConfidence;
    private final double minVoicedCoverage;

    public TranscriptGate(double minMeanConfidence, double minVoicedCoverage) {
        if (!(minMeanConfidence >= 0 && minMeanConfidence <= 1) || !(minVoicedCoverage >= 0 && minVoicedCoverage <= 1)) {
            throw new IllegalArgumentException("moodtag.transcribe.gate thresholds must lie in [0, 1], not "
                    + minMeanConfidence + " and " + minVoicedCoverage);
        }
        this.minMeanConfidence = minMeanConfidence;
        this.minVoicedCoverage = minVoicedCoverage;
    }

    /** @throws SettingOutOfRange naming the threshold out of [0, 1] */
    public static TranscriptGate fromConfig(TranscribeConfig config) {
        double confidence = config.gate().minMeanConfidence(), coverage = config.gate().minVoicedCoverage();
        if (!(confidence >= 0 && confidence <= 1))
            throw new SettingOutOfRange("moodtag.transcribe.gate.min-mean-confidence must be in [0, 1], not " + confidence);
        if (!(coverage >= 0 && coverage <= 1))
            throw new SettingOutOfRange("moodtag.transcribe.gate.min-voiced-coverage must be in [0, 1], not " + coverage);
        return new TranscriptGate(confidence, coverage);
    }

    public GateDecision decide(RecognisedSpeech speech) {
        return decide(speech.statistics());
    }

    public GateDecision decide(SpeechStatistics speech) {
        if (speech.words() == 0) {
            return GateDecision.rejected(GateDecision.Feature.WORDS, 0, 1,
                    String.format(Locale.ROOT, "%s in %.1f s of audio", NO_WORDS, speech.audioSeconds()));
        }
        String stem = String.format(Locale.ROOT, NOT_RECOGNISED, languageName(speech.language()));
        double mean = speech.meanConfidence();
        // Negated so that a NaN mean (a confidence that is not a number, from a damaged cache or result) is refused
        if (!(mean >= minMeanConfidence)) {
            return GateDecision.rejected(GateDecision.Feature.MEAN_CONFIDENCE, mean, minMeanConfidence,
                    String.format(Locale.ROOT, "%s (mean word confidence %.2f < %s over %d words)", stem, mean,
                            plain(minMeanConfidence),
                            speech.words()));
        }
        double coverage = speech.voicedCoverage();
        if (!Double.isNaN(coverage) && coverage < minVoicedCoverage) {
            return GateDecision.rejected(GateDecision.Feature.VOICED_COVERAGE, coverage, minVoicedCoverage,
                    String.format(Locale.ROOT, "%s (words account for %.0f %% of %.1f s of voiced audio < %.0f %%)", stem,
                            100 * coverage, speech.voicedSeconds(), 100 * minVoicedCoverage));
        }
        return GateDecision.accepted(mean);
    }

    public double minMeanConfidence() {
        return minMeanConfidence;
    }

    public double minVoicedCoverage() {
        return minVoicedCoverage;
    }

    /** A threshold as a user writes it: 0.9, not 0.90000 or 9E-1. */
    public static String plain(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : Double.toString(v);
    }

    static String languageName(String code) {
        return LANGUAGE_NAMES.getOrDefault(code.toLowerCase(Locale.ROOT), "'" + code + "'");
    }
}
