package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.util.Locale;

/**
 * {@link MediaConfig#maxSourceSide()} applied to the header and to every decoded frame. The header alone proves
 * nothing: Motion JPEG may change size at every frame and H.264 at every keyframe, so a 3 MB file declaring 320×240
 * can carry 16000×16000 frames (issue 16: 3.4 GB resident). Checked before a frame is converted or kept, so decoding
 * stops at the first frame too large (FFmpeg has decoded that one frame by then). FFmpeg's own {@code max_pixels} option would refuse such a frame
 * before allocating it, but JavaCV 1.5.14 skips a packet its decoder refuses without a word: the frames would vanish
 * and the file would pass as smaller than it is.
 */
final class FrameSizeLimit {
    private final int maxSide;

    FrameSizeLimit(int maxSide) {
        this.maxSide = maxSide;
    }

    void checkHeader(StreamInfo info) {
        if (info.sourceWidth() > maxSide || info.sourceHeight() > maxSide)
            throw new MediaException(Kind.LIMIT_EXCEEDED, info.source(), "the picture is " + info.sourceWidth()
                    + "x" + info.sourceHeight() + ", larger than the limit of " + maxSide + " pixels per side");
    }

    void checkFrame(StreamInfo info, int width, int height, double seconds) {
        if (width > maxSide || height > maxSide)
            throw new MediaException(Kind.LIMIT_EXCEEDED, info.source(), String.format(Locale.ROOT,
                    "the frame at %.2f s is %dx%d, larger than the limit of %d pixels per side (the header declares %dx%d)",
                    seconds, width, height, maxSide, info.sourceWidth(), info.sourceHeight()));
    }
}
