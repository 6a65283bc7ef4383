package dev.moodtag.media;

import java.io.IOException;
import java.nio.file.Path;
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

    /** The file's joins, scanned once from end to end as long as {@code budget} lasts; NONE where there are none or it cannot be read. */
    static FlacJoins of(Path file, TimeBudget budget) {
        try (FileWindow window = new FileWindow(file, budget)) {
            long[] found = new long[16];
            int n = 0;
            long base = 0;
            while (n < MAX_JOINS) {
                int from = window.at(base, MARKER), length = window.after(base);
                if (length < MARKER) break;
                byte[] b = window.bytes();
                for (int i = from; i + MARKER <= from + length && n < MAX_JOINS; i++) {
                    if (base + i - from == 0 || b[i] != 'f' || b[i + 1] != 'L' || b[i + 2] != 'a' || b[i + 3] != 'C') continue;
                    if ((b[i + 4] & 0x7f) != 0 || b[i + 5] != 0 || b[i + 6] != 0 || b[i + 7] != 34) continue;
                    if (n == found.length) found = Arrays.copyOf(found, n * 2);
                    found[n++] = base + i - from;
                }
                if (base + length >= window.size()) break;
                base += length - MARKER + 1;
            }
            // a marker inside a file's metadata (an application block or a picture quoting one) is no join: each
            // file's metadata blocks are skipped by their lengths, from its start and from each join's
            long[] joins = new long[n];
            int kept = 0;
            long audio = afterMetadata(window, 0);
            for (int i = 0; i < n; i++) {
                if (found[i] < audio) continue;
                joins[kept++] = found[i];
                audio = afterMetadata(window, found[i]);
            }
            return kept == 0 ? NONE : new FlacJoins(file, Arrays.copyOf(joins, kept));
        } catch (IOException e) {
            return NONE; // FFmpeg will say what is wrong with a file that cannot be read
        }
    }

    /** Where the frames of the FLAC file whose "fLaC" is at {@code at} begin: after its last metadata block. */
    private static long afterMetadata(FileWindow window, long at) throws IOException {
        long size = window.size(), p = at + 4;
        for (int blocks = 0; blocks < 100_000 && p + 4 <= size; blocks++) {
            int h = window.at(p, 4);
            if (window.after(p) < 4) break;
            byte[] b = window.bytes();
            boolean last = (b[h] & 0x80) != 0;
            p += 4 + ((b[h + 1] & 0xffL) << 16 | (b[h + 2] & 0xffL) << 8 | (b[h + 3] & 0xffL));
            if (last) break;
        }
        return p;
    }

    boolean any() {
        return at.length > 0;
    }

    /** The joined files, each to be read as one of its own. */
    JoinedParts parts() {
        return any() ? new JoinedParts(file, at, "its FLAC file joined") : JoinedParts.NONE;
    }
}
