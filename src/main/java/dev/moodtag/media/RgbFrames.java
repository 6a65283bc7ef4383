package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.avutil.AVFrameSideData;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;

import static org.bytedeco.ffmpeg.global.avformat.av_guess_sample_aspect_ratio;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_side_data;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Turns the decoder's pictures into {@link VideoFrame}s the pipeline can keep: scaled (area averaging) to the shape a
 * player shows them at, no longer side above the configured maximum, and converted to packed RGB24, for the frames the
 * sampler keeps only. The shape is each picture's own: its stored size with its pixels' shape (anamorphic video stores
 * 16:9 pictures in 720x576 or 1440x1080), so a picture that changes size part-way keeps its shape too. Scaled from the
 * stored size of the first picture instead, a face in PAL widescreen was squeezed to 70 % of its width, in HDV to 75 %,
 * and so was every face after a broadcast capture switched from 4:3 to 16:9. The grabber hands over its pictures
 * unconverted because converting every decoded frame of a 720p clip cost about a quarter of decoding it, for frames
 * that 5 fps sampling then threw away. Frames are turned upright as the file's display matrix says (a phone held
 * upright stores landscape pictures and a 90° rotation): the face detector and expression net see faces as a player
 * shows them. One per decoded stream; not thread-safe.
 */
final class RgbFrames implements AutoCloseable {

    record Size(int width, int height) {
    }

    private final String source;
    /** The size the stream's header declares, scaled: a header that declares none yields no frames. */
    private final Size declared;
    private final int maxSide;
    /** Counterclockwise quarter turns that show the stream's pictures upright, 0 to 3, unless a picture says otherwise. */
    private final int quarterTurns;
    /** The container and stream the pictures come from, for their pixels' shape; null when not known. */
    private final AVFormatContext container;
    private final AVStream stream;
    /** What {@link #rgb} was allocated for. */
    private Size size;
    /**
     * swscale's destination, allocated by FFmpeg itself. Not a packed width × height × 3 buffer: swscale's SIMD
     * converters write whole blocks of 8 or 16 pixels per row, so for widths that are not a multiple of the block
     * they write up to 24 bytes past the end of each row (measured: 92 and 188 wide, 12 bytes; 184 wide, 24). Into
     * a packed buffer that overran the last row into the C heap's bookkeeping, and the JVM later aborted in free()
     * ("double free or corruption", "corrupted size vs. prev_size") on small odd-width JPEGs such as 61×80.
     * av_frame_get_buffer pads each row and the end of the buffer for exactly those writes; rows are copied out.
     * Allocated at the first frame: a stream that never yields one needs none.
     */
    private AVFrame rgb;
    private SwsContext context;

    /**
     * @param declared  the frame size the stream's header declares, as {@link #fit} makes it
     * @param container the container of {@code stream}, the video stream decoded (both null when unknown)
     */
    RgbFrames(String source, Size declared, int maxSide, int quarterTurns, AVFormatContext container, AVStream stream) {
        if (quarterTurns < 0 || quarterTurns > 3) throw new IllegalArgumentException("quarter turns 0 to 3, not " + quarterTurns);
        this.source = source;
        this.declared = declared;
        this.maxSide = maxSide;
        this.quarterTurns = quarterTurns;
        this.container = container;
        this.stream = stream;
    }

    /**
     * The size a {@code width} x {@code height} picture of pixels {@code pixelAspect} wide (width over height; 1, or
     * not a positive number, for square pixels) is shown at, scaled down (never up) so that the longer side is at most
     * {@code maxSide}.
     */
    static Size fit(int width, int height, double pixelAspect, int maxSide) {
        double w = width * (pixelAspect > 0 && Double.isFinite(pixelAspect) ? pixelAspect : 1), h = height;
        double longer = Math.max(w, h);
        double scale = longer <= maxSide ? 1 : maxSide / longer;
        return new Size(Math.max(1, (int) Math.round(w * scale)), Math.max(1, (int) Math.round(h * scale)));
    }

    /**
     * The pixels' shape as FFmpeg's own player reads it: the container's, else the picture's (or, without a picture,
     * the stream's header); 0 when none says.
     */
    static double pixelAspect(AVFormatContext container, AVStream stream, AVFrame picture) {
        if (container == null || stream == null) return picture == null ? 0 : ratio(picture.sample_aspect_ratio());
        return ratio(av_guess_sample_aspect_ratio(container, stream, picture));
    }

    private static double ratio(AVRational r) {
        return r.num() > 0 && r.den() > 0 ? r.num() / (double) r.den() : 0;
    }

