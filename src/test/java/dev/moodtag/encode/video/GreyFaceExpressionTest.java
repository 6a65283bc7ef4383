package dev.moodtag.encode.video;

import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The second expression net (mini-Xception, kind face-expression-grey) on real FER-2013 pictures. */
class GreyFaceExpressionTest {

    private static final Path FACE_CROPS_PACK = Path.of("models", "packs", "face-crops.json");
    private static final String GREY = "video-face-expression-grey";

    private static EncoderSpec greySpec() {
        return TestMedia.spec(FACE_CROPS_PACK, GREY, null);
    }

    /** The first {@code n} pictures (by name) of one class folder of the official private test split. */
    private static List<Path> privateTest(String emotion, int n) throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.shared("data/fer2013/privatetest/" + emotion))) {
            return files.sorted().limit(n).toList();
        }
    }

    @Test
    void theKindIsRegisteredWithTheFacePipelinesParameters() {
        var kind = EncoderKinds.BUILT_IN.encoderParameters(FaceExpressionEncoder.GREY_KIND).orElseThrow();
        assertEquals(FaceExpressionParams.class, kind);
    }

    /**
     * Label order and pixel format both matter: a wrong order (face-api's instead of FER-2013's) or colour planes
     * where the net wants one grey plane would bring this near chance (1 in 7).
     */
    @Test
    void ferPrivateTestPicturesGetTheirOwnLabelFarAboveChance() throws IOException {
        int right = 0, all = 0;
        try (FaceExpressionEncoder grey = FaceExpressionEncoder.grey(greySpec(), TestMedia.context())) {
            assertEquals(526, grey.info().dim());
            for (String emotion : List.of("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")) {
                for (Path p : privateTest(emotion, 10)) {
                    List<FrameExpression> fx = grey.analyse(TestMedia.utterance(p.getFileName().toString(),
                            List.of(TestMedia.jpg(p))).videoTrack().orElseThrow());
                    assertEquals(1, fx.size(), "detector none: the whole picture is the face " + p);
                    // The net's labels (disgusted, fearful, ...) start as the folder names do.
                    if (fx.get(0).topLabel().startsWith(emotion.substring(0, 3))) right++;
                    all++;
                }
            }
        }
        System.out.printf("mini-Xception, FER-2013 private test, 10 per class: %d of %d right%n", right, all);
        assertTrue(right >= 0.4 * all, right + " of " + all);
    }

    @Test
    void aFrameOfOneGreyValueStillYieldsAVectorWithoutADetector() {
        try (FaceExpressionEncoder grey = FaceExpressionEncoder.grey(greySpec(), TestMedia.context())) {
            var u = TestMedia.utterance("flat", List.of(TestMedia.uniform(48, 48, 128)));
            assertInstanceOf(EncoderOutput.Vector.class, grey.encode(u));
        }
    }

    @Test
    void aThreeChannelNetIsRefusedByTheGreyKindAndTheGreyNetByTheRgbKind() {
        EncoderSpec grey = greySpec();
        EncoderSpec rgb = TestMedia.spec(FACE_CROPS_PACK, "video-face-expression", "fp32");
        EncoderSpec greyKindOnRgbNet = new EncoderSpec(grey.id(), grey.modality(), grey.kind(), rgb.files(),
                grey.inputs(), grey.outputs(), grey.params(), grey.dim(), grey.precision(), grey.licence(), grey.source());
        var e = assertThrows(ModelPackException.class, () -> FaceExpressionEncoder.grey(greyKindOnRgbNet, TestMedia.context()));
        assertTrue(e.getMessage().contains("[N, 1, H, W]"), e.getMessage());
        EncoderSpec rgbKindOnGreyNet = new EncoderSpec(rgb.id(), rgb.modality(), rgb.kind(), grey.files(),
                rgb.inputs(), rgb.outputs(), Map.of("detector", "none"), rgb.dim(), rgb.precision(), rgb.licence(), rgb.source());
        var e2 = assertThrows(ModelPackException.class, () -> new FaceExpressionEncoder(rgbKindOnGreyNet, TestMedia.context()));
        assertTrue(e2.getMessage().contains("[N, 3, H, W]"), e2.getMessage());
    }
}
