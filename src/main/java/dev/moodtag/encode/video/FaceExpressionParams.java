package dev.moodtag.encode.video;

import dev.moodtag.encode.video.face.BlazeFaceDetector;
import dev.moodtag.encode.video.face.UltraFaceDetector;
import dev.moodtag.encode.video.face.WholeFrameDetector;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/**
 * The {@code params} of a {@code face-expression} encoder; an unknown key refuses the pack.
 *
 * @param detector       {@code ultraface} (default), {@code blazeface} or {@code none} (inputs already face crops: the whole frame)
 * @param scoreThreshold detection score threshold (default: the detector's own)
 * @param nmsIou         non-maximum-suppression overlap (default: the detector's own)
 * @param framing        BlazeFace only: {@code crop} (default) or {@code letterbox}
 * @param margin         square crop side as a multiple of the box's longer side (default
 *                       {@link FaceExpressionEncoder#DEFAULT_MARGIN})
 * @param maxFaces       must be 1: the most confident face
 * @param detectEvery    run the detector on every k-th frame, carrying the box between (default 1)
 * @param maxBatch       crops per expression-net batch, bounding memory on long tracks (default 64)
 * @param paddedRetry    retry on a padded frame when nothing is found (default 0.5)
 * @param mirror         also score the mirrored crop (default false)
 */
@RegisterForReflection
public record FaceExpressionParams(String detector, Double scoreThreshold, Double nmsIou, String framing, Double margin,
                                   Integer maxFaces, Integer detectEvery, Integer maxBatch, Double paddedRetry,
                                   Boolean mirror) {
    public FaceExpressionParams {
        detector = detector == null ? UltraFaceDetector.NAME : detector.toLowerCase(Locale.ROOT);
        if (!detector.equals(UltraFaceDetector.NAME) && !detector.equals(BlazeFaceDetector.NAME)
                && !detector.equals(WholeFrameDetector.NAME))
            throw new IllegalArgumentException("parameter 'detector' must be '" + UltraFaceDetector.NAME + "', '"
                    + BlazeFaceDetector.NAME + "' or '" + WholeFrameDetector.NAME
                    + "' (inputs that are already face crops), not '" + detector + "'");
        framing = framing == null ? "crop" : framing.toLowerCase(Locale.ROOT);
        if (!framing.equals("crop") && !framing.equals("letterbox"))
            throw new IllegalArgumentException("parameter 'framing' must be 'crop' or 'letterbox', not '" + framing + "'");
        if (margin == null) margin = FaceExpressionEncoder.DEFAULT_MARGIN;
        if (maxFaces == null) maxFaces = 1;
        if (detectEvery == null) detectEvery = 1;
        if (maxBatch == null) maxBatch = 64;
        if (paddedRetry == null) paddedRetry = 0.5;
        if (mirror == null) mirror = false;
        if (!(margin > 0)) throw new IllegalArgumentException("'margin' must be > 0, not " + margin);
        if (detectEvery < 1 || maxBatch < 1)
            throw new IllegalArgumentException("'detectEvery' and 'maxBatch' must be >= 1");
        // Several faces per frame would need a rule for pooling across people; one speaker per utterance is the case served.
        if (maxFaces != 1) throw new IllegalArgumentException("'maxFaces' must be 1 (the most confident face)");
        if (scoreThreshold != null && !(scoreThreshold > 0 && scoreThreshold < 1))
            throw new IllegalArgumentException("'scoreThreshold' must be in (0, 1), not " + scoreThreshold);
        if (nmsIou != null && !(nmsIou > 0 && nmsIou <= 1))
            throw new IllegalArgumentException("'nmsIou' must be in (0, 1], not " + nmsIou);
    }
}
