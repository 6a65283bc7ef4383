package dev.moodtag.encode.speech;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code params} of a {@code wav2vec2} encoder; an unknown key refuses the pack.
 *
 * @param vad              encode only the pack's voice-activity regions (default false: the paper feeds the clip)
 * @param chunkSeconds     longer audio is encoded in chunks of this length, bounding memory (default 20)
 * @param minSpeechSeconds less speech than this is a missing modality (default 0.1; at least one conv frame)
 */
@RegisterForReflection
public record Wav2Vec2Params(Boolean vad, Double chunkSeconds, Double minSpeechSeconds) {
    public Wav2Vec2Params {
        if (vad == null) vad = false;
        if (chunkSeconds == null) chunkSeconds = 20.0;
        if (minSpeechSeconds == null) minSpeechSeconds = 0.1;
        SpeechInput.checkMinSpeech(minSpeechSeconds);
        if (!(chunkSeconds >= 1 && chunkSeconds <= 600))
            throw new IllegalArgumentException("chunkSeconds must be between 1 and 600, not " + chunkSeconds);
    }
}
