package dev.moodtag.encode;

import dev.moodtag.media.Utterance;

/**
 * Turns one modality of an utterance into a fixed-length vector. One implementation per encoder kind; each
 * holds its ONNX sessions for its whole life and is safe to call from several threads at once (ONNX Runtime
 * sessions are).
 */
public interface Encoder extends AutoCloseable {

    EncoderInfo info();

    /**
     * @return the embedding, of exactly {@code info().dim()} values, or {@link EncoderOutput.Missing} with the
     * reason when the utterance lacks what this encoder needs (no audio, no face in any frame, no transcript)
     */
    EncoderOutput encode(Utterance utterance);

    @Override
    default void close() {
    }
}
