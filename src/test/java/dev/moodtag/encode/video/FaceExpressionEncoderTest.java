package dev.moodtag.encode.video;

import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.FrameStream;
import dev.moodtag.encode.Pooling;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.media.VideoTrack;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The face-expression encoder end to end on the real models, the sample faces and the sample video. */
class FaceExpressionEncoderTest {

    private static final Map<String, String> SAMPLES = Map.of(
            "Cole_Chapman_0001.jpg", "happy",
            "Junichi_Inamoto_0001.jpg", "sad",
            "John_Brady_0002.jpg", "angry");

    private static FaceExpressionEncoder fp32;
    private static FaceExpressionEncoder int8;
    private static FaceExpressionEncoder blaze;
    private static List<VideoFrame> video;

    @BeforeAll
    static void open() {
        fp32 = new FaceExpressionEncoder(TestMedia.spec(TestMedia.VIDEO_PACK, TestMedia.ULTRAFACE, "fp32"), TestMedia.context());
        int8 = new FaceExpressionEncoder(TestMedia.spec(TestMedia.VIDEO_PACK, TestMedia.ULTRAFACE, "int8"), TestMedia.context());
        blaze = new FaceExpressionEncoder(TestMedia.spec(TestMedia.VIDEO_PACK, TestMedia.BLAZEFACE, null), TestMedia.context());
        // 16 frames at 5 fps, as the README's check
        video = TestMedia.videoFrames(Fixtures.sample(TestMedia.RAVDESS_NEUTRAL), 16, 5);
    }

    @AfterAll
    static void close() {
        for (FaceExpressionEncoder e : new FaceExpressionEncoder[]{fp32, int8, blaze}) if (e != null) e.close();
    }

    @Test
    void infoRecordsWhatRuns() {
        assertEquals(526, fp32.info().dim());
        assertEquals("fp32", fp32.info().precision());
        assertEquals("int8", int8.info().precision());
        assertEquals("a093443e5af23f1d3e430b7294979fb20f786b4b5e6d04bf57bc2fc8159aa580", int8.info().sha256().get("expression"));
        assertEquals("cpu", fp32.info().provider());
        assertEquals(Modality.VIDEO, fp32.info().modality());
    }

    @Test
    void sampleFacesGetTheirTrueExpressionWithUltraFaceAtBothPrecisions() {
        for (FaceExpressionEncoder e : List.of(fp32, int8)) {
            for (var s : SAMPLES.entrySet()) {
                List<FrameExpression> fx = e.analyse(still(s.getKey()));
                assertEquals(1, fx.size(), s.getKey());
                FrameExpression x = fx.get(0);
                System.out.printf("%s ultraface %s: %s p=%.4f%n", e.info().precision(), s.getKey(), x.topLabel(), x.topProbability());
                assertEquals(s.getValue(), x.topLabel(), e.info().precision() + " " + s.getKey());
                assertTrue(x.topProbability() > 0.9, s.getKey() + " p=" + x.topProbability());
                assertTrue(x.detected());
            }
        }
    }

    @Test
    void sampleFacesGetTheirTrueExpressionWithBlazeFace() {
        int found = 0;
        for (var s : SAMPLES.entrySet()) {
            List<FrameExpression> fx = blaze.analyse(still(s.getKey()));
            if (fx.isEmpty()) {
                System.out.printf("blazeface %s: no face at threshold 0.75%n", s.getKey());
                continue;
            }
            found++;
            FrameExpression x = fx.get(0);
            System.out.printf("blazeface %s: %s p=%.4f (box score %.3f)%n", s.getKey(), x.topLabel(), x.topProbability(), x.box().score());
            assertEquals(s.getValue(), x.topLabel(), s.getKey());
        }
        // On the bare picture BlazeFace misses Junichi_Inamoto (see FaceDetectorTest); the padded second pass finds it.
        assertEquals(3, found, "BlazeFace with the padded retry finds all three sample faces");
    }

    @Test
    void videoFramesAreNeutralWithBothDetectors() {
        assertEquals(16, video.size());
        for (FaceExpressionEncoder e : List.of(fp32, blaze)) {
            List<FrameExpression> fx = e.analyse(new VideoTrack(video, 5, 29.97));
            assertEquals(16, fx.size(), e.detector().name() + " finds the face in every frame");
            double mean = 0;
            for (FrameExpression x : fx) {
                assertEquals("neutral", x.topLabel(), e.detector().name() + " at t=" + x.timestampSeconds());
                mean += x.probs()[0] / fx.size();
            }
            System.out.printf("video %s: 16/16 neutral, mean p(neutral) %.4f%n", e.detector().name(), mean);
            assertTrue(mean > 0.9, "mean p(neutral) " + mean);
        }
    }

