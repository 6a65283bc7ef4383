package dev.moodtag.encode.speech;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code params} of a {@code mel-embedding} encoder; an unknown key refuses the pack.
 *
 * @param vad              encode only the pack's voice-activity regions (default true; needs the pack's {@code vad})
 * @param minSpeechSeconds less speech than this is a missing modality, not an embedding (default 0.1)
 */
@RegisterForReflection
public record MelEmbeddingParams(Boolean vad, Double minSpeechSeconds) {
    public MelEmbeddingParams {
        if (vad == null) vad = true;
        if (minSpeechSeconds == null) minSpeechSeconds = 0.1;
        SpeechInput.checkMinSpeech(minSpeechSeconds);
    }
}
