package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Turns the decoder's pictures into {@link VideoFrame}s the pipeline can keep: scaled (area averaging) to the sampled
 * size and converted to packed RGB24, for the frames the sampler keeps only. The grabber hands over its pictures
 * unconverted because converting every decoded frame of a 720p clip cost about a quarter of decoding it, for frames
 * that 5 fps sampling then threw away. One per decoded stream; not thread-safe.
 */
final class RgbFrames implements AutoCloseable {

    record Size(int width, int height) {
    }

    private final String source;
    private final Size size;
    private final BytePointer rgb;
    private final PointerPointer<BytePointer> planes;
    private final IntPointer strides;
    private SwsContext context;

    RgbFrames(String source, Size size) {
        this.source = source;
        this.size = size;
        // Packed rows with no padding, as the pipeline's byte[] frames are laid out, so one bulk copy takes it out.
        // swscale reads four plane pointers and strides whatever the format: the unused ones are null and 0.
        this.rgb = new BytePointer((long) size.width() * size.height() * 3);
        this.planes = new PointerPointer<BytePointer>(4).put(0, rgb);
        this.strides = new IntPointer(size.width() * 3, 0, 0, 0);
    }

    /** Scales down (never up) so that the longer side is at most {@code maxSide}, keeping the aspect ratio. */
    static Size fit(int width, int height, int maxSide) {
        int longer = Math.max(width, height);
        if (longer <= maxSide) return new Size(width, height);
        double scale = maxSide / (double) longer;
        return new Size(Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale)));
    }

    VideoFrame convert(AVFrame picture, double timestampSeconds) {
        // Cached: a new context only if the picture's size or pixel format changes mid-stream.
        context = sws_getCachedContext(context, picture.width(), picture.height(), picture.format(),
                size.width(), size.height(), AV_PIX_FMT_RGB24, SWS_AREA, null, null, (DoublePointer) null);
        if (context == null) {
            BytePointer name = av_get_pix_fmt_name(picture.format());
            throw new MediaException(Kind.UNSUPPORTED, source, "FFmpeg cannot convert its " + picture.width() + "x"
                    + picture.height() + " " + (name == null ? "pixel format " + picture.format() : name.getString())
                    + " pictures to RGB");
        }
        sws_scale(context, picture.data(), picture.linesize(), 0, picture.height(), planes, strides);
        byte[] out = new byte[size.width() * size.height() * 3];
        rgb.get(out);
        return new VideoFrame(timestampSeconds, size.width(), size.height(), out);
    }

    @Override
    public void close() {
        if (context != null) sws_freeContext(context);
        context = null;
        strides.close();
        planes.close();
        rgb.close();
    }
}
