package dev.moodtag.media;

import org.bytedeco.javacv.Frame;

import java.nio.ByteBuffer;

/** Turns JavaCV's reused native frames into {@link VideoFrame}s the pipeline can keep. */
final class RgbFrames {
    private RgbFrames() {
    }

    record Size(int width, int height) {
    }

    /** Scales down (never up) so that the longer side is at most {@code maxSide}, keeping the aspect ratio. */
    static Size fit(int width, int height, int maxSide) {
        int longer = Math.max(width, height);
        if (longer <= maxSide) return new Size(width, height);
        double scale = maxSide / (double) longer;
        return new Size(Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale)));
    }

    /**
     * Copies a packed RGB24 frame. FFmpeg pads each row to an aligned stride, so rows are copied one by one
     * unless there is no padding.
     */
    static VideoFrame copy(Frame frame, double timestampSeconds) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int row = w * 3;
        int stride = frame.imageStride;
        ByteBuffer src = (ByteBuffer) frame.image[0];
        byte[] rgb = new byte[row * h];
        if (stride == row) {
            src.get(0, rgb, 0, rgb.length);
        } else {
            for (int y = 0; y < h; y++) src.get(y * stride, rgb, y * row, row);
        }
        return new VideoFrame(timestampSeconds, w, h, rgb);
    }
}
