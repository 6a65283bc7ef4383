package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link MediaConfig#maxSourceSide()} applied to a PNG's own header, to the header FFmpeg reads and to every decoded
 * frame. The header alone proves nothing: Motion JPEG may change size at every frame and H.264 at every keyframe, so a 3 MB file declaring 320×240
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

    /**
     * A PNG's own header, read before FFmpeg opens the file: FFmpeg's PNG decoder takes and fills a picture of the size
     * the header declares while it reads the stream's parameters, before {@link #checkHeader} can see them (a 204-byte
     * PNG declaring 16000x16000 at 16 bits per channel took 2.1 GB). Anything else, or a file that cannot be read here,
     * is left to FFmpeg and {@link #checkHeader}.
     */
    void checkPng(Path file) {
        byte[] head = new byte[PNG_IHDR_END];
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (FileTail.read(in, 0, head, head.length) < head.length) return;
        } catch (IOException e) {
            return;
        }
        if (!Arrays.equals(head, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)
                || !Arrays.equals(head, 12, 16, IHDR, 0, 4)) return;
        ByteBuffer b = ByteBuffer.wrap(head); // big-endian, 31-bit sides
        long width = b.getInt(16) & 0xFFFFFFFFL, height = b.getInt(20) & 0xFFFFFFFFL;
        if (width > maxSide || height > maxSide)
            throw new MediaException(Kind.LIMIT_EXCEEDED, MediaFileCheck.nameOf(file), "its PNG header declares " + width
                    + "x" + height + ", larger than the limit of " + maxSide + " pixels per side");
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] IHDR = {'I', 'H', 'D', 'R'};
    /** The signature, the IHDR chunk's length and type, its width and height. */
    private static final int PNG_IHDR_END = 24;

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
