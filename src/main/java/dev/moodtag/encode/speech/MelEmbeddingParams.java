package dev.moodtag.encode.speech;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Optional;

/**
 * The {@code params} of a {@code mel-embedding} encoder; an unknown key refuses the pack.
 *
 * @param vad              encode only the pack's voice-activity regions (default true; needs the pack's {@code vad})
 * @param minSpeechSeconds less speech than this is a missing modality, not an embedding (default 0.1)
 * @param levelDbfs        bring each utterance's speech to this RMS level first, dBFS (see {@link SpeechLevel});
 *                         absent: the level as recorded (default)
 */
@RegisterForReflection
public record MelEmbeddingParams(Boolean vad, Double minSpeechSeconds, Double levelDbfs) {
    public MelEmbeddingParams {
        if (vad == null) vad = true;
        if (minSpeechSeconds == null) minSpeechSeconds = 0.1;
        SpeechInput.checkMinSpeech(minSpeechSeconds);
        if (levelDbfs != null) new SpeechLevel(levelDbfs);
    }

    public Optional<SpeechLevel> level() {
        return Optional.ofNullable(levelDbfs).map(SpeechLevel::new);
    }
}
