package dev.moodtag.media;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The exact length a native FLAC file declares: its STREAMINFO block counts every sample. FFmpeg reads it as the
 * duration, but a file cut near its end still decoded without error inside the loose "ended far short" rule every
 * container gets (an 8 s file cut at 85-95 % gave 6.6-7.5 s), so a FLAC that ends before its count was cut.
 *
 * @param samples the total per channel; the writer leaves 0 when it did not know it (a stream), and then there is none
 * @param rate    samples per second
 */
record FlacLength(long samples, int rate) implements CountedLength {
    private static final int STREAMINFO = 0;
    private static final int STREAMINFO_BYTES = 34;

    @Override
    public double seconds() {
        return samples / (double) rate;
    }

    @Override
    public String counted() {
        return "its FLAC header counts " + samples + " samples";
    }

    /** The declared length, or null when the file is not native FLAC or does not know its length. */
    static FlacLength of(Path file) {
        ByteBuffer head = CountedLength.headAfterId3(file, 8 + STREAMINFO_BYTES);
        if (head == null || head.remaining() < 8 + STREAMINFO_BYTES || head.get(0) != 'f' || head.get(1) != 'L'
                || head.get(2) != 'a' || head.get(3) != 'C') return null;
        // The first metadata block is STREAMINFO: type in the low 7 bits, then a 24-bit length.
        int header = head.getInt(4);
        if ((header >>> 24 & 0x7f) != STREAMINFO || (header & 0xffffff) != STREAMINFO_BYTES) return null;
        // After the block and frame sizes (10 bytes): rate (20 bits), channels (3), bits per sample (5), total (36).
        long packed = head.getLong(8 + 10);
        int rate = (int) (packed >>> 44);
        long samples = packed & ((1L << 36) - 1);
        return samples > 0 && rate > 0 ? new FlacLength(samples, rate) : null;
    }
}