    @Test
    void encodePoolsMeanAndStdOfFeaturesAndProbs() {
        List<VideoFrame> frames = video.subList(0, 4);
        List<FrameExpression> fx = fp32.analyse(new VideoTrack(frames, 5, 0));
        float[] v = vector(fp32.encode(TestMedia.utterance("clip", frames)));
        assertEquals(526, v.length);
        float mean0 = 0;
        for (FrameExpression x : fx) mean0 += x.features()[0] / fx.size();
        assertEquals(mean0, v[0], 1e-5);
        float probMean0 = 0;
        for (FrameExpression x : fx) probMean0 += x.probs()[0] / fx.size();
        assertEquals(probMean0, v[512], 1e-5, "probs mean follows features mean and std");
        for (int i = 519; i < 526; i++) assertTrue(v[i] >= 0, "std");
    }

    @Test
    void sameFramesEmbedIdentically() {
        Utterance u = TestMedia.utterance("clip", video.subList(0, 6));
        assertArrayEquals(vector(fp32.encode(u)), vector(fp32.encode(u)));
        // and batching does not change a frame's result: frame 0 alone equals frame 0 within the batch
        float[] alone = fp32.analyse(new VideoTrack(video.subList(0, 1), 5, 0)).get(0).features();
        float[] inBatch = fp32.analyse(new VideoTrack(video.subList(0, 6), 5, 0)).get(0).features();
        assertArrayEquals(alone, inBatch);
    }

    /** The function's path: frames handed over one by one while the video is decoded, each classified at once. */
    @Test
    void framesStreamedOneByOneGiveExactlyTheVectorOfTheWholeTrack() {
        List<VideoFrame> frames = video.subList(0, 8);
        Utterance u = TestMedia.utterance("clip", frames);
        FrameStream stream = fp32.openFrameStream().orElseThrow();
        frames.forEach(stream::accept);
        assertArrayEquals(vector(fp32.encode(u)), vector(stream.finish(u)));
    }

    /**
     * A video decoded in two parts: one frame stream per part, the second appended to the first, gives exactly what
     * encoding the finished two-part track gives; the face is tracked afresh from the second part's first frame.
     */
    @Test
    void twoPartsStreamedSeparatelyGiveExactlyTheVectorOfTheTwoPartTrack() {
        List<VideoFrame> frames = video.subList(0, 8);
        Utterance u = new Utterance("clip", null, new VideoTrack(frames, 5, 0, List.of(0, 5)), null, Map.of());
        FrameStream first = fp32.openFrameStream().orElseThrow(), second = fp32.openFrameStream().orElseThrow();
        frames.subList(0, 5).forEach(first::accept);
        frames.subList(5, 8).forEach(second::accept);
        first.append(second);
        assertArrayEquals(vector(fp32.encode(u)), vector(first.finish(u)));
        List<FrameExpression> fx = fp32.analyse(u.video());
        assertEquals(8, fx.size());
        assertTrue(fx.get(5).detected(), "the second part starts with a detection");
    }

    @Test
    void int8FeaturesStayCloseToFp32() {
        List<String> report = new ArrayList<>();
        double min = 1;
        for (String name : SAMPLES.keySet()) {
            double cos = Pooling.cosine(fp32.analyse(still(name)).get(0).features(), int8.analyse(still(name)).get(0).features());
            report.add(String.format("%s %.4f", name, cos));
            min = Math.min(min, cos);
        }
        Utterance clip = TestMedia.utterance("clip", video);
        double pooled = Pooling.cosine(vector(fp32.encode(clip)), vector(int8.encode(clip)));
        report.add(String.format("video pooled 526-d %.4f", pooled));
        System.out.println("INT8 vs FP32 feature cosine: " + report);
        assertTrue(min > 0.98, report.toString());
        assertTrue(pooled > 0.98, report.toString());
    }

    @Test
    void framesWithoutAFaceAreMissingWithTheReason() {
        List<VideoFrame> faceless = List.of(TestMedia.uniform(640, 360, 128), TestMedia.noise(640, 360, 11),
                TestMedia.uniform(320, 240, 0));
        EncoderOutput out = fp32.encode(TestMedia.utterance("blank", faceless));
        EncoderOutput.Missing m = assertInstanceOf(EncoderOutput.Missing.class, out);
        assertEquals("no face found in 3 sampled frames", m.reason());
    }

    @Test
    void tinyFramesDoNotCrash() {
        for (FaceExpressionEncoder e : List.of(fp32, blaze)) {
            EncoderOutput out = e.encode(TestMedia.utterance("tiny", List.of(TestMedia.noise(8, 8, 5), TestMedia.uniform(1, 2, 9))));
            assertInstanceOf(EncoderOutput.Missing.class, out);
        }
        // a face in a 24×24 thumbnail: whatever is found, the crop and the expression net must cope
        VideoFrame face = TestMedia.jpg(Fixtures.sample("Cole_Chapman_0001.jpg"));
        VideoFrame thumb = new VideoFrame(0, 24, 24, ImageOps.resample(face, 0, 0, 350, 350, 24, 24));
        fp32.encode(TestMedia.utterance("thumb", List.of(thumb)));
    }

