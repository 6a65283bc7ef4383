package dev.moodtag.media;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The exact length an MP3 declares: LAME and FFmpeg write a first frame holding no audio, tagged "Info" (constant bit
 * rate) or "Xing" (variable), that counts the frames after it, and LAME's extension of it the encoder delay and padding
 * that FFmpeg trims. A file cut near its end decoded without error inside the loose "ended far short" rule (an 8 s file
 * cut at 75-95 % gave 6.0-7.6 s), so an MP3 that ends before its count was cut. Without the tag (or its frame count)
 * nothing is known.
 *
 * @param frames the frames the tag counts
 * @param decodedSamples what they decode to per channel, delay and padding trimmed
 * @param rate   samples per second
 */
record Mp3Length(long frames, long decodedSamples, int rate) implements CountedLength {
    private static final int[] MPEG1_RATES = {44_100, 48_000, 32_000};
    private static final int FRAMES_FLAG = 1, BYTES_FLAG = 2, TOC_FLAG = 4, QUALITY_FLAG = 8;
    /** The tag's frame header, side information (at most 32 bytes), the tag and its fields, LAME's extension. */
    private static final int HEAD_BYTES = 4 + 32 + 8 + 4 + 4 + 100 + 4 + 24;

    @Override
    public double seconds() {
        return decodedSamples / (double) rate;
    }

    @Override
    public String counted() {
        return "its MP3 Xing/Info frame counts " + frames + " frames";
    }

    /** The declared length, or null when the file does not start with a frame tagged with a frame count. */
    static Mp3Length of(Path file) {
        ByteBuffer b = CountedLength.headAfterId3(file, HEAD_BYTES);
        if (b == null || b.remaining() < 4 + 32 + 12) return null;
        int h = b.getInt(0);
        int version = h >>> 19 & 3, layer = h >>> 17 & 3, rateIndex = h >>> 10 & 3;
        // frame sync, not the reserved version, Layer III, not the reserved rate
        if ((h >>> 21) != 0x7ff || version == 1 || layer != 1 || rateIndex == 3) return null;
        boolean mpeg1 = version == 3, mono = (h >>> 6 & 3) == 3;
        int rate = MPEG1_RATES[rateIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2);
        int samplesPerFrame = mpeg1 ? 1152 : 576;
        int tag = 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
        String name = new String(new byte[]{b.get(tag), b.get(tag + 1), b.get(tag + 2), b.get(tag + 3)},
                java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!name.equals("Xing") && !name.equals("Info")) return null;
        int flags = b.getInt(tag + 4);
        if ((flags & FRAMES_FLAG) == 0) return null;
        long frames = b.getInt(tag + 8) & 0xffffffffL;
        if (frames == 0) return null;
        long samples = frames * samplesPerFrame;
        // LAME's extension after the tag's fields: a 9-byte encoder name, then at 21 bytes 12 bits of delay and 12 of
        // padding, which FFmpeg trusts from LAME and its own writers only, and so does this
        int lame = tag + 8 + 4 + ((flags & BYTES_FLAG) != 0 ? 4 : 0) + ((flags & TOC_FLAG) != 0 ? 100 : 0)
                + ((flags & QUALITY_FLAG) != 0 ? 4 : 0);
        if (b.remaining() >= lame + 24) {
            String encoder = new String(new byte[]{b.get(lame), b.get(lame + 1), b.get(lame + 2), b.get(lame + 3)},
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            if (encoder.equals("LAME") || encoder.equals("Lavf") || encoder.equals("Lavc")) {
                int v = (b.get(lame + 21) & 0xff) << 16 | (b.get(lame + 22) & 0xff) << 8 | b.get(lame + 23) & 0xff;
                long trimmed = samples - (v >>> 12) - (v & 0xfff);
                if (trimmed > 0) samples = trimmed;
            }
        }
        return new Mp3Length(frames, samples, rate);
    }
}
