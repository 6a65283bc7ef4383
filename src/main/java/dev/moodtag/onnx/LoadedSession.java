package dev.moodtag.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * An ONNX Runtime session together with the execution provider that really serves it.
 *
 * @param provider     {@code cpu} or {@code cuda}: what runs, not what was asked for
 * @param providerNote why that provider was chosen (e.g. the reason CUDA was not used); empty if asked for
 * @param role         the pack file role it was opened from ({@code model}, {@code detector}, ...), or its name
 * @param loadedSha256 sha256 of the bytes ONNX Runtime loaded: the file's, unless {@link OnnxModels} rewrote them
 */
public record LoadedSession(String name, OrtSession session, String provider, String providerNote, String role,
                            String loadedSha256)
        implements AutoCloseable {

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing session " + name + ": " + e.getMessage(), e);
        }
    }
}
