package dev.moodtag.encode;

import dev.moodtag.media.Utterance;

import java.util.Optional;

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

    /**
     * A per-utterance stream for encoders whose work on a frame does not depend on the frames after it; empty for
     * those that need the whole track first (audio and text encoders, VideoMAE's uniform clip sampling).
     */
    default Optional<FrameStream> openFrameStream() {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
