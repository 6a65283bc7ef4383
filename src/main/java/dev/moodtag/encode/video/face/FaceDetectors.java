package dev.moodtag.encode.video.face;

import ai.onnxruntime.OrtEnvironment;
import dev.moodtag.encode.video.FaceExpressionParams;
import dev.moodtag.onnx.LoadedSession;

import java.util.Locale;

/** Builds the detector an encoder's parameters name ({@code detector}, {@code scoreThreshold}, {@code nmsIou}). */
public final class FaceDetectors {
    private FaceDetectors() {
    }

    /** {@code params} were checked when they were bound: the detector and framing are ones this class knows. */
    public static FaceDetector create(FaceExpressionParams params, OrtEnvironment env, LoadedSession session) {
        return switch (params.detector()) {
            case UltraFaceDetector.NAME -> new UltraFaceDetector(env, session,
                    threshold(params.scoreThreshold(), UltraFaceDetector.DEFAULT_SCORE_THRESHOLD),
                    threshold(params.nmsIou(), UltraFaceDetector.DEFAULT_NMS_IOU));
            case BlazeFaceDetector.NAME -> new BlazeFaceDetector(env, session,
                    threshold(params.scoreThreshold(), BlazeFaceDetector.DEFAULT_SCORE_THRESHOLD),
                    threshold(params.nmsIou(), BlazeFaceDetector.DEFAULT_NMS_IOU),
                    BlazeFaceDetector.Framing.valueOf(params.framing().toUpperCase(Locale.ROOT)));
            case WholeFrameDetector.NAME -> new WholeFrameDetector();
            default -> throw new IllegalStateException("FaceExpressionParams let through detector " + params.detector());
        };
    }

    private static float threshold(Double configured, double detectorDefault) {
        return (float) (configured != null ? configured : detectorDefault);
    }
}
