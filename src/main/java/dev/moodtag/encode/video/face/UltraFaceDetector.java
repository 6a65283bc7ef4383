package dev.moodtag.encode.video.face;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.moodtag.encode.video.ImageOps;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.onnx.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * UltraFace RFB-320 (priors decoded inside the graph): the whole frame stretched to 320×240 RGB,
 * (p − 127) / 128, then score threshold and hard NMS as upstream's {@code predict}.
 */
public final class UltraFaceDetector implements FaceDetector {

    public static final String NAME = "ultraface";
    public static final float DEFAULT_SCORE_THRESHOLD = 0.7f;
    public static final float DEFAULT_NMS_IOU = 0.3f;

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final ImageOps.PixelNorm NORM = ImageOps.PixelNorm.affine(1f / 128, -127f / 128);
    // The model lists its 244 initializers as inputs too, so the real input is named rather than discovered.
    private static final String INPUT = "input";
    private static final String SCORES = "scores";
    private static final String BOXES = "boxes";

    private final OrtEnvironment env;
    private final LoadedSession session;
    private final float scoreThreshold;
    private final float nmsIou;

    public UltraFaceDetector(OrtEnvironment env, LoadedSession session, float scoreThreshold, float nmsIou) {
        this.env = env;
        this.session = session;
        this.scoreThreshold = scoreThreshold;
        this.nmsIou = nmsIou;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<FaceBox> detect(VideoFrame frame) {
        byte[] rgb = ImageOps.resample(frame, 0, 0, frame.width(), frame.height(), WIDTH, HEIGHT);
        float[] input = new float[3 * WIDTH * HEIGHT];
        ImageOps.toChw(rgb, WIDTH, HEIGHT, NORM, input, 0);
        Tensors.FloatOutput scores;
        Tensors.FloatOutput boxes;
        OrtSession s = session.session();
        try (OnnxTensor t = Tensors.floats(env, input, 1, 3, HEIGHT, WIDTH);
             OrtSession.Result r = s.run(Map.of(INPUT, t), Set.of(SCORES, BOXES))) {
            scores = Tensors.output(r, SCORES);
            boxes = Tensors.output(r, BOXES);
        } catch (OrtException e) {
            throw new IllegalStateException("UltraFace failed on a " + frame.width() + "x" + frame.height()
                    + " frame: " + e.getMessage(), e);
        }
        int n = (int) scores.shape()[1];
        List<FaceBox> candidates = new ArrayList<>();
        float[] sc = scores.data();
        float[] bx = boxes.data();
        for (int i = 0; i < n; i++) {
            float score = sc[2 * i + 1];
            if (score <= scoreThreshold) continue;
            // Normalised corners can fall slightly outside 0..1; clip before scaling to pixels.
            candidates.add(new FaceBox(clip(bx[4 * i]) * frame.width(), clip(bx[4 * i + 1]) * frame.height(),
                    clip(bx[4 * i + 2]) * frame.width(), clip(bx[4 * i + 3]) * frame.height(), score));
        }
        return Nms.hard(candidates, nmsIou);
    }

    private static float clip(float v) {
        return Math.min(1f, Math.max(0f, v));
    }
}
