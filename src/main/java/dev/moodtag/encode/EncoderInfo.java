package dev.moodtag.encode;

import dev.moodtag.media.Modality;

import java.util.Map;

/**
 * What an encoder is, as results and reports record it.
 *
 * @param provider     the execution provider that really runs it ({@code cpu}, {@code cuda}; {@code java} for
 *                     encoders computed without ONNX Runtime)
 * @param providerNote why that provider (e.g. why CUDA was not used); empty when it is what was asked for
 * @param sha256       file role → sha256 of the model files it runs
 */
public record EncoderInfo(String id, Modality modality, String kind, int dim, String precision, String provider,
                          String providerNote, Map<String, String> sha256) {
    public EncoderInfo {
        sha256 = Map.copyOf(sha256);
    }
}
