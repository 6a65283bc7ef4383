package dev.moodtag.encode.video.face;

import ai.onnxruntime.OrtEnvironment;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;

import java.util.Locale;

/** Builds the detector an encoder's manifest entry names ({@code detector}, {@code scoreThreshold}, {@code nmsIou}). */
public final class FaceDetectors {
    private FaceDetectors() {
    }

    public static FaceDetector create(EncoderSpec spec, OrtEnvironment env, LoadedSession session) {
        String name = spec.param("detector", UltraFaceDetector.NAME).toLowerCase(Locale.ROOT);
        return switch (name) {
            case UltraFaceDetector.NAME -> new UltraFaceDetector(env, session,
                    (float) spec.param("scoreThreshold", UltraFaceDetector.DEFAULT_SCORE_THRESHOLD),
                    (float) spec.param("nmsIou", UltraFaceDetector.DEFAULT_NMS_IOU));
            case BlazeFaceDetector.NAME -> new BlazeFaceDetector(env, session,
                    (float) spec.param("scoreThreshold", BlazeFaceDetector.DEFAULT_SCORE_THRESHOLD),
                    (float) spec.param("nmsIou", BlazeFaceDetector.DEFAULT_NMS_IOU), framing(spec));
            case WholeFrameDetector.NAME -> new WholeFrameDetector();
            default -> throw new ModelPackException("encoder " + spec.id() + ": parameter 'detector' must be '"
                    + UltraFaceDetector.NAME + "', '" + BlazeFaceDetector.NAME + "' or '"
                    + WholeFrameDetector.NAME + "' (inputs that are already face crops), not '" + name + "'");
        };
    }

    private static BlazeFaceDetector.Framing framing(EncoderSpec spec) {
        String f = spec.param("framing", "crop");
        try {
            return BlazeFaceDetector.Framing.valueOf(f.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelPackException("encoder " + spec.id() + ": parameter 'framing' must be 'crop' or "
                    + "'letterbox', not '" + f + "'");
        }
    }
}
