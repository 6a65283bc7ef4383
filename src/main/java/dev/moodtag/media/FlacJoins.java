package dev.moodtag.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Where FLAC files joined end to end ({@code cat a.flac b.flac}) begin again inside one: each joined file's "fLaC"
 * marker followed by its STREAMINFO block's header. FFmpeg's FLAC parser reads the frames after such a join only where
 * they look like the frames before: from 8 kHz to 96 kHz it dropped every frame of the second file, from 44.1 kHz to
 * 48 kHz 96 ms of it, without an error (OggChainFuzzTest). Each joined file is read as one of its own
 * ({@link FileTail#grabber(Path, long, long)}), and its samples follow the one's before ({@link RateChange}).
 *
 * @param file the file
 * @param at   where each joined file after the first begins, in bytes, in order; empty for one FLAC
 */
record FlacJoins(Path file, long[] at) {
    static final FlacJoins NONE = new FlacJoins(null, new long[0]);
    /** Joins found at most: a file of nothing but headers is not given a grabber for each of millions. */
    private static final int MAX_JOINS = 10_000;
    /** "fLaC", then a metadata block header: type 0 (STREAMINFO), last or not, length 34. */
    private static final int MARKER = 8;

    /** The file's joins, scanned once from end to end; NONE where there are none or it cannot be read. */
    static FlacJoins of(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] found = new long[16];
            int n = 0;
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
            long base = 0;
            while (n < MAX_JOINS) {
                chunk.clear();
                int read;
                while (chunk.hasRemaining() && (read = ch.read(chunk, base + chunk.position())) > 0) {
                }
                int length = chunk.position();
                if (length < MARKER) break;
                byte[] b = chunk.array();
                for (int i = 0; i + MARKER <= length && n < MAX_JOINS; i++) {
                    if (base + i == 0 || b[i] != 'f' || b[i + 1] != 'L' || b[i + 2] != 'a' || b[i + 3] != 'C') continue;
                    if ((b[i + 4] & 0x7f) != 0 || b[i + 5] != 0 || b[i + 6] != 0 || b[i + 7] != 34) continue;
                    if (n == found.length) found = Arrays.copyOf(found, n * 2);
                    found[n++] = base + i;
                }
                if (base + length >= ch.size()) break;
                base += length - MARKER + 1;
            }
            return n == 0 ? NONE : new FlacJoins(file, Arrays.copyOf(found, n));
        } catch (IOException e) {
            return NONE; // FFmpeg will say what is wrong with a file that cannot be read
        }
    }

    boolean any() {
        return at.length > 0;
    }
}
