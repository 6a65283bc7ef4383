package dev.moodtag.media;

/**
 * One decoded picture as packed RGB24 (row-major, 3 bytes per pixel, no row padding).
 * The array is shared, not copied: no stage may write to it.
 */
public record VideoFrame(double timestampSeconds, int width, int height, byte[] rgb) {
    public VideoFrame {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("frame size must be positive");
        if (rgb == null || rgb.length != width * height * 3)
            throw new IllegalArgumentException("rgb must hold width*height*3 bytes");
    }

    /** Channel c (0=R, 1=G, 2=B) of pixel (x, y) as 0..255. */
    public int channel(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }
}
