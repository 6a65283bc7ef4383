package dev.moodtag.encode.video;

import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.Pooling;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The padded second detection for tight face crops, and mirror averaging, on real data/faces images. */
class FaceFramingTest {

    private static EncoderSpec spec(Map<String, Object> params) {
        return TestMedia.withParams(TestMedia.spec(TestMedia.VIDEO_PACK, TestMedia.ULTRAFACE, "fp32"), params);
    }

    private static List<Path> firstFaces(int n) throws IOException {
        Path dir = Fixtures.shared("data/faces/images");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList();
        }
    }

    @Test
    void paddedRetryFindsFacesInTightCropsThatTheDetectorAloneMisses() throws IOException {
        int plain = 0, padded = 0;
        try (FaceExpressionEncoder without = new FaceExpressionEncoder(spec(Map.of("paddedRetry", 0)), TestMedia.context());
             FaceExpressionEncoder with = new FaceExpressionEncoder(spec(Map.of("paddedRetry", 0.5)), TestMedia.context())) {
            for (Path p : firstFaces(120)) {
                var u = TestMedia.utterance(p.getFileName().toString(), List.of(TestMedia.jpg(p)));
                boolean a = without.encode(u) instanceof EncoderOutput.Vector;
                boolean b = with.encode(u) instanceof EncoderOutput.Vector;
                assertTrue(b || !a, "the retry only runs when the first pass found nothing: " + p);
                if (a) plain++;
                if (b) padded++;
            }
            assertTrue(padded > plain, "padded " + padded + " vs plain " + plain + " of 120");
            // A frame with no face stays missing even with the retry.
            var grey = TestMedia.utterance("grey", List.of(TestMedia.uniform(112, 112, 128)));
            assertInstanceOf(EncoderOutput.Missing.class, with.encode(grey));
        }
    }

    @Test
    void mirrorAveragingMakesAFaceAndItsMirrorImageEmbedAlike() {
        VideoFrame face = TestMedia.jpg(Fixtures.sample("Cole_Chapman_0001.jpg"));
        VideoFrame flipped = new VideoFrame(0, face.width(), face.height(),
                ImageOps.mirror(face.rgb(), face.width(), face.height()));
        try (FaceExpressionEncoder plain = new FaceExpressionEncoder(spec(Map.of("mirror", false)), TestMedia.context());
             FaceExpressionEncoder mirrored = new FaceExpressionEncoder(spec(Map.of("mirror", true)), TestMedia.context())) {
            float[] a = vector(mirrored, face), b = vector(mirrored, flipped);
            float[] c = vector(plain, face), d = vector(plain, flipped);
            double withMirror = Pooling.cosine(a, b), without = Pooling.cosine(c, d);
            assertTrue(withMirror > without, "mirror " + withMirror + " vs plain " + without);
            // Not 1: the detector's box on the flipped picture is not exactly the mirrored box.
            assertTrue(withMirror > 0.95, "mirror " + withMirror);
        }
    }

    @Test
    void mirroringTwiceIsTheIdentity() {
        VideoFrame face = TestMedia.jpg(Fixtures.sample("John_Brady_0002.jpg"));
        byte[] once = ImageOps.mirror(face.rgb(), face.width(), face.height());
        assertEquals(face.rgb()[0], once[(face.width() - 1) * 3]);
        assertArrayEquals(face.rgb(), ImageOps.mirror(once, face.width(), face.height()));
    }

    @Test
    void theFaceCropsPackRunsTheExpressionNetOnTheWholePicture() {
        EncoderSpec spec = Fixtures.pack(Path.of("models", "packs", "face-crops.json"))
                .encoder("video-face-expression").orElseThrow();
        try (FaceExpressionEncoder e = new FaceExpressionEncoder(spec, TestMedia.context())) {
            VideoFrame face = TestMedia.jpg(Fixtures.sample("Junichi_Inamoto_0001.jpg"));
            List<FrameExpression> fx = e.analyse(new dev.moodtag.media.VideoTrack(List.of(face), 0, 0));
            assertEquals(1, fx.size());
            assertEquals(0, fx.get(0).box().x1(), 1e-6);
            assertEquals(face.width(), fx.get(0).box().x2(), 1e-6);
            assertEquals("sad", fx.get(0).topLabel());
        }
    }

    private static float[] vector(FaceExpressionEncoder e, VideoFrame f) {
        return ((EncoderOutput.Vector) e.encode(TestMedia.utterance("f", List.of(f)))).values();
    }
}
