package dev.moodtag.media;

/**
 * The bounds {@link TranscriptLoader} applies: the values of {@link TranscriptConfig}, as a record for callers
 * outside CDI (tests, the training CLI's extractor when built by hand).
 */
public record TranscriptLimits(long maxSidecarBytes, int maxTextChars, int maxCues, int maxWords) {

    /** Same values as the {@link TranscriptConfig} defaults. */
    public static final TranscriptLimits DEFAULTS = new TranscriptLimits(16L << 20, 8192, 20_000, 100_000);

    public TranscriptLimits {
        if (maxSidecarBytes <= 0 || maxTextChars <= 0 || maxCues <= 0 || maxWords < 0)
            throw new IllegalArgumentException("moodtag.transcript.* limits must be positive");
    }

    /** What {@link Transcript#note()} says of a text cut after {@link #maxTextChars()}. */
    public String textCut() {
        return "text cut after " + maxTextChars + " characters (moodtag.transcript.max-text-chars)";
    }

    public static TranscriptLimits of(TranscriptConfig config) {
        return new TranscriptLimits(config.maxSidecarBytes(), config.maxTextChars(), config.maxCues(), config.maxWords());
    }
}