    VideoFrame convert(AVFrame picture, double timestampSeconds) {
        if (declared.width() <= 0 || declared.height() <= 0) throw declaresNoSize(picture);
        Size shown = fit(picture.width(), picture.height(), pixelAspect(container, stream, picture), maxSide);
        if (!shown.equals(size)) {
            if (rgb != null) av_frame_free(rgb);
            rgb = null;
            rgb = allocate(shown);
            size = shown;
        }
        // Cached: a new context only if the picture's size or pixel format changes mid-stream.
        context = sws_getCachedContext(context, picture.width(), picture.height(), picture.format(),
                size.width(), size.height(), AV_PIX_FMT_RGB24, SWS_AREA, null, null, (DoublePointer) null);
        if (context == null) throw cannotConvert(picture);
        // On failure the buffer would hold whatever the allocation held before: never hand that on as a picture.
        if (sws_scale(context, picture.data(), picture.linesize(), 0, picture.height(), rgb.data(), rgb.linesize()) <= 0)
            throw cannotConvert(picture);
        int row = size.width() * 3;
        int stride = rgb.linesize(0);
        byte[] out = new byte[row * size.height()];
        BytePointer pixels = rgb.data(0).capacity((long) stride * size.height());
        for (int y = 0; y < size.height(); y++) pixels.position((long) y * stride).get(out, y * row, row);
        int turns = quarterTurns(picture).orElse(quarterTurns);
        if (turns == 0) return new VideoFrame(timestampSeconds, size.width(), size.height(), out);
        boolean sideways = turns % 2 == 1;
        return new VideoFrame(timestampSeconds, sideways ? size.height() : size.width(),
                sideways ? size.width() : size.height(), turned(out, size.width(), size.height(), turns));
    }

    /** The picture's own display matrix, as a JPEG's EXIF orientation arrives: counterclockwise quarter turns. */
    private static java.util.OptionalInt quarterTurns(AVFrame picture) {
        AVFrameSideData matrix = av_frame_get_side_data(picture, AV_FRAME_DATA_DISPLAYMATRIX);
        if (matrix == null || matrix.isNull() || matrix.size() < 9 * Integer.BYTES) return java.util.OptionalInt.empty();
        return quarterTurns(av_display_rotation_get(new IntPointer(matrix.data())));
    }

    /**
     * Degrees counterclockwise (FFmpeg's av_display_rotation_get) as quarter turns 0 to 3. An angle more than
     * {@link #QUARTER_TOLERANCE_DEGREES} from a quarter turn (a matrix that is no rotation a camera writes) leaves the
     * picture as stored, as FFmpeg's own player does: empty, as when the angle is not finite.
     */
    static java.util.OptionalInt quarterTurns(double degrees) {
        if (!Double.isFinite(degrees)) return java.util.OptionalInt.empty();
        long quarters = Math.round(degrees / 90);
        if (Math.abs(degrees - 90.0 * quarters) > QUARTER_TOLERANCE_DEGREES) return java.util.OptionalInt.empty();
        return java.util.OptionalInt.of((int) Math.floorMod(quarters, 4L));
    }

    /** How far from a quarter turn a display matrix's angle may be and still count as one (rounding in the matrix). */
    static final double QUARTER_TOLERANCE_DEGREES = 1;

    /** A packed RGB24 picture of {@code w} × {@code h} turned counterclockwise by {@code turns} quarter turns. */
    static byte[] turned(byte[] rgb, int w, int h, int turns) {
        byte[] out = new byte[rgb.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int to = switch (turns) {
                    case 1 -> (w - 1 - x) * h + y;           // the left column becomes the bottom row
                    case 2 -> (h - 1 - y) * w + (w - 1 - x);
                    case 3 -> x * h + (h - 1 - y);           // the top row becomes the right column
                    default -> y * w + x;
                };
                System.arraycopy(rgb, 3 * (y * w + x), out, 3 * to, 3);
            }
        }
        return out;
    }

    private MediaException cannotConvert(AVFrame picture) {
        BytePointer name = av_get_pix_fmt_name(picture.format());
        return new MediaException(Kind.UNSUPPORTED, source, "FFmpeg cannot convert its " + picture.width() + "x"
                + picture.height() + " " + (name == null ? "pixel format " + picture.format() : name.getString())
                + " pictures to RGB");
    }

    /** Damaged headers declare 0x0 and still yield frames; swscale would refuse the size (0x0 was UNSUPPORTED). */
    private MediaException declaresNoSize(AVFrame picture) {
        return new MediaException(Kind.CORRUPT, source, "the video stream declares a picture size of " + declared.width()
                + "x" + declared.height() + ", yet a " + picture.width() + "x" + picture.height() + " frame was decoded");
    }

    private static AVFrame allocate(Size size) {
        AVFrame frame = av_frame_alloc();
        if (frame == null) throw new OutOfMemoryError("FFmpeg could not allocate a frame");
        frame.format(AV_PIX_FMT_RGB24).width(size.width()).height(size.height());
        if (av_frame_get_buffer(frame, 0) < 0) {
            av_frame_free(frame);
            throw new OutOfMemoryError("FFmpeg could not allocate a " + size.width() + "x" + size.height() + " RGB frame");
        }
        return frame;
    }

    @Override
    public void close() {
        if (context != null) sws_freeContext(context);
        context = null;
        if (rgb != null) av_frame_free(rgb);
        rgb = null;
    }
}