    @Test
    void noVideoTrackIsMissingWithTheDecodersReason() {
        Utterance audioOnly = new Utterance("a.wav", null, null, null, Map.of(Modality.VIDEO, "no video stream"));
        assertEquals(new EncoderOutput.Missing("no video stream"), fp32.encode(audioOnly));
    }

    @Test
    void detectEveryCarriesTheBoxBetweenDetections() {
        EncoderSpec every4 = TestMedia.withParams(TestMedia.spec(TestMedia.VIDEO_PACK, TestMedia.ULTRAFACE, null),
                Map.of("detectEvery", 4));
        try (FaceExpressionEncoder e = new FaceExpressionEncoder(every4, TestMedia.context())) {
            List<FrameExpression> fx = e.analyse(new VideoTrack(video, 5, 29.97));
            assertEquals(16, fx.size());
            for (int i = 0; i < 16; i++) {
                assertEquals(i % 4 == 0, fx.get(i).detected(), "frame " + i);
                assertEquals("neutral", fx.get(i).topLabel(), "frame " + i);
                if (i % 4 != 0) assertEquals(fx.get(i - 1).box(), fx.get(i).box());
            }
        }
    }

    /**
     * A picture that changes size part-way (a broadcast switching from 4:3 to 16:9, which the decoder now delivers at its
     * own shape) moves its faces: the box found in a frame of the old size is not carried into one of the new size, the
     * face is found again there.
     */
    @Test
    void aFrameOfAnotherSizeIsDetectedAgainNotGivenTheOldBox() {
        EncoderSpec every4 = TestMedia.withParams(TestMedia.spec(TestMedia.VIDEO_PACK, TestMedia.ULTRAFACE, null),
                Map.of("detectEvery", 4));
        List<VideoFrame> frames = new ArrayList<>(video.subList(0, 2));
        for (VideoFrame f : video.subList(2, 6)) frames.add(framed(f, 160, 90));
        try (FaceExpressionEncoder e = new FaceExpressionEncoder(every4, TestMedia.context())) {
            List<FrameExpression> fx = e.analyse(new VideoTrack(frames, 5, 29.97));
            assertEquals(6, fx.size());
            assertTrue(fx.get(2).detected(), "the first frame of the new size is detected, not given the old box");
            assertFalse(fx.get(3).detected(), "then carried as usual");
            assertEquals(fx.get(0).box().centreX() + 160, fx.get(2).box().centreX(), 8, "the face where it now is");
            assertEquals(fx.get(0).box().centreY() + 90, fx.get(2).box().centreY(), 8);
        }
    }

    /** {@code f} in the middle of a black frame {@code 2 * dx} wider and {@code 2 * dy} higher. */
    private static VideoFrame framed(VideoFrame f, int dx, int dy) {
        int w = f.width() + 2 * dx, h = f.height() + 2 * dy;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < f.height(); y++)
            System.arraycopy(f.rgb(), y * f.width() * 3, rgb, ((y + dy) * w + dx) * 3, f.width() * 3);
        return new VideoFrame(f.timestampSeconds(), w, h, rgb);
    }

    @Test
    void aMaxBatchSmallerThanTheTrackGivesTheSameEmbedding() {
        EncoderSpec small = TestMedia.withParams(TestMedia.spec(TestMedia.VIDEO_PACK, TestMedia.ULTRAFACE, null),
                Map.of("maxBatch", 3));
        Utterance u = TestMedia.utterance("clip", video.subList(0, 7));
        try (FaceExpressionEncoder e = new FaceExpressionEncoder(small, TestMedia.context())) {
            assertArrayEquals(vector(fp32.encode(u)), vector(e.encode(u)), 1e-4f);
        }
    }

    @Test
    void manifestMistakesFailAtStartWithAClearMessage() {
        EncoderSpec base = TestMedia.spec(TestMedia.VIDEO_PACK, TestMedia.ULTRAFACE, null);
        var wrongDim = new EncoderSpec(base.id(), base.modality(), base.kind(), base.files(), base.inputs(),
                base.outputs(), base.params(), 512, base.precision(), base.licence(), base.source());
        var e1 = assertThrows(ModelPackException.class, () -> new FaceExpressionEncoder(wrongDim, TestMedia.context()));
        assertTrue(e1.getMessage().contains("526"), e1.getMessage());
        var e2 = assertThrows(ModelPackException.class, () -> new FaceExpressionEncoder(
                TestMedia.withParams(base, Map.of("detector", "haar")), TestMedia.context()));
        assertTrue(e2.getMessage().contains("ultraface"), e2.getMessage());
        assertThrows(ModelPackException.class, () -> new FaceExpressionEncoder(
                TestMedia.withParams(base, Map.of("maxFaces", 2)), TestMedia.context()));
    }

    private static VideoTrack still(String sample) {
        return new VideoTrack(List.of(TestMedia.jpg(Fixtures.sample(sample))), 0, 0);
    }

    private static float[] vector(EncoderOutput out) {
        assertFalse(out instanceof EncoderOutput.Missing, () -> "missing: " + out);
        return ((EncoderOutput.Vector) out).values();
    }
}
