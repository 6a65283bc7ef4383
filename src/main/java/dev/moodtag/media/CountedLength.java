package dev.moodtag.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * An exact length an audio file's own header counts (FLAC's samples, an MP3's frames), which a cut file's audio ends
 * before. FFmpeg reads it as the duration, but a file cut near its end passed the loose "ended far short" rule every
 * container gets, so audio that ends before its count was cut.
 */
sealed interface CountedLength permits FlacLength, Mp3Length {
    /** The length the count means, in seconds of decoded audio. */
    double seconds();

    /** What counts it, for the message: "its FLAC header counts 352800 samples". */
    String counted();

    /** The count the file's header declares, or null when it is neither native FLAC nor a counted MP3, or has none. */
    static CountedLength of(Path file) {
        FlacLength flac = FlacLength.of(file);
        return flac != null ? flac : Mp3Length.of(file);
    }

    /**
     * The first {@code bytes} of the file after the ID3v2 tag a FLAC or MP3 file may start with (FFmpeg skips it),
     * big-endian, fewer where the file ends first; null when the file cannot be read here, as FFmpeg will then say what
     * is wrong with it. Read as {@link DeclaredLength#read} reads, whatever the thread's interrupt flag.
     */
    static ByteBuffer headAfterId3(Path file, int bytes) {
        try (RandomAccessFile ch = new RandomAccessFile(file.toFile(), "r")) {
            long at = id3Length(DeclaredLength.read(ch, 0, 10));
            return DeclaredLength.read(ch, at, bytes).order(ByteOrder.BIG_ENDIAN);
        } catch (IOException e) {
            return null;
        }
    }

    /** The bytes of an ID3v2 tag at the start of {@code b}, else 0. */
    private static long id3Length(ByteBuffer b) {
        if (b.remaining() < 10 || b.get(0) != 'I' || b.get(1) != 'D' || b.get(2) != '3') return 0;
        long size = 0;
        for (int i = 6; i < 10; i++) size = size << 7 | (b.get(i) & 0x7f);
        boolean footer = (b.get(5) & 0x10) != 0;
        return 10 + size + (footer ? 10 : 0);
    }
}
