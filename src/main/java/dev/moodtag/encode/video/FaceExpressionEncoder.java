package dev.moodtag.encode.video;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.FrameStream;
import dev.moodtag.encode.Pooling;
import dev.moodtag.encode.video.face.FaceBox;
import dev.moodtag.encode.video.face.FaceDetector;
import dev.moodtag.encode.video.face.FaceDetectors;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.media.VideoTrack;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.onnx.Tensors;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Video encoder {@code face-expression}: per sampled frame detect the face, cut a square crop of
 * {@code margin × max(w, h)} around the box centre, resize it to the expression net's input (112×112 RGB for
 * {@link #KIND}, one grey plane for {@link #GREY_KIND}; raw 0..255), run the crops through the expression net (in batches, or frame by frame while the video is still being
 * decoded: see {@link #openFrameStream}), and pool mean + std of
 * {@code features} and of {@code probs} over the frames that have a face (2 × (256 + 7) = 526 values).
 *
 * <p>Files: {@code detector} (UltraFace or BlazeFace, per the {@code detector} param) and {@code expression}.
 * Params: {@code detector}, {@code scoreThreshold}, {@code nmsIou}, {@code framing} (BlazeFace), {@code margin},
 * {@code maxFaces} (only 1), {@code detectEvery} (run the detector on every k-th frame and carry the box in
 * between; detection costs more than the expression net), {@code maxBatch} (bounds memory on long tracks).
 */
public final class FaceExpressionEncoder implements Encoder {

    public static final String KIND = "face-expression";
    /**
     * A second expression net of the FER-2013 family (e.g. mini-Xception): one grey channel in, raw 0..255, classes in
     * FER-2013's index order. Same face pipeline and parameters as {@link #KIND}; only the crop's pixels and the
     * default label order differ, so the two nets' blocks can sit side by side in one pack.
     */
    public static final String GREY_KIND = "face-expression-grey";
    /**
     * Measured (UltraFace, fp32): data/faces top-1 56.3 / 62.2 / 64.2 / 62.8 / 51.0 % at 1.1 / 1.25 / 1.4 / 1.6 / 2.0,
     * while the sample video stays neutral only up to 1.4 (16/16, mean p 0.995 / 0.965 / 0.943) and breaks at 1.6
     * (9/16): UltraFace boxes on video are tall, so max(w, h) x margin grows fast. 1.25 keeps clear of that edge.
     */
    public static final double DEFAULT_MARGIN = 1.25;
    private static final List<String> DEFAULT_LABELS =
            List.of("neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised");
    /** FER-2013's class index order, which nets trained on it keep (models README, mini_xception_emotion.onnx). */
    private static final List<String> FER2013_LABELS =
            List.of("angry", "disgusted", "fearful", "happy", "sad", "surprised", "neutral");

    private final OrtEnvironment env;
    private final LoadedSession detectorSession;
    private final LoadedSession expression;
    private final FaceDetector detector;
    private final EncoderInfo info;
    private final String imageInput;
    private final String featuresOutput;
    private final String probsOutput;
    private final int cropSize;
    private final int channels;
    private final int featureDim;
    private final int classes;
    private final List<String> labels;
    private final double margin;
    private final int detectEvery;
    private final int maxBatch;
    private final double paddedRetry;
    private final boolean mirror;

    /** Kind {@link #KIND}: an RGB expression net (face-api's), labels from the model's metadata or face-api's order. */
    public FaceExpressionEncoder(EncoderSpec spec, EncoderContext context) {
        this(spec, context, 3, DEFAULT_LABELS);
    }

    /** Kind {@link #GREY_KIND}: a one-channel net, labels from the model's metadata or FER-2013's order. */
    public static FaceExpressionEncoder grey(EncoderSpec spec, EncoderContext context) {
        return new FaceExpressionEncoder(spec, context, 1, FER2013_LABELS);
    }

    private FaceExpressionEncoder(EncoderSpec spec, EncoderContext context, int channels, List<String> defaultLabels) {
        FaceExpressionParams params = EncoderParameters.bind(spec, FaceExpressionParams.class);
        this.channels = channels;
        margin = params.margin();
        detectEvery = params.detectEvery();
        maxBatch = params.maxBatch();
        paddedRetry = params.paddedRetry();
        mirror = params.mirror();
        env = context.onnx().environment();
        imageInput = spec.input("image", "image");
        featuresOutput = spec.output("features", "features");
        probsOutput = spec.output("probs", "probs");

        detectorSession = context.onnx().open(spec.id() + "/detector", spec.file("detector"));
        try {
            expression = context.onnx().open(spec.id() + "/expression", spec.file("expression"));
        } catch (RuntimeException e) {
            detectorSession.close();
            throw e;
        }
        try {
            detector = FaceDetectors.create(params, env, detectorSession);
            OrtSession s = expression.session();
            long[] in = ModelShapes.of(s.getInputInfo(), imageInput, spec);
            if (in.length != 4 || (in[1] > 0 && in[1] != channels))
                throw new ModelPackException("encoder " + spec.id() + " (" + spec.kind() + "): input '" + imageInput
                        + "' must be [N, " + channels + ", H, W], not " + Arrays.toString(in));
            cropSize = in[3] > 0 ? (int) in[3] : 112;
            featureDim = (int) lastDim(s.getOutputInfo(), featuresOutput, spec);
            classes = (int) lastDim(s.getOutputInfo(), probsOutput, spec);
            labels = labels(s, classes, defaultLabels);
            int dim = 2 * (featureDim + classes);
            if (spec.dim() != dim) throw new ModelPackException("encoder " + spec.id() + ": 'dim' is " + spec.dim()
                    + " but mean+std of " + featureDim + " features and " + classes + " probs gives " + dim);
            info = EncoderInfo.of(spec, expression, detectorSession);
        } catch (OrtException | RuntimeException e) {
            close();
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException("encoder " + spec.id() + ": reading model metadata: " + e.getMessage(), e);
        }
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    public FaceDetector detector() {
        return detector;
    }

    @Override
    public EncoderOutput encode(Utterance utterance) {
        return track(utterance.videoTrack().orElse(null), maxBatch).finish(utterance);
    }

    /** The faces of a whole track: one {@link FaceTrack} per decoded part, as the frame streams see them. */
    private FaceTrack track(VideoTrack video, int batch) {
        FaceTrack whole = new FaceTrack(batch);
        if (video == null) return whole;
        List<List<VideoFrame>> parts = video.parts();
        parts.get(0).forEach(whole::accept);
        for (List<VideoFrame> part : parts.subList(1, parts.size())) {
            FaceTrack next = new FaceTrack(batch);
            part.forEach(next::accept);
            whole.append(next);
        }
        return whole;
    }

    /**
     * Frame by frame, each frame's crop going through the expression net as soon as it arrives: the work left once
     * decoding ends is then one frame's. Batching does not change the FP32 net's results (checked in the tests),
     * so this gives the same vector as {@link #encode}.
     */
    @Override
    public Optional<FrameStream> openFrameStream() {
        return Optional.of(new FaceTrack(1));
    }

    /** The expression of every frame where a face was found (or carried over), in frame order. */
    public List<FrameExpression> analyse(VideoTrack track) {
        FaceTrack faces = track(track, maxBatch);
        faces.flush();
        return faces.expressions;
    }

    /**
     * One part of an utterance's faces: the detector runs on the part's first frame and every {@code detectEvery}-th
     * after it, its box carried to the frames in between, and crops go through the expression net {@code batch} frames
     * at a time. The parts of a video decoded in parts are tracked separately, then appended.
     */
    private final class FaceTrack implements FrameStream {
        private final int batch;
        private final List<VideoFrame> frames = new ArrayList<>();
        private final List<FaceBox> boxes = new ArrayList<>();
        private final List<Boolean> detected = new ArrayList<>();
        private final List<FrameExpression> expressions = new ArrayList<>();
        private FaceBox carried;
        private int index;
        private int lastDetection = Integer.MIN_VALUE / 2;
        /** The size of the frame before: a box in its pixels does not fit a frame of another size. */
        private int lastWidth, lastHeight;

        FaceTrack(int batch) {
            this.batch = batch;
        }

        @Override
        public void accept(VideoFrame frame) {
            int i = index++;
            // a picture that changes size part-way (a broadcast switching programmes) moves its faces with it
            boolean resized = frame.width() != lastWidth || frame.height() != lastHeight;
            lastWidth = frame.width();
            lastHeight = frame.height();
            boolean detectNow = carried == null || resized || i - lastDetection >= detectEvery;
            if (detectNow) {
                carried = detect(frame);
                lastDetection = i;
            }
            if (carried == null) return;
            frames.add(frame);
            boxes.add(carried);
            detected.add(detectNow);
            if (frames.size() >= batch) flush();
        }

        @Override
        public void append(FrameStream nextPart) {
            FaceTrack next = (FaceTrack) nextPart;
            flush();
            next.flush();
            expressions.addAll(next.expressions);
            index += next.index;
        }

        void flush() {
            if (frames.isEmpty()) return;
            classify(frames, boxes, detected, expressions);
            frames.clear();
            boxes.clear();
            detected.clear();
        }

        @Override
        public EncoderOutput finish(Utterance utterance) {
            flush();
            if (utterance.videoTrack().isEmpty())
                return EncoderOutput.missing(utterance.whyMissing(Modality.VIDEO).orElse("no video frames"));
            if (expressions.isEmpty()) return EncoderOutput.missing("no face found in " + index + " sampled frames");
            int n = expressions.size();
            float[] features = new float[n * featureDim];
            float[] probs = new float[n * classes];
            for (int i = 0; i < n; i++) {
                System.arraycopy(expressions.get(i).features(), 0, features, i * featureDim, featureDim);
                System.arraycopy(expressions.get(i).probs(), 0, probs, i * classes, classes);
            }
            return EncoderOutput.of(Pooling.concat(Pooling.meanStd(features, n, featureDim),
                    Pooling.meanStd(probs, n, classes)));
        }
    }

    /** The square crop the expression net sees for {@code box}, as cropSize × cropSize RGB24. */
    public byte[] crop(VideoFrame frame, FaceBox box) {
        double side = margin * Math.max(box.width(), box.height());
        if (side < 1) side = 1; // a degenerate box still yields a (tiny) crop rather than an exception
        return ImageOps.resample(frame, box.centreX() - side / 2, box.centreY() - side / 2, side, side,
                cropSize, cropSize);
    }

    private void classify(List<VideoFrame> frames, List<FaceBox> boxes, List<Boolean> detected,
                          List<FrameExpression> out) {
        int n = frames.size();
        int views = mirror ? 2 : 1;
        int per = channels * cropSize * cropSize;
        float[] batch = new float[n * views * per];
        for (int i = 0; i < n; i++) {
            byte[] crop = crop(frames.get(i), boxes.get(i));
            toInput(crop, batch, i * views * per);
            if (mirror) toInput(ImageOps.mirror(crop, cropSize, cropSize), batch, (i * views + 1) * per);
        }
        OrtSession s = expression.session();
        try (OnnxTensor t = Tensors.floats(env, batch, (long) n * views, channels, cropSize, cropSize);
             OrtSession.Result r = s.run(Map.of(imageInput, t), Set.of(featuresOutput, probsOutput))) {
            // With mirroring, each face is the mean of itself and its mirror image: expressions are nearly
            // symmetric, so the average cancels some of the crop's and the pose's noise.
            float[] f = meanOfViews(Tensors.output(r, featuresOutput).data(), n, views, featureDim);
            float[] p = meanOfViews(Tensors.output(r, probsOutput).data(), n, views, classes);
            for (int i = 0; i < n; i++) {
                out.add(new FrameExpression(frames.get(i).timestampSeconds(), boxes.get(i), detected.get(i), labels,
                        Arrays.copyOfRange(p, i * classes, (i + 1) * classes),
                        Arrays.copyOfRange(f, i * featureDim, (i + 1) * featureDim)));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("expression net failed on " + n + " face crops: " + e.getMessage(), e);
        }
    }

    /** One RGB24 crop as the net's input planes, raw 0..255: three colour planes, or one grey plane. */
    private void toInput(byte[] crop, float[] out, int offset) {
        if (channels == 1) ImageOps.toGreyPlane(crop, ImageOps.PixelNorm.RAW, out, offset);
        else ImageOps.toChw(crop, cropSize, cropSize, ImageOps.PixelNorm.RAW, out, offset);
    }

    /** Rows [n × views × dim] averaged over consecutive views into [n × dim]. */
    private static float[] meanOfViews(float[] rows, int n, int views, int dim) {
        if (views == 1) return rows;
        float[] out = new float[n * dim];
        for (int i = 0; i < n; i++)
            for (int v = 0; v < views; v++)
                for (int d = 0; d < dim; d++) out[i * dim + d] += rows[(i * views + v) * dim + d] / views;
        return out;
    }

    /**
     * The most confident face, or null. A picture that is already a tight face crop (ID photos, dataset crops)
     * often has no face for the detectors, which were trained on faces with surroundings; so when nothing is
     * found the frame is framed again with a black border of {@code paddedRetry} × its long side on every side.
     * A frame without a face still yields null.
     */
    private FaceBox detect(VideoFrame frame) {
        FaceBox found = mostConfident(detector.detect(frame));
        if (found != null || paddedRetry <= 0) return found;
        int pad = (int) Math.round(paddedRetry * Math.max(frame.width(), frame.height()));
        int w = frame.width() + 2 * pad, h = frame.height() + 2 * pad;
        VideoFrame padded = new VideoFrame(frame.timestampSeconds(), w, h,
                ImageOps.resample(frame, -pad, -pad, w, h, w, h));
        FaceBox inPadded = mostConfident(detector.detect(padded));
        return inPadded == null ? null : inPadded.translate(-pad, -pad);
    }

    private static FaceBox mostConfident(List<FaceBox> faces) {
        return faces.stream().max(Comparator.comparingDouble(FaceBox::score).thenComparingDouble(FaceBox::area))
                .orElse(null);
    }

    /** The labels the converter stored in the model's metadata; the kind's default order when absent. */
    private static List<String> labels(OrtSession s, int classes, List<String> defaults) throws OrtException {
        String meta = s.getMetadata().getCustomMetadataValue("labels").orElse("");
        List<String> fromModel = meta.isBlank() ? List.of() : List.of(meta.split(","));
        List<String> l = fromModel.size() == classes ? fromModel : defaults;
        if (l.size() != classes)
            throw new ModelPackException("expression model has " + classes + " classes but no matching 'labels' metadata");
        return List.copyOf(l);
    }


    private static long lastDim(Map<String, NodeInfo> infos, String name, EncoderSpec spec) {
        long[] shape = ModelShapes.of(infos, name, spec);
        long d = shape[shape.length - 1];
        if (d <= 0) throw new ModelPackException("encoder " + spec.id() + ": output '" + name
                + "' has no fixed last dimension " + Arrays.toString(shape));
        return d;
    }

    @Override
    public void close() {
        if (expression != null) expression.close();
        detectorSession.close();
    }
}
