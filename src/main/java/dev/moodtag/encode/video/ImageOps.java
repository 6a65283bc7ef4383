package dev.moodtag.encode.video;

import dev.moodtag.media.VideoFrame;

/**
 * The few pixel operations the video encoders need, on packed RGB24 bytes: a bilinear resampler of an arbitrary
 * (possibly out-of-image) rectangle, and conversion of RGB24 to normalised float tensors in planar (CHW) or
 * interleaved (HWC) layout. Pure Java on purpose: no AWT in the product, and one pass over small outputs
 * (112², 128², 320×240) costs far less than a model run.
 */
public final class ImageOps {
    private ImageOps() {
    }

    /**
     * Per-channel affine normalisation {@code value = pixel * scale[c] + bias[c]} with pixel in 0..255. Every
     * model convention here is one of these: raw 0..255, (p − 127)/128, p/127.5 − 1, (p/255 − mean)/std.
     */
    public record PixelNorm(float[] scale, float[] bias) {
        public PixelNorm {
            if (scale.length != 3 || bias.length != 3) throw new IllegalArgumentException("need 3 channels");
        }

        public static final PixelNorm RAW = affine(1f, 0f);

        public static PixelNorm affine(float scale, float bias) {
            return new PixelNorm(new float[]{scale, scale, scale}, new float[]{bias, bias, bias});
        }

        /** (p / 255 − mean[c]) / std[c], the torchvision / Hugging Face image-processor convention. */
        public static PixelNorm meanStd(float[] mean, float[] std) {
            if (mean.length != 3 || std.length != 3) throw new IllegalArgumentException("mean and std need 3 values");
            float[] s = new float[3];
            float[] b = new float[3];
            for (int c = 0; c < 3; c++) {
                s[c] = 1f / (255f * std[c]);
                b[c] = -mean[c] / std[c];
            }
            return new PixelNorm(s, b);
        }
    }

    /**
     * Bilinear resample of the rectangle [x0, x0 + w) × [y0, y0 + h) of {@code src} (pixel units, may reach past
     * the borders) to {@code dstW × dstH} RGB24. Pixel centres follow the half-pixel convention (as OpenCV's
     * INTER_LINEAR, which the detectors' reference code used). Output samples that fall outside the image are
     * black: face-api, whose expression net we run, pads faces to square with zeros too.
     */
    public static byte[] resample(VideoFrame src, double x0, double y0, double w, double h, int dstW, int dstH) {
        if (dstW <= 0 || dstH <= 0 || w <= 0 || h <= 0) throw new IllegalArgumentException("empty resample region");
        Axis ax = Axis.of(x0, w, dstW, src.width());
        Axis ay = Axis.of(y0, h, dstH, src.height());
        byte[] in = src.rgb();
        byte[] out = new byte[dstW * dstH * 3];
        int stride = src.width() * 3;
        for (int dy = 0; dy < dstH; dy++) {
            if (ay.outside[dy]) continue; // stays black
            int row0 = ay.i0[dy] * stride;
            int row1 = ay.i1[dy] * stride;
            float fy = ay.frac[dy];
            int o = dy * dstW * 3;
            for (int dx = 0; dx < dstW; dx++, o += 3) {
                if (ax.outside[dx]) continue;
                int c0 = ax.i0[dx] * 3;
                int c1 = ax.i1[dx] * 3;
                float fx = ax.frac[dx];
                for (int c = 0; c < 3; c++) {
                    float top = (in[row0 + c0 + c] & 0xff) + fx * ((in[row0 + c1 + c] & 0xff) - (in[row0 + c0 + c] & 0xff));
                    float bot = (in[row1 + c0 + c] & 0xff) + fx * ((in[row1 + c1 + c] & 0xff) - (in[row1 + c0 + c] & 0xff));
                    out[o + c] = (byte) (int) (top + fy * (bot - top) + 0.5f);
                }
            }
        }
        return out;
    }

