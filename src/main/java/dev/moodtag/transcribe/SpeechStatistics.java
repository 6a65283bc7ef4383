package dev.moodtag.transcribe;

/**
 * What the {@link TranscriptGate} reads of one recognition: small enough to store per clip and re-score under another
 * threshold without running the recogniser again ({@code moodtag asr-eval --from-stats}).
 *
 * @param words                   how many words were recognised
 * @param meanConfidence          mean word confidence (0 with no words)
 * @param minConfidence           lowest word confidence (0 with no words)
 * @param lowConfidenceShare      share of the words whose confidence is under {@link #LOW_CONFIDENCE} (0 with no words)
 * @param geometricMeanConfidence geometric mean of the word confidences: one doubtful word weighs more than in the
 *                                arithmetic mean (0 with no words, and with any word at confidence 0)
 * @param audioSeconds            how much audio was fed
 * @param voicedSeconds           how much of it was voiced, or NaN when not measured
 * @param voicedCoverage          share of the voiced time the words span (capped at 1), or NaN when the voiced time is
 *                                unknown
 * @param language                the recogniser's language (ISO 639-1), named in the gate's reason
 */
public record SpeechStatistics(int words, double meanConfidence, double minConfidence, double lowConfidenceShare,
                               double geometricMeanConfidence, double audioSeconds, double voicedSeconds,
                               double voicedCoverage, String language) {

    /** A word under this confidence counts as doubtful in {@link #lowConfidenceShare}: the recogniser's coin toss. */
    public static final double LOW_CONFIDENCE = 0.5;

    /** Recognised words per second of voiced audio, or NaN when the voiced time is unknown or zero. */
    public double wordsPerVoicedSecond() {
        return voicedSeconds > 0 ? words / voicedSeconds : Double.NaN;
    }
}
