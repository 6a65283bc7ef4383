package dev.moodtag.encode.speech;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code params} of a {@code silero-vad} detector (silero-vad's {@code get_speech_timestamps} settings); an
 * unknown key refuses the pack.
 *
 * @param threshold    speech starts above this probability (default 0.5)
 * @param negThreshold speech ends below this one (default threshold − 0.15, at least 0.01)
 * @param minSpeechMs  shorter speech regions are dropped (default 250)
 * @param minSilenceMs shorter silences do not end a region (default 100)
 * @param padMs        each region is widened by this much on both sides (default 30)
 */
@RegisterForReflection
public record SileroVadParams(Double threshold, Double negThreshold, Double minSpeechMs, Double minSilenceMs,
                              Double padMs) {
    public SileroVadParams {
        if (threshold == null) threshold = 0.5;
        if (negThreshold == null) negThreshold = Math.max(0.01, threshold - 0.15);
        if (minSpeechMs == null) minSpeechMs = 250.0;
        if (minSilenceMs == null) minSilenceMs = 100.0;
        if (padMs == null) padMs = 30.0;
        if (!(threshold > 0 && threshold < 1 && negThreshold > 0 && negThreshold <= threshold))
            throw new IllegalArgumentException("need 0 < negThreshold <= threshold < 1, not threshold=" + threshold
                    + " negThreshold=" + negThreshold);
        if (!(minSpeechMs >= 0 && minSilenceMs >= 0 && padMs >= 0))
            throw new IllegalArgumentException("minSpeechMs, minSilenceMs and padMs must be >= 0");
    }
}
