package dev.moodtag.media;

import dev.moodtag.support.SettingOutOfRange;

import java.util.ArrayList;
import java.util.List;

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

    /** @throws SettingOutOfRange naming each setting out of its range, at start-up where the chain is built */
    public static TranscriptLimits of(TranscriptConfig config) {
        List<String> wrong = new ArrayList<>();
        if (config.maxSidecarBytes() < 1) wrong.add("max-sidecar-bytes must be at least 1, not " + config.maxSidecarBytes());
        if (config.maxTextChars() < 1) wrong.add("max-text-chars must be at least 1, not " + config.maxTextChars());
        if (config.maxCues() < 1) wrong.add("max-cues must be at least 1, not " + config.maxCues());
        if (config.maxWords() < 0) wrong.add("max-words must be at least 0, not " + config.maxWords());
        if (!wrong.isEmpty())
            throw new SettingOutOfRange(String.join("; ", wrong.stream().map(w -> "moodtag.transcript." + w).toList()));
        return new TranscriptLimits(config.maxSidecarBytes(), config.maxTextChars(), config.maxCues(), config.maxWords());
    }
}
