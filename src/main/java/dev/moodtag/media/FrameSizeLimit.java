package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

/**
 * {@link MediaConfig#maxSourceSide()} applied to the header and to every decoded frame. The header alone proves
 * nothing: Motion JPEG may change size at every frame and H.264 at every keyframe, so a 3 MB file declaring 320×240
 * can carry 16000×16000 frames (3.4 GB resident before this check).
 */
final class FrameSizeLimit {
    private final int maxSide;

    FrameSizeLimit(int maxSide) {
        this.maxSide = maxSide;
    }

    /**
     * For FFmpeg's {@code max_pixels} decoder option: a decoder refuses, before allocating it, a frame of more
     * pixels than the largest one this limit allows (larger ones would be refused by {@link #checkFrame} anyway).
     */
    long maxPixels() {
        return (long) maxSide * maxSide;
    }

    void checkHeader(StreamInfo info) {
        if (info.sourceWidth() > maxSide || info.sourceHeight() > maxSide)
            throw new MediaException(Kind.LIMIT_EXCEEDED, info.source(), "the picture is " + info.sourceWidth()
                    + "x" + info.sourceHeight() + ", larger than the limit of " + maxSide + " pixels per side");
    }

    /** Before the frame is converted or kept. */
    void checkFrame(StreamInfo info, int width, int height, double seconds) {
        if (width > maxSide || height > maxSide)
            throw new MediaException(Kind.LIMIT_EXCEEDED, info.source(), String.format(java.util.Locale.ROOT,
                    "the frame at %.2f s is %dx%d, larger than the limit of %d pixels per side (the header declares %dx%d)",
                    seconds, width, height, maxSide, info.sourceWidth(), info.sourceHeight()));
    }

    /**
     * A decoder's failure caused by {@link #maxPixels}: FFmpeg says only "Invalid argument", and the decoder then
     * holds no size, so this is recognised by FFmpeg's error code together with the limit being set.
     */
    MediaException refused(StreamInfo info, double seconds, Exception cause) {
        return new MediaException(Kind.LIMIT_EXCEEDED, info.source(), String.format(java.util.Locale.ROOT,
                "the decoder refused the frame after %.2f s: more than %d pixels, the most the limit of %d pixels"
                        + " per side allows (the header declares %dx%d)",
                seconds, maxPixels(), maxSide, info.sourceWidth(), info.sourceHeight()), cause);
    }
}