    /** The centred square of side {@code side} resampled to {@code size × size}: crop (side = short edge) or letterbox. */
    public static byte[] centredSquare(VideoFrame src, double side, int size) {
        return resample(src, (src.width() - side) / 2, (src.height() - side) / 2, side, side, size, size);
    }

    /** The RGB24 picture flipped left to right. */
    public static byte[] mirror(byte[] rgb, int w, int h) {
        byte[] out = new byte[rgb.length];
        for (int y = 0; y < h; y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) System.arraycopy(rgb, row + x * 3, out, row + (w - 1 - x) * 3, 3);
        }
        return out;
    }

    /** Writes RGB24 pixels as planar [3, h, w] floats into {@code out} starting at {@code offset}. */
    public static void toChw(byte[] rgb, int w, int h, PixelNorm norm, float[] out, int offset) {
        int plane = w * h;
        float[] s = norm.scale();
        float[] b = norm.bias();
        for (int p = 0, i = 0; p < plane; p++, i += 3) {
            out[offset + p] = (rgb[i] & 0xff) * s[0] + b[0];
            out[offset + plane + p] = (rgb[i + 1] & 0xff) * s[1] + b[1];
            out[offset + 2 * plane + p] = (rgb[i + 2] & 0xff) * s[2] + b[2];
        }
    }

    /**
     * Writes RGB24 pixels as one grey plane [h, w] (ITU-R BT.601 luma, as FFmpeg's and OpenCV's RGB → grey) into
     * {@code out} starting at {@code offset}; the first channel of {@code norm} applies. A grey picture decoded to
     * RGB (R = G = B) comes back as its own grey values.
     */
    public static void toGreyPlane(byte[] rgb, PixelNorm norm, float[] out, int offset) {
        float s = norm.scale()[0];
        float b = norm.bias()[0];
        for (int p = 0, i = 0; i < rgb.length; p++, i += 3) {
            // Integer weights, so that R = G = B gives back exactly that value.
            float luma = (299 * (rgb[i] & 0xff) + 587 * (rgb[i + 1] & 0xff) + 114 * (rgb[i + 2] & 0xff)) / 1000f;
            out[offset + p] = luma * s + b;
        }
    }

    /** Writes RGB24 pixels as interleaved [h, w, 3] floats into {@code out} starting at {@code offset}. */
    public static void toHwc(byte[] rgb, PixelNorm norm, float[] out, int offset) {
        float[] s = norm.scale();
        float[] b = norm.bias();
        for (int i = 0; i < rgb.length; i += 3) {
            out[offset + i] = (rgb[i] & 0xff) * s[0] + b[0];
            out[offset + i + 1] = (rgb[i + 1] & 0xff) * s[1] + b[1];
            out[offset + i + 2] = (rgb[i + 2] & 0xff) * s[2] + b[2];
        }
    }

    /** Source indices and weights of one output axis, computed once per resample instead of once per pixel. */
    private record Axis(int[] i0, int[] i1, float[] frac, boolean[] outside) {
        static Axis of(double start, double length, int n, int limit) {
            int[] i0 = new int[n];
            int[] i1 = new int[n];
            float[] frac = new float[n];
            boolean[] outside = new boolean[n];
            double step = length / n;
            for (int d = 0; d < n; d++) {
                double s = start + (d + 0.5) * step - 0.5;
                // A sample is inside when it lies on the image's pixel area; inside it, the half pixel at each
                // edge replicates the border pixel (as OpenCV does) rather than blending in black.
                if (s < -0.5 || s >= limit - 0.5) {
                    outside[d] = true;
                    continue;
                }
                double c = Math.min(Math.max(s, 0), limit - 1);
                int lo = (int) Math.floor(c);
                i0[d] = lo;
                i1[d] = Math.min(lo + 1, limit - 1);
                frac[d] = (float) (c - lo);
            }
            return new Axis(i0, i1, frac, outside);
        }
    }
}
