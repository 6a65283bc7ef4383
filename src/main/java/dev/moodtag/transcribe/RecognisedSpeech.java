package dev.moodtag.transcribe;

import java.util.List;

/**
 * What the recogniser heard in a stretch of audio, before the {@link TranscriptGate} decides whether to trust it.
 *
 * @param text           the words joined by single spaces, lower case as the recogniser writes them ("" if none)
 * @param words          in time order
 * @param audioSeconds   how much audio was fed
 * @param voicedSeconds  how much of it a voice-activity detector found voiced, or NaN when not measured
 * @param engine         the recogniser and its version, e.g. {@code vosk 0.3.45}
 * @param modelSha256    the model's fingerprint: sha256 over its files' paths and sha256s (see {@link ModelFingerprint})
 * @param language       the model's language (ISO 639-1)
 */
public record RecognisedSpeech(String text, List<RecognisedWord> words, double audioSeconds, double voicedSeconds,
                               String engine, String modelSha256, String language) {

    public RecognisedSpeech {
        words = List.copyOf(words);
    }

    /** Mean word confidence; 0 with no words. */
    public double meanConfidence() {
        return words.stream().mapToDouble(RecognisedWord::confidence).average().orElse(0);
    }

    /** Lowest word confidence; 0 with no words. */
    public double minConfidence() {
        return words.stream().mapToDouble(RecognisedWord::confidence).min().orElse(0);
    }

    /** Share of the words under {@link SpeechStatistics#LOW_CONFIDENCE}; 0 with no words. */
    public double lowConfidenceShare() {
        return words.isEmpty() ? 0 : words.stream().filter(w -> !(w.confidence() >= SpeechStatistics.LOW_CONFIDENCE))
                .count() / (double) words.size();
    }

    /** Geometric mean of the word confidences; 0 with no words (a NaN confidence makes it NaN, as it does the mean). */
    public double geometricMeanConfidence() {
        return Math.exp(words.stream().mapToDouble(w -> Math.log(w.confidence())).average().orElse(Double.NEGATIVE_INFINITY));
    }

    /** Seconds spanned by the recognised words (silence between them not counted). */
    public double wordSeconds() {
        return words.stream().mapToDouble(RecognisedWord::duration).sum();
    }

    /** Share of the voiced audio that the words account for (capped at 1), or NaN when the voiced time is unknown. */
    public double voicedCoverage() {
        if (Double.isNaN(voicedSeconds)) return Double.NaN;
        if (voicedSeconds <= 0) return words.isEmpty() ? 0 : 1;
        return Math.min(1, wordSeconds() / voicedSeconds);
    }

    /** The figures the gate decides on. */
    public SpeechStatistics statistics() {
        return new SpeechStatistics(words.size(), meanConfidence(), minConfidence(), lowConfidenceShare(),
                geometricMeanConfidence(), audioSeconds, voicedSeconds, voicedCoverage(), language);
    }

    /** This result with the voiced duration a voice-activity detector measured over the same audio. */
    public RecognisedSpeech withVoicedSeconds(double seconds) {
        return new RecognisedSpeech(text, words, audioSeconds, seconds, engine, modelSha256, language);
    }
}
