package dev.moodtag.encode.video;

import dev.moodtag.media.VideoFrame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageOpsTest {

    @Test
    void sameSizeResampleIsTheIdentity() {
        VideoFrame f = TestMedia.noise(17, 9, 1);
        assertArrayEquals(f.rgb(), ImageOps.resample(f, 0, 0, 17, 9, 17, 9));
    }

    @Test
    void uniformImageStaysUniformAtAnyScale() {
        VideoFrame f = TestMedia.uniform(37, 23, 200);
        for (int[] size : new int[][]{{320, 240}, {5, 3}, {1, 1}, {128, 128}}) {
            byte[] out = ImageOps.resample(f, 0, 0, 37, 23, size[0], size[1]);
            for (byte b : out) assertEquals(200, b & 0xff);
        }
    }

    @Test
    void downscaleByTwoAveragesPixelPairs() {
        // 4×1 grey ramp 0, 100, 200, 250 → 2×1: samples at x = 0.5 and 2.5 → 50 and 225
        byte[] rgb = new byte[12];
        int[] v = {0, 100, 200, 250};
        for (int i = 0; i < 4; i++) for (int c = 0; c < 3; c++) rgb[i * 3 + c] = (byte) v[i];
        byte[] out = ImageOps.resample(new VideoFrame(0, 4, 1, rgb), 0, 0, 4, 1, 2, 1);
        assertEquals(50, out[0] & 0xff);
        assertEquals(225, out[3] & 0xff);
    }

    @Test
    void regionOutsideTheImageIsBlackAndInsideIsKept() {
        VideoFrame f = TestMedia.uniform(10, 10, 90);
        // a 20×20 square centred on the image: the outer ring of 5 px is padding
        byte[] out = ImageOps.resample(f, -5, -5, 20, 20, 20, 20);
        assertEquals(0, out[0] & 0xff);
        assertEquals(0, out[(4 * 20 + 4) * 3] & 0xff);
        assertEquals(90, out[(5 * 20 + 5) * 3] & 0xff);
        assertEquals(90, out[(14 * 20 + 14) * 3] & 0xff);
        assertEquals(0, out[(15 * 20 + 15) * 3] & 0xff);
    }

    @Test
    void centredSquareCropsTheMiddleOfAWideFrame() {
        VideoFrame f = TestMedia.gradient(300, 100);
        byte[] out = ImageOps.centredSquare(f, 100, 100);
        // red encodes x: the crop's first column is source column 100
        assertEquals(100 * 255 / 299, out[0] & 0xff, 1);
        assertEquals(199 * 255 / 299, out[99 * 3] & 0xff, 1);
    }

    @Test
    void normalisationLayouts() {
        byte[] rgb = {(byte) 255, 0, (byte) 127, 0, (byte) 255, 0}; // 2×1
        float[] chw = new float[6];
        ImageOps.toChw(rgb, 2, 1, ImageOps.PixelNorm.affine(1f / 127.5f, -1f), chw, 0);
        assertArrayEquals(new float[]{1, -1, -1, 1, 127 / 127.5f - 1, -1}, chw, 1e-6f);
        float[] hwc = new float[7];
        ImageOps.toHwc(rgb, ImageOps.PixelNorm.RAW, hwc, 1);
        assertArrayEquals(new float[]{0, 255, 0, 127, 0, 255, 0}, hwc);
        ImageOps.PixelNorm imagenet = ImageOps.PixelNorm.meanStd(new float[]{0.5f, 0.5f, 0.5f}, new float[]{0.5f, 0.25f, 1f});
        float[] one = new float[3];
        ImageOps.toChw(new byte[]{(byte) 255, (byte) 255, (byte) 255}, 1, 1, imagenet, one, 0);
        assertArrayEquals(new float[]{1f, 2f, 0.5f}, one, 1e-6f);
    }

    @Test
    void greyPlaneIsBt601LumaAndKeepsGreyPixelsExactly() {
        byte[] rgb = {(byte) 200, (byte) 200, (byte) 200, (byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255};
        float[] out = new float[5];
        ImageOps.toGreyPlane(rgb, ImageOps.PixelNorm.RAW, out, 1);
        assertArrayEquals(new float[]{0, 200f, 0.299f * 255, 0.587f * 255, 0.114f * 255}, out, 1e-3f);
    }
}
