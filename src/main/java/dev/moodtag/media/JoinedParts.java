package dev.moodtag.media;

import java.nio.file.Path;

/**
 * Files joined end to end inside one, each read as a file of its own ({@link FileTail#grabber(Path, long, long)}), from
 * where it begins to where the next does, its samples following the ones before ({@link RateChange}): FLAC files
 * ({@link FlacJoins}) and the streams of a chained Ogg file ({@link OggChains#parts}). FFmpeg reading across the joins
 * itself lost audio at each: its FLAC parser the frames that do not look like those before, its Ogg demuxer a short
 * stream's frames, timed on from the stream before.
 *
 * @param file the file
 * @param at   where each joined part after the first begins, in bytes, in order; empty for a file of one part
 * @param what what a part is, for the error where one cannot be read ("its FLAC file joined")
 */
record JoinedParts(Path file, long[] at, String what) {
    static final JoinedParts NONE = new JoinedParts(null, new long[0], "");

    boolean any() {
        return at.length > 0;
    }

    /** Where part {@code part} (0 to {@code at.length}) begins, in bytes. */
    long from(int part) {
        return part == 0 ? 0 : at[part - 1];
    }

    /** Where part {@code part} ends, in bytes: where the next begins, or the file's end. */
    long to(int part) {
        return part < at.length ? at[part] : Long.MAX_VALUE;
    }
}
