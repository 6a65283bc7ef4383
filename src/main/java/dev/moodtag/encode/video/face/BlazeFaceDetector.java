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
 * MediaPipe BlazeFace short-range (keijiro's Barracuda export): a centred square of the frame at 128×128 NHWC,
 * p / 127.5 − 1, 896 unit anchors in two layers (16×16×2 at stride 8, 8×8×6 at stride 16), sigmoid scores, then
 * weighted NMS. The model wants a square input; {@link Framing} says whether the square is cut from the frame's
 * centre or the frame is letterboxed into it.
 */
public final class BlazeFaceDetector implements FaceDetector {

    public static final String NAME = "blazeface";
    public static final float DEFAULT_SCORE_THRESHOLD = 0.75f;
    public static final float DEFAULT_NMS_IOU = 0.3f;

    /** CROP: side = shorter edge (faces stay large; the sides are not searched). LETTERBOX: side = longer edge. */
    public enum Framing { CROP, LETTERBOX }

    private static final int SIZE = 128;
    private static final ImageOps.PixelNorm NORM = ImageOps.PixelNorm.affine(1f / 127.5f, -1f);
    private static final String INPUT = "input:0";
    private static final Layer STRIDE8 = new Layer("Identity:0", "Identity_2:0", 16, 2);
    private static final Layer STRIDE16 = new Layer("Identity_1:0", "Identity_3:0", 8, 6);
    private static final int REGRESSORS = 16;
    private static final int KEYPOINTS = 6;

    private record Layer(String scores, String regressors, int cells, int anchorsPerCell) {
    }

    private final OrtEnvironment env;
    private final LoadedSession session;
    private final float scoreThreshold;
    private final float nmsIou;
    private final Framing framing;

    public BlazeFaceDetector(OrtEnvironment env, LoadedSession session, float scoreThreshold, float nmsIou, Framing framing) {
        this.env = env;
        this.session = session;
        this.scoreThreshold = scoreThreshold;
        this.nmsIou = nmsIou;
        this.framing = framing;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<FaceBox> detect(VideoFrame frame) {
        double side = framing == Framing.CROP ? Math.min(frame.width(), frame.height())
                : Math.max(frame.width(), frame.height());
        Square square = new Square((frame.width() - side) / 2, (frame.height() - side) / 2, side);
        byte[] rgb = ImageOps.centredSquare(frame, side, SIZE);
        float[] input = new float[SIZE * SIZE * 3];
        ImageOps.toHwc(rgb, NORM, input, 0);
        List<FaceBox> candidates = new ArrayList<>();
        OrtSession s = session.session();
        try (OnnxTensor t = Tensors.floats(env, input, 1, SIZE, SIZE, 3);
             OrtSession.Result r = s.run(Map.of(INPUT, t), Set.of(STRIDE8.scores, STRIDE8.regressors,
                     STRIDE16.scores, STRIDE16.regressors))) {
            decode(r, STRIDE8, square, candidates);
            decode(r, STRIDE16, square, candidates);
        } catch (OrtException e) {
            throw new IllegalStateException("BlazeFace failed on a " + frame.width() + "x" + frame.height()
                    + " frame: " + e.getMessage(), e);
        }
        return Nms.weighted(candidates, nmsIou);
    }

    /** The frame region the model saw; maps the model's 0..1 coordinates back to frame pixels. */
    private record Square(double x0, double y0, double side) {
        float x(double v) {
            return (float) (x0 + v * side);
        }

        float y(double v) {
            return (float) (y0 + v * side);
        }
    }

    private void decode(OrtSession.Result r, Layer layer, Square sq, List<FaceBox> out) throws OrtException {
        float[] raw = Tensors.output(r, layer.scores).data();
        float[] reg = Tensors.output(r, layer.regressors).data();
        int i = 0;
        for (int y = 0; y < layer.cells; y++) {
            for (int x = 0; x < layer.cells; x++) {
                for (int a = 0; a < layer.anchorsPerCell; a++, i++) {
                    float score = (float) (1 / (1 + Math.exp(-raw[i])));
                    if (score < scoreThreshold) continue;
                    double ax = (x + 0.5) / layer.cells;
                    double ay = (y + 0.5) / layer.cells;
                    int o = i * REGRESSORS;
                    double cx = ax + reg[o] / SIZE;
                    double cy = ay + reg[o + 1] / SIZE;
                    double w = reg[o + 2] / SIZE;
                    double h = reg[o + 3] / SIZE;
                    List<FaceBox.Point> points = new ArrayList<>(KEYPOINTS);
                    for (int k = 0; k < KEYPOINTS; k++) {
                        points.add(new FaceBox.Point(sq.x(ax + reg[o + 4 + 2 * k] / SIZE),
                                sq.y(ay + reg[o + 5 + 2 * k] / SIZE)));
                    }
                    out.add(new FaceBox(sq.x(cx - w / 2), sq.y(cy - h / 2), sq.x(cx + w / 2), sq.y(cy + h / 2),
                            score, points));
                }
            }
        }
    }
}
