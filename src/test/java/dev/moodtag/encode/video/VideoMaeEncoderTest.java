package dev.moodtag.encode.video;

import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.media.VideoTrack;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;
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

/**
 * The VideoMAE encoder on the random-weight placeholder: wiring, shapes, sampling and determinism only (the
 * placeholder's outputs mean nothing).
 */
class VideoMaeEncoderTest {

    private static EncoderSpec spec;
    private static VideoMaeEncoder encoder;

    @BeforeAll
    static void open() {
        spec = TestMedia.spec(TestMedia.VIDEOMAE_PACK, "video-videomae-placeholder", null);
        encoder = new VideoMaeEncoder(spec, TestMedia.context());
    }

    @AfterAll
    static void close() {
        if (encoder != null) encoder.close();
    }

    private static List<VideoFrame> frames(int n, int w, int h) {
        List<VideoFrame> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            VideoFrame noise = TestMedia.noise(w, h, i);
            out.add(new VideoFrame(i / 5.0, w, h, noise.rgb()));
        }
        return out;
    }

    @Test
    void embedsToTheHiddenSizeDeterministically() {
        Utterance u = TestMedia.utterance("clip", frames(12, 96, 96));
        float[] a = vector(encoder.encode(u));
        assertEquals(64, a.length);
        assertArrayEquals(a, vector(encoder.encode(u)));
        for (float v : a) assertTrue(Float.isFinite(v));
        assertEquals("int8", encoder.info().precision());
        assertEquals(64, encoder.info().dim());
    }

    @Test
    void fewerFramesThanTheModelTakesAreRepeated() {
        List<VideoFrame> three = frames(3, 64, 64);
        float[] pixels = encoder.pixelValues(new VideoTrack(three, 5, 0));
        int plane = 3 * 64 * 64;
        assertEquals(8 * plane, pixels.length);
        // uniform sampling of 3 frames into 8 slots: 0 0 0 1 1 2 2 2
        int[] expected = {0, 0, 0, 1, 1, 2, 2, 2};
        for (int k = 0; k < 8; k++) {
            float[] slot = java.util.Arrays.copyOfRange(pixels, k * plane, (k + 1) * plane);
            float[] source = encoder.pixelValues(new VideoTrack(List.of(three.get(expected[k])), 5, 0));
            assertArrayEquals(java.util.Arrays.copyOfRange(source, 0, plane), slot, "slot " + k);
        }
        assertEquals(64, vector(encoder.encode(TestMedia.utterance("short", three))).length);
        assertEquals(64, vector(encoder.encode(TestMedia.utterance("one", frames(1, 64, 64)))).length);
    }

    @Test
    void nonSquareFramesAreCentreCropped() {
        // a wide frame whose centre square is the same as a square frame: same embedding
        VideoFrame square = TestMedia.noise(64, 64, 42);
        byte[] wide = new byte[160 * 64 * 3];
        for (int y = 0; y < 64; y++) System.arraycopy(square.rgb(), y * 64 * 3, wide, (y * 160 + 48) * 3, 64 * 3);
        float[] a = vector(encoder.encode(TestMedia.utterance("sq", List.of(square))));
        float[] b = vector(encoder.encode(TestMedia.utterance("wide", List.of(new VideoFrame(0, 160, 64, wide)))));
        assertArrayEquals(a, b, 1e-5f);
        assertEquals(64, vector(encoder.encode(TestMedia.utterance("tall", frames(5, 48, 170)))).length);
        assertEquals(64, vector(encoder.encode(TestMedia.utterance("tiny", frames(2, 8, 8)))).length);
    }

    @Test
    void normalisesWithTheConfiguredMeanAndStd() {
        float[] px = encoder.pixelValues(new VideoTrack(List.of(TestMedia.uniform(64, 64, 255)), 5, 0));
        assertEquals((1 - 0.485f) / 0.229f, px[0], 1e-5);
        assertEquals((1 - 0.406f) / 0.225f, px[2 * 64 * 64], 1e-5);
    }

    @Test
    void noVideoIsMissing() {
        Utterance u = new Utterance("a.wav", null, null, null, Map.of(Modality.VIDEO, "no video stream"));
        assertInstanceOf(EncoderOutput.Missing.class, encoder.encode(u));
    }

    @Test
    void shapeMismatchesFailAtStartWithAClearMessage() {
        var wrongDim = new EncoderSpec(spec.id(), spec.modality(), spec.kind(), spec.files(), spec.inputs(),
                spec.outputs(), spec.params(), 768, spec.precision(), spec.licence(), spec.source());
        var e = assertThrows(ModelPackException.class, () -> new VideoMaeEncoder(wrongDim, TestMedia.context()));
        assertTrue(e.getMessage().contains("hidden size 64"), e.getMessage());
        var e2 = assertThrows(ModelPackException.class, () -> new VideoMaeEncoder(
                TestMedia.withParams(spec, Map.of("frames", 16, "size", 224)), TestMedia.context()));
        assertTrue(e2.getMessage().contains("frames=16"), e2.getMessage());
    }

    private static float[] vector(EncoderOutput out) {
        assertFalse(out instanceof EncoderOutput.Missing, () -> "missing: " + out);
        return ((EncoderOutput.Vector) out).values();
    }
}
